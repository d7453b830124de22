// circuitsvis attention_heads: one panel per head, destination tokens down, source tokens across, hover weights.
package dev.jlens.model.plot;

import dev.jlens.tensor.Shape;
import dev.jlens.tensor.Tensor;
import java.util.List;

/**
 * The seeds' {@code attention_heads(attention=patterns, tokens=str_tokens, attention_head_names=labels)}: a
 * [heads, dest_pos, src_pos] pattern as one panel per head (four to a row), each row a destination (query) token
 * and each column a source (key) token, labelled "tok_i", weights on a white-to-red scale over [0, 1]. Hovering a
 * cell shows the head, both tokens and the weight. It is a faceted {@link Heatmap}, so the PNG and HTML match.
 */
public final class AttentionView {
    private AttentionView() {}

    /**
     * The view of {@code pattern} [heads, dest_pos, src_pos] (or one head's [dest_pos, src_pos]) over the string
     * tokens {@code strTokens}, one panel per entry of {@code headNames} (e.g. "L1H5"), titled {@code title}.
     */
    public static Heatmap of(Tensor pattern, List<String> strTokens, List<String> headNames, String title) {
        Tensor p = pattern.rank() == 2 ? pattern.unsqueeze(0) : pattern;
        if (p.rank() != 3 || p.size(1) != p.size(2)) {
            throw new IllegalArgumentException("attention view: expected a pattern [heads, dest_pos, src_pos] with "
                    + "dest_pos = src_pos, got shape " + Shape.str(pattern.shape()));
        }
        if (strTokens.size() != p.size(1)) {
            throw new IllegalArgumentException("attention view: " + strTokens.size() + " tokens for a pattern over "
                    + p.size(1) + " positions (shape " + Shape.str(pattern.shape()) + ")");
        }
        if (headNames.size() != p.size(0)) {
            throw new IllegalArgumentException("attention view: " + headNames.size() + " head names for "
                    + p.size(0) + " heads (shape " + Shape.str(pattern.shape()) + ")");
        }
        List<String> labels = Labels.positions(strTokens);
        return Heatmap.of(p).x(labels).y(labels).facets(headNames).wrap(4).title(title)
                .xTitle("Source token").yTitle("Destination token").colorTitle("attention")
                .scale(ColorScale.REDS).range(0, 1).build();
    }
}

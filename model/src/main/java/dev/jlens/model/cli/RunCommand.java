// ./jlens run: the main job — an induction probe on a model: tokens, loss on each repeat, top heads by score.
package dev.jlens.model.cli;

import dev.jlens.hooks.ActivationCache;
import dev.jlens.model.CachedRun;
import dev.jlens.model.HookedGpt2;
import dev.jlens.model.ReturnType;
import dev.jlens.model.RunOptions;
import dev.jlens.model.analysis.HeadScores;
import dev.jlens.model.builtin.InductionModel;
import dev.jlens.hooks.NameFilter;
import dev.jlens.model.plot.AttentionView;
import dev.jlens.model.plot.Heatmap;
import dev.jlens.tensor.Tensor;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Feeds BOS + a random sequence repeated twice (TransformerLens' induction demo) and prints the string tokens of
 * row 0, the mean next-token loss on each repeat, and the heads that score highest as induction and
 * previous-token heads. On induction-2l the planted heads must come first and the second repeat's loss must be
 * far below the first. With a plot folder it also draws the induction scores [layer, head] as a heatmap and the
 * top induction head's attention pattern on row 0.
 */
final class RunCommand {
    private RunCommand() {}

    static int run(HookedGpt2 model, String description, int batch, int seqLen, long seed, PlotDir plots,
            PrintStream out) {
        int[][] tokens = InductionModel.repeatedTokens(batch, seqLen, seed);
        out.println("model: " + description);
        out.printf("input: BOS + %d random tokens, repeated twice; batch %d, seed %d%n", seqLen, batch, seed);
        List<String> strTokens = new ArrayList<>();
        for (int id : tokens[0]) {
            strTokens.add(model.tokenizer().tokenString(id));
        }
        out.println("tokens (row 0): " + preview(strTokens, 12));
        CachedRun run = model.runWithCache(tokens, NameFilter.endsWith("hook_pattern"), false,
                RunOptions.defaults().returning(ReturnType.LOSS).perTokenLoss(true));
        Tensor loss = run.output().loss(); // [batch, 2 seqLen]: entry p predicts token p + 1
        double first = loss.narrow(1, 0, seqLen).mean(1).mean(0).item();
        double second = loss.narrow(1, seqLen, seqLen).mean(1).mean(0).item();
        out.printf("loss, first repeat:  %.3f   (ln d_vocab = %.3f: chance)%n", first, Math.log(model.cfg().dVocab()));
        out.printf("loss, second repeat: %.3f%n", second);
        ActivationCache cache = run.cache();
        Tensor induction = HeadScores.induction(cache, seqLen); // [n_layers, n_heads]
        printTop(out, "induction", induction, 5);
        printTop(out, "previous-token", HeadScores.previousToken(cache), 5);
        if (plots != null) {
            plot(plots, cache, induction, strTokens, seqLen);
        }
        return 0;
    }

    private static void plot(PlotDir plots, ActivationCache cache, Tensor induction, List<String> strTokens,
            int seqLen) {
        plots.write(Heatmap.of(induction).title("Induction score by head (BOS + " + seqLen + " random tokens, "
                + "repeated)").xTitle("Head").yTitle("Layer").colorTitle("induction score").showValues(true).build(),
                "induction_scores", "induction score by head");
        int best = (int) induction.reshape(-1).argmax(0).item();
        int layer = best / induction.size(1);
        int head = best % induction.size(1);
        String name = "L" + layer + "H" + head;
        Tensor pattern = cache.get("pattern", layer).select(0, 0).select(0, head); // [dest_pos, src_pos], row 0
        plots.write(AttentionView.of(pattern, strTokens, List.of(name), "Attention pattern of " + name
                + ", the top induction head (row 0)"), "attention_" + name, "attention pattern of " + name);
    }

    private static String preview(List<String> tokens, int keep) {
        List<String> quoted = tokens.stream().limit(keep).map(t -> "'" + t.replace("\n", "\\n") + "'").toList();
        return String.join(" ", quoted) + (tokens.size() > keep ? " ... (" + tokens.size() + " tokens)" : "");
    }

    private static void printTop(PrintStream out, String name, Tensor scores, int count) {
        record Head(int layer, int head, float score) {}
        List<Head> heads = new ArrayList<>();
        for (int l = 0; l < scores.size(0); l++) {
            for (int h = 0; h < scores.size(1); h++) {
                heads.add(new Head(l, h, scores.get(l, h)));
            }
        }
        heads.sort(Comparator.comparingDouble((Head x) -> -x.score()));
        out.println("top heads by " + name + " score:");
        for (Head x : heads.subList(0, Math.min(count, heads.size()))) {
            out.printf("  L%dH%d  %.3f%n", x.layer(), x.head(), x.score());
        }
    }
}

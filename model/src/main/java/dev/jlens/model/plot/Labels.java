// Axis labels as the seeds write them: f"{tok}_{i}" for positions, f"L{l}H{h}" for heads.
package dev.jlens.model.plot;

import java.util.ArrayList;
import java.util.List;

/** Label lists for plot axes. Tokens are shown with newlines and tabs visible ("\n", "\t"). */
public final class Labels {
    private Labels() {}

    /** A token made printable on one line: newline, carriage return and tab as the two characters \n, \r, \t. */
    public static String visible(String token) {
        return token.replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t");
    }

    /** The seeds' position labels: f"{tok}_{i}" for each string token. */
    public static List<String> positions(List<String> strTokens) {
        List<String> out = new ArrayList<>(strTokens.size());
        for (int i = 0; i < strTokens.size(); i++) {
            out.add(visible(strTokens.get(i)) + "_" + i);
        }
        return out;
    }

    /** "L{layer}H{h}" for each head of one layer. */
    public static List<String> heads(int layer, int nHeads) {
        List<String> out = new ArrayList<>(nHeads);
        for (int h = 0; h < nHeads; h++) {
            out.add("L" + layer + "H" + h);
        }
        return out;
    }

    /** "L{l}H{h}" for every head, layer-major: the seeds' ALL_HEAD_LABELS, rows of (layer head) -> ... */
    public static List<String> allHeads(int nLayers, int nHeads) {
        List<String> out = new ArrayList<>(nLayers * nHeads);
        for (int l = 0; l < nLayers; l++) {
            out.addAll(heads(l, nHeads));
        }
        return out;
    }

    /** {@code prefix + i} for i in [0, n): "0", "1", ... for layers or "H0", "H1", ... for heads. */
    public static List<String> range(String prefix, int n) {
        List<String> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(prefix + i);
        }
        return out;
    }
}

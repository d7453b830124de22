// Plotly's default qualitative colours ("Plotly"), for series and categories.
package dev.jlens.model.plot;

import java.awt.Color;

/** The colour of series i: plotly's ten default trace colours, repeating. */
final class Palette {
    private static final int[] PLOTLY = {0x636efa, 0xef553b, 0x00cc96, 0xab63fa, 0xffa15a, 0x19d3f3, 0xff6692,
        0xb6e880, 0xff97ff, 0xfecb52};

    private Palette() {}

    static Color of(int i) {
        return new Color(PLOTLY[i % PLOTLY.length]);
    }
}

// Colour scales: plotly/ColorBrewer RdBu (diverging, centred at a midpoint), its red half, and Viridis.
package dev.jlens.model.plot;

import java.awt.Color;

/**
 * A colour scale: stops evenly spaced over [0, 1], linearly interpolated in sRGB, as plotly's continuous scales.
 * {@link #DIVERGING} is ColorBrewer's 11-stop RdBu (the stops of plotly's "RdBu") ordered so that negative values
 * are blue and positive values red, matplotlib's "RdBu_r" as the patching seed uses it. (Plotly's "RdBu" itself
 * puts red at the low end; {@link #reversed()} gives that orientation.)
 */
public final class ColorScale {
    /** RdBu, blue (negative) through white (zero) to red (positive). */
    public static final ColorScale DIVERGING = new ColorScale("RdBu_r", new int[] {
        0x053061, 0x2166ac, 0x4393c3, 0x92c5de, 0xd1e5f0, 0xf7f7f7, 0xfddbc7, 0xf4a582, 0xd6604d, 0xb2182b, 0x67001f});
    /** The red half of RdBu, white to dark red: for values in [0, 1] such as attention weights. */
    public static final ColorScale REDS = new ColorScale("Reds", new int[] {
        0xffffff, 0xfddbc7, 0xf4a582, 0xd6604d, 0xb2182b, 0x67001f});
    /** Viridis (plotly's default sequential scale), dark purple to yellow: for a colour axis in scatter plots. */
    public static final ColorScale VIRIDIS = new ColorScale("Viridis", new int[] {
        0x440154, 0x482878, 0x3e4989, 0x31688e, 0x26828e, 0x1f9e89, 0x35b779, 0x6ece58, 0xb5de2b, 0xfde725});
    /** The colour of a NaN cell. */
    public static final Color NAN = new Color(0x9e9e9e);

    private final String name;
    private final int[] stops; // 0xRRGGBB, evenly spaced over [0, 1]

    private ColorScale(String name, int[] stops) {
        this.name = name;
        this.stops = stops;
    }

    /** The scale's name, e.g. "RdBu_r". */
    public String name() {
        return name;
    }

    /** The same stops in reverse order (low and high swapped). */
    public ColorScale reversed() {
        int[] r = new int[stops.length];
        for (int i = 0; i < r.length; i++) {
            r[i] = stops[stops.length - 1 - i];
        }
        return new ColorScale(name.endsWith("_r") ? name.substring(0, name.length() - 2) : name + "_r", r);
    }

    /** The colour at fraction t of the scale (clamped to [0, 1]); NaN gives {@link #NAN}. */
    public Color at(double t) {
        if (Double.isNaN(t)) {
            return NAN;
        }
        double u = Math.max(0, Math.min(1, t)) * (stops.length - 1); // position among the stops
        int i = Math.min((int) u, stops.length - 2);
        double f = u - i;
        int a = stops[i];
        int b = stops[i + 1];
        return new Color(mix(a >> 16, b >> 16, f), mix(a >> 8, b >> 8, f), mix(a, b, f));
    }

    /** The colour of {@code value} on a range [lo, hi]: t = (value - lo) / (hi - lo). */
    public Color at(double value, double lo, double hi) {
        return at(hi > lo ? (value - lo) / (hi - lo) : 0.5);
    }

    private static int mix(int a, int b, double f) {
        return (int) Math.round((a & 0xff) * (1 - f) + (b & 0xff) * f);
    }
}

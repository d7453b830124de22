// imshow: a [rows, cols] tensor (or [facets, rows, cols] side by side) as coloured cells, after the seeds' helper.
package dev.jlens.model.plot;

import dev.jlens.tensor.Shape;
import dev.jlens.tensor.Tensor;
import java.awt.Color;
import java.util.ArrayList;
import java.util.List;

/**
 * The seeds' {@code imshow(tensor, x=..., y=..., labels={"x": ..., "y": ...}, title=..., facet_col=0,
 * facet_labels=[...])}: px.imshow with {@code color_continuous_scale="RdBu", color_continuous_midpoint=0}. Row 0
 * is at the top. Values map to colour on [lo, hi], by default symmetric about the midpoint 0
 * (lo = -max|v|, hi = max|v| over finite values); NaN cells are grey, and the colour bar then says so. Hovering a
 * cell in the HTML shows its facet, row and column labels and value.
 *
 * <pre>{@code
 * Heatmap.of(scores)                                   // [n_layers, n_heads]
 *         .title("Induction score by head").xTitle("Head").yTitle("Layer")
 *         .build();
 * }</pre>
 */
public final class Heatmap implements Plot {
    private static final double PAD = 12;
    private static final double LABEL = 11; // label font size, px
    private static final double GAP = 18;   // between facets

    private final float[][][] values; // [facets, rows, cols]
    private final List<String> x;
    private final List<String> y;
    private final List<String> facets;
    private final String title;
    private final String xTitle;
    private final String yTitle;
    private final ColorBar bar;
    private final boolean showValues;
    private final int wrap; // facets per row
    // layout, px
    private final double cellW;
    private final double cellH;
    private final int xStep;
    private final int yStep;
    private final boolean rotateX;
    private final double left;
    private final double top;
    private final double xBand;
    private final double rowStride; // from one row of facets to the next
    private final int width;
    private final int height;

    private Heatmap(Builder b) {
        values = b.values;
        int rows = values[0].length;
        int cols = values[0][0].length;
        x = b.x != null ? b.x : Labels.range("", cols);
        y = b.y != null ? b.y : Labels.range("", rows);
        facets = b.facets;
        title = b.title;
        xTitle = b.xTitle;
        yTitle = b.yTitle;
        showValues = b.showValues;
        wrap = Math.min(b.wrap > 0 ? b.wrap : values.length, values.length);
        double[] range = range(values, b.lo, b.hi, b.midpoint);
        bar = new ColorBar(b.scale, range[0], range[1], b.colorTitle, hasNaN(values));
        int n = wrap;
        int facetRows = (values.length + wrap - 1) / wrap;
        cellW = clamp(Math.floor(780.0 / (cols * n)), 4, 56);
        cellH = clamp(Math.floor(520.0 / rows), 4, 40);
        xStep = (int) Math.ceil((LABEL + 2) / cellW);
        yStep = (int) Math.ceil((LABEL + 2) / cellH);
        rotateX = TextMetrics.maxWidth(every(x, xStep), LABEL) > cellW * xStep - 4;
        xBand = rotateX ? TextMetrics.maxWidth(every(x, xStep), LABEL) + 8 : LABEL + 8;
        left = PAD + (yTitle.isEmpty() ? 0 : 22) + TextMetrics.maxWidth(every(y, yStep), LABEL) + 8;
        top = PAD + (title.isEmpty() ? 0 : 30) + (facets.isEmpty() ? 0 : 20);
        double panelW = cols * cellW;
        double panelH = rows * cellH;
        double plotsRight = left + n * panelW + (n - 1) * GAP;
        width = (int) Math.ceil(Math.max(plotsRight + 24 + bar.width() + PAD,
                2 * PAD + TextMetrics.width(title, 16) * 1.1));
        double facetH = facets.isEmpty() ? 0 : 20;
        rowStride = panelH + xBand + (xTitle.isEmpty() ? 0 : 22) + facetH + GAP;
        double body = Math.max(facetRows * rowStride - GAP - facetH, barHeight(panelH) + bar.footer());
        height = (int) Math.ceil(top + body + PAD);
    }

    /** Starts a heatmap of {@code values}: [rows, cols], or [facets, rows, cols] drawn side by side. */
    public static Builder of(Tensor values) {
        return new Builder(values);
    }

    @Override
    public String title() {
        return title;
    }

    @Override
    public int width() {
        return width;
    }

    @Override
    public int height() {
        return height;
    }

    /** The colour range [lo, hi] in use. */
    public double[] range() {
        return new double[] {bar.lo(), bar.hi()};
    }

    @Override
    public void draw(Canvas c) {
        if (!title.isEmpty()) {
            c.text(PAD, PAD + 18, title, 16, Canvas.Anchor.START, false, true, Color.BLACK);
        }
        int rows = values[0].length;
        int cols = values[0][0].length;
        double panelW = cols * cellW;
        double panelH = rows * cellH;
        for (int f = 0; f < values.length; f++) {
            double x0 = left + (f % wrap) * (panelW + GAP);
            double y0 = top + (f / wrap) * rowStride;
            if (!facets.isEmpty()) {
                c.text(x0 + panelW / 2, y0 - 6, facets.get(f), 13, Canvas.Anchor.MIDDLE, false, false, Color.BLACK);
            }
            drawCells(c, f, x0, y0);
            c.outline(x0, y0, panelW, panelH, Color.GRAY);
            for (int j = 0; j < cols; j += xStep) {
                double cx = x0 + (j + 0.5) * cellW;
                if (rotateX) {
                    c.text(cx + LABEL / 3, y0 + panelH + 6, x.get(j), LABEL, Canvas.Anchor.END, true, false,
                            Color.BLACK);
                } else {
                    c.text(cx, y0 + panelH + LABEL + 4, x.get(j), LABEL, Canvas.Anchor.MIDDLE, false, false,
                            Color.BLACK);
                }
            }
            if (!xTitle.isEmpty()) {
                c.text(x0 + panelW / 2, y0 + panelH + xBand + 16, xTitle, 12, Canvas.Anchor.MIDDLE, false, false,
                        Color.BLACK);
            }
        }
        for (int r = 0; r * wrap < values.length; r++) {
            double y0 = top + r * rowStride;
            for (int i = 0; i < rows; i += yStep) {
                c.text(left - 6, y0 + (i + 0.5) * cellH + LABEL / 3, y.get(i), LABEL, Canvas.Anchor.END, false,
                        false, Color.BLACK);
            }
            if (!yTitle.isEmpty()) {
                c.text(PAD + 14, y0 + panelH / 2, yTitle, 12, Canvas.Anchor.MIDDLE, true, false, Color.BLACK);
            }
        }
        double barX = left + wrap * panelW + (wrap - 1) * GAP + 24;
        bar.draw(c, barX, top, barHeight(panelH));
    }

    private void drawCells(Canvas c, int f, double x0, double y0) {
        String facet = facets.isEmpty() ? "" : facets.get(f) + "\n";
        String yName = yTitle.isEmpty() ? "y" : yTitle;
        String xName = xTitle.isEmpty() ? "x" : xTitle;
        double textSize = Math.min(11, cellH * 0.45);
        boolean annotate = showValues && cellH >= 14 && cellW >= TextMetrics.width("-0.00", textSize) + 4;
        for (int i = 0; i < values[f].length; i++) {
            for (int j = 0; j < values[f][i].length; j++) {
                float v = values[f][i][j];
                double t = Float.isNaN(v) ? Double.NaN : (v - bar.lo()) / (bar.hi() - bar.lo());
                String tip = facet + yName + ": " + y.get(i) + "\n" + xName + ": " + x.get(j) + "\nvalue: "
                        + Fmt.value(v);
                c.rect(x0 + j * cellW, y0 + i * cellH, cellW, cellH, bar.scale().at(t), tip);
                if (annotate && !Float.isNaN(v)) {
                    Color ink = Math.abs(t - 0.5) > 0.32 ? Color.WHITE : Color.BLACK;
                    c.text(x0 + (j + 0.5) * cellW, y0 + (i + 0.5) * cellH + textSize / 3, Fmt.cell(v), textSize,
                            Canvas.Anchor.MIDDLE, false, false, ink);
                }
            }
        }
    }

    private static double barHeight(double panelH) {
        return Math.max(120, Math.min(panelH, 320));
    }

    private static List<String> every(List<String> labels, int step) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < labels.size(); i += step) {
            out.add(labels.get(i));
        }
        return out;
    }

    private static double clamp(double v, double lo, double hi) {
        return Math.max(lo, Math.min(hi, v));
    }

    private static boolean hasNaN(float[][][] values) {
        for (float[][] panel : values) {
            for (float[] row : panel) {
                for (float v : row) {
                    if (Float.isNaN(v)) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    // explicit [lo, hi], or symmetric about the midpoint: mid -/+ max |v - mid| over finite values (1 if none)
    private static double[] range(float[][][] values, Double lo, Double hi, double mid) {
        if (lo != null) {
            return new double[] {lo, hi};
        }
        double m = 0;
        for (float[][] panel : values) {
            for (float[] row : panel) {
                for (float v : row) {
                    if (Float.isFinite(v)) {
                        m = Math.max(m, Math.abs(v - mid));
                    }
                }
            }
        }
        m = m > 0 ? m : 1;
        return new double[] {mid - m, mid + m};
    }

    /** Options of a heatmap; every label list is checked against the tensor's dims. */
    public static final class Builder {
        private final float[][][] values;
        private final int[] shape;
        private List<String> x;
        private List<String> y;
        private List<String> facets = List.of();
        private String title = "";
        private String xTitle = "";
        private String yTitle = "";
        private String colorTitle = "";
        private Double lo;
        private Double hi;
        private double midpoint;
        private ColorScale scale = ColorScale.DIVERGING;
        private boolean showValues;
        private int wrap;

        private Builder(Tensor t) {
            if (t.rank() != 2 && t.rank() != 3) {
                throw new IllegalArgumentException("heatmap: expected a [rows, cols] or [facets, rows, cols] tensor, "
                        + "got shape " + Shape.str(t.shape()));
            }
            if (t.numel() == 0) {
                throw new IllegalArgumentException("heatmap: the tensor is empty, shape " + Shape.str(t.shape()));
            }
            Tensor t3 = t.rank() == 2 ? t.unsqueeze(0) : t;
            shape = t.shape();
            float[] flat = t3.contiguous().toArray();
            int f = t3.size(0);
            int r = t3.size(1);
            int c = t3.size(2);
            values = new float[f][r][c];
            for (int k = 0; k < f; k++) {
                for (int i = 0; i < r; i++) {
                    System.arraycopy(flat, (k * r + i) * c, values[k][i], 0, c);
                }
            }
        }

        /** Column labels (plotly's {@code x=}), one per column. */
        public Builder x(List<String> labels) {
            x = check("x labels", labels, shape.length - 1);
            return this;
        }

        /** Row labels (plotly's {@code y=}), one per row. */
        public Builder y(List<String> labels) {
            y = check("y labels", labels, shape.length - 2);
            return this;
        }

        /** Facet titles ({@code facet_labels}), one per facet of a 3-d tensor. */
        public Builder facets(List<String> labels) {
            if (shape.length != 3) {
                throw new IllegalArgumentException("heatmap: facet labels need a [facets, rows, cols] tensor, got "
                        + "shape " + Shape.str(shape));
            }
            facets = check("facet labels", labels, 0);
            return this;
        }

        /** The title at the top. */
        public Builder title(String text) {
            title = text;
            return this;
        }

        /** The x axis title ({@code labels={"x": ...}}). */
        public Builder xTitle(String text) {
            xTitle = text;
            return this;
        }

        /** The y axis title ({@code labels={"y": ...}}). */
        public Builder yTitle(String text) {
            yTitle = text;
            return this;
        }

        /** The colour bar's title ({@code labels={"color": ...}}). */
        public Builder colorTitle(String text) {
            colorTitle = text;
            return this;
        }

        /** A fixed colour range ({@code zmin}, {@code zmax}); values outside get the end colours. */
        public Builder range(double zmin, double zmax) {
            if (!(zmin < zmax) || !Double.isFinite(zmin) || !Double.isFinite(zmax)) {
                throw new IllegalArgumentException("heatmap: range needs finite zmin < zmax, got [" + zmin + ", "
                        + zmax + "]");
            }
            lo = zmin;
            hi = zmax;
            return this;
        }

        /** The value at the scale's centre when no range is given ({@code color_continuous_midpoint}, default 0). */
        public Builder midpoint(double mid) {
            midpoint = mid;
            return this;
        }

        /** The colour scale (default {@link ColorScale#DIVERGING}). */
        public Builder scale(ColorScale s) {
            scale = s;
            return this;
        }

        /** Writes each value in its cell where the cells are big enough ({@code text_auto}). */
        public Builder showValues(boolean show) {
            showValues = show;
            return this;
        }

        /** At most {@code facetsPerRow} facets side by side, then a new row ({@code facet_col_wrap}). */
        public Builder wrap(int facetsPerRow) {
            if (facetsPerRow < 1) {
                throw new IllegalArgumentException("heatmap: wrap needs at least 1 facet per row, got " + facetsPerRow);
            }
            wrap = facetsPerRow;
            return this;
        }

        /** The heatmap. */
        public Heatmap build() {
            return new Heatmap(this);
        }

        private List<String> check(String what, List<String> labels, int dim) {
            if (labels.size() != shape[dim]) {
                String axis = shape.length - dim == 1 ? "columns" : shape.length - dim == 2 ? "rows" : "facets";
                throw new IllegalArgumentException("heatmap: " + labels.size() + " " + what + " for " + shape[dim]
                        + " " + axis + " (dim " + dim + " of shape " + Shape.str(shape) + ")");
            }
            return List.copyOf(labels);
        }
    }
}

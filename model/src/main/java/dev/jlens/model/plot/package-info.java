/**
 * Pictures of tensors, after the seeds' plotly helpers and circuitsvis: heatmaps ({@link dev.jlens.model.plot.Heatmap},
 * imshow with a diverging scale centred at zero and facets), attention patterns ({@link
 * dev.jlens.model.plot.AttentionView}, circuitsvis attention_heads), line, scatter and bar plots. Each plot draws
 * itself once onto a {@link dev.jlens.model.plot.Canvas}; {@link dev.jlens.model.plot.PlotFiles} renders that
 * drawing as a PNG (Java2D, headless) and as a self-contained HTML page (inline SVG and script, hover values, no
 * network). Labels come in as strings: {@link dev.jlens.model.plot.Labels} makes the seeds' "tok_i" and "L9H9".
 * May import: tensor, the JDK (java.awt for colours, fonts and PNG). Must not import analysis, patching or cli.
 */
package dev.jlens.model.plot;

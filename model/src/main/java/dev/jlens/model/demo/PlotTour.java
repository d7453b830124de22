// The README's Java tour: the seeds' induction, attribution, patching and ablation workflows, each with its picture.
package dev.jlens.model.demo;

import dev.jlens.model.CachedRun;
import dev.jlens.model.HookedGpt2;
import dev.jlens.model.analysis.Ablation;
import dev.jlens.model.analysis.CacheAnalysis;
import dev.jlens.model.analysis.HeadScores;
import dev.jlens.model.analysis.LogitMetrics;
import dev.jlens.model.analysis.ResidualStack;
import dev.jlens.model.analysis.Slice;
import dev.jlens.model.builtin.InductionModel;
import dev.jlens.model.patching.PatchMetric;
import dev.jlens.model.patching.PatchType;
import dev.jlens.model.patching.Patching;
import dev.jlens.model.plot.AttentionView;
import dev.jlens.model.plot.Heatmap;
import dev.jlens.model.plot.Labels;
import dev.jlens.model.plot.LinePlot;
import dev.jlens.model.plot.PlotFiles;
import dev.jlens.model.plot.ScatterPlot;
import dev.jlens.tensor.Tensor;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.DoubleUnaryOperator;
import java.util.function.ToDoubleFunction;

/**
 * On induction-2l (built in, no download) with BOS + 12 random tokens repeated twice, batch 2: induction scores and
 * layer 1's attention (seed 000), direct logit attribution of each head and the logit lens (seed 001), patching
 * every head's output, query, key, value and pattern and the residual stream, with the output-vs-value scatter
 * (seed 002), and zero-ablating each head (seed 000). Writes every picture as PNG and HTML to a folder and returns
 * the tensors by name. Run: {@code java -cp model/target/jlens.jar dev.jlens.model.demo.PlotTour [DIR]}.
 */
public final class PlotTour {
    private static final int SEQ_LEN = 12;

    private PlotTour() {}

    /** Writes the tour's pictures to {@code args[0]} (default jlens-plots/tour). */
    public static void main(String[] args) {
        Map<String, Tensor> results = run(Path.of(args.length > 0 ? args[0] : "jlens-plots/tour"));
        results.forEach((name, t) -> System.out.println(name + " " + Arrays.toString(t.shape())));
    }

    /** Runs the tour, writing its pictures into {@code dir}; returns the tensors it plotted, by file name. */
    public static Map<String, Tensor> run(Path dir) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        // 1. Hooks and induction scores (seed 000)
        HookedGpt2 model = dev.jlens.model.pretrained.Pretrained.load("induction-2l");
        int[][] tokens = InductionModel.repeatedTokens(2, SEQ_LEN, 0);     // [2, 25]: BOS, A, A
        List<String> strTokens = Arrays.stream(tokens[0]).mapToObj(model.tokenizer()::tokenString).toList();
        CachedRun run = model.runWithCache(tokens);                          // every activation, TL names
        Tensor induction = HeadScores.induction(run.cache(), SEQ_LEN);       // [n_layers, n_heads]
        PlotFiles.write(Heatmap.of(induction).title("Induction score by head").xTitle("Head").yTitle("Layer")
                .showValues(true).build(), dir, "induction_scores");
        Tensor layer1 = run.cache().get("pattern", 1).select(0, 0);          // [head, dest_pos, src_pos], row 0
        PlotFiles.write(AttentionView.of(layer1, strTokens, Labels.heads(1, model.cfg().nHeads()),
                "Layer 1 attention patterns"), dir, "attention_layer1");
        out.put("induction_scores", induction);

        // 2. Direct logit attribution and the logit lens at the second-to-last position (seed 001)
        int pos = 2 * SEQ_LEN - 1;                                            // predicts token pos + 1
        int[] answers = Arrays.stream(tokens).mapToInt(row -> row[pos + 1]).toArray();
        CacheAnalysis analysis = new CacheAnalysis(model, run.cache());
        ResidualStack heads = analysis.stackHeadResults(null, false, Slice.at(pos), false); // [n_heads_total, b, d]
        Tensor perHead = analysis.logitAttribution().logitAttrs(heads.stack(), answers, null, Slice.at(pos))
                .mean(1).reshape(model.cfg().nLayers(), model.cfg().nHeads()); // mean over the batch
        PlotFiles.write(Heatmap.of(perHead).title("Direct logit attribution of each head (correct next token)")
                .xTitle("Head").yTitle("Layer").showValues(true).build(), dir, "logit_attribution");
        ResidualStack resid = analysis.accumulatedResid(null, false, false, Slice.at(pos), false);
        Tensor lens = analysis.logitAttribution().logitAttrs(resid.stack(), answers, null, Slice.at(pos)).mean(1);
        PlotFiles.write(LinePlot.of(lens).hover(resid.labels()).title("Logit of the correct token, accumulated "
                + "residual stream").xTitle("component").yTitle("logit").build(), dir, "logit_lens");
        out.put("logit_attribution", perHead);
        out.put("logit_lens", lens);

        // 3. Activation patching (seed 002): clean A A, corrupted A B; metric: the clean tokens' loss on the
        // second half, normalised to 0 = corrupted, 1 = clean
        int[][] other = InductionModel.repeatedTokens(2, SEQ_LEN, 1);
        int[][] corrupted = new int[tokens.length][];
        for (int b = 0; b < tokens.length; b++) {
            corrupted[b] = tokens[b].clone();
            System.arraycopy(other[b], 1, corrupted[b], SEQ_LEN + 1, SEQ_LEN); // B replaces the repeat
        }
        ToDoubleFunction<Tensor> loss = LogitMetrics.nextTokenLoss(tokens, SEQ_LEN + 1, 2 * SEQ_LEN);
        DoubleUnaryOperator normalise = LogitMetrics.normalized(loss.applyAsDouble(model.forward(tokens)),
                loss.applyAsDouble(model.forward(corrupted)));
        PatchMetric metric = logits -> (float) normalise.applyAsDouble(loss.applyAsDouble(logits));
        var cleanCache = Patching.cleanCache(model, tokens, corrupted);
        Tensor every = Patching.attnHeadAllPosEvery(model, corrupted, cleanCache, metric, true); // [5, L, H]
        PlotFiles.write(Heatmap.of(every).facets(List.of("Output", "Query", "Key", "Value", "Pattern"))
                .title("Activation patching per head (all positions)").xTitle("Head").yTitle("Layer").range(-1, 1)
                .build(), dir, "patch_every_head");
        Tensor residPre = Patching.actPatch(model, corrupted, cleanCache, metric, PatchType.RESID_PRE, true);
        PlotFiles.write(Heatmap.of(residPre).x(Labels.positions(strTokens)).title("resid_pre activation patching")
                .xTitle("Position").yTitle("Layer").build(), dir, "patch_resid_pre");
        Tensor layerOfHead = Tensor.arange(model.cfg().nLayers()).unsqueeze(1)
                .expand(model.cfg().nLayers(), model.cfg().nHeads());          // [L, H]: each head's layer
        PlotFiles.write(ScatterPlot.of(every.select(0, 3), every.select(0, 0))
                .hover(Labels.allHeads(model.cfg().nLayers(), model.cfg().nHeads())).color(layerOfHead, "Layer")
                .xTitle("Value Patch").yTitle("Output Patch").title("Output patching vs value patching").build(),
                dir, "patch_output_vs_value");
        out.put("patch_every_head", every);
        out.put("patch_resid_pre", residPre);

        // 4. Zero-ablating each head: change in the second repeat's loss (seed 000)
        Tensor ablation = Ablation.eachHead(model, tokens, Ablation.zero(),
                LogitMetrics.nextTokenLoss(tokens, SEQ_LEN + 1, 2 * SEQ_LEN));  // [n_layers, n_heads]
        PlotFiles.write(Heatmap.of(ablation).title("Loss difference after ablating heads").xTitle("Head")
                .yTitle("Layer").colorTitle("loss change").showValues(true).build(), dir, "ablation");
        out.put("ablation", ablation);
        return out;
    }
}

// Activation patching sweeps at the IOI shape: the naive loop (one forward per patch) vs the exact fast loop.
package dev.jlens.benchmarks;

import dev.jlens.hooks.ActivationCache;
import dev.jlens.model.Gpt2Assembly;
import dev.jlens.model.HookedGpt2;
import dev.jlens.model.LogitMetric;
import dev.jlens.model.config.Gpt2Config;
import dev.jlens.model.patching.AttributionPatching;
import dev.jlens.model.patching.PatchMetric;
import dev.jlens.model.patching.PatchType;
import dev.jlens.model.patching.Patching;
import dev.jlens.model.weights.RandomWeights;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * TL's patching sweeps on a GPT-2-small-shaped model (seeded random weights) at the IOI shape: 8 prompts x 15
 * tokens, a logit-difference metric reading the last position only. {@code sweep}: resid_pre ([12, 15], 180
 * patches), head_out_all_pos (z, [12, 12], 144) and head_out_by_pos (z, [12, 15, 12], 2160); {@code loop}: naive
 * (TL's loop, one full hooked forward per patch), fast (resume at the patched layer, positions from the patched
 * one only, unembed at the read position, patches batched per pass) or attribution (first-order estimates of the
 * whole sweep from one clean forward, one corrupted forward and one backward), measured in the same run. The score
 * is the {@code patches} counter: patches per second.
 *
 * <p>Subset: a naive by-pos sweep is 2160 forwards (minutes), so by default ({@code subset=stratified}) each
 * invocation runs a fixed subset, the same for both loops, chosen so the fast loop's work per patch averages as
 * in the full sweep: layers {0, 5, 7, 10} (mean 12 - l = 6.5 blocks, as over 0..11) and positions {3, 11} (mean
 * 15 - p = 8 positions, as over 0..14), every head: resid_pre 12 layers x 2 positions = 24 patches; head_out_all_pos
 * 4 layers x 12 heads = 48; head_out_by_pos 4 x 2 x 12 = 96. Heads of one (layer, pos) stay together, so passes
 * batch as in the full sweep. {@code subset=full} runs whole sweeps.
 *
 * <p>Napkin math (FLOPs per patch): a block costs 2 x 768 x (2304 + 768 + 2 x 3072) = 14.2 MFLOP per token, the
 * unembedding 77.2 MFLOP per token, so a naive patch (120 tokens through 12 blocks and W_U) is 29.7 GFLOP. A fast
 * patch at (layer l, pos p) runs 8 rows through blocks l..10 on 15 - p tokens, the last block's fused QKV (3.5
 * MFLOP per token) on those tokens and its W_O and MLP (10.6 MFLOP) on the read token only, then W_U on 8 tokens:
 * on average over the sweep (mean 11 - l = 5.5, mean 15 - p = 8) 5.9 GFLOP for resid_pre and head_out_by_pos
 * (5.0x less) and 10.5 GFLOP for head_out_all_pos (p = 0: 2.8x less). The subsets keep these means. Each fast
 * sweep also runs the corrupted input once (20 GFLOP, no W_U) to cache resid_pre, k and v. Batched passes run
 * GEMMs of up to 4096 tokens instead of 120.
 */
@State(Scope.Benchmark)
public class PatchingBenchmark extends JlensBenchmark {
    private static final int BATCH = 8;
    private static final int POS = 15;
    private static final int[] LAYERS = {0, 5, 7, 10};
    private static final int[] POSITIONS = {3, 11};

    @Param({"resid_pre", "head_out_all_pos", "head_out_by_pos"})
    public String sweep;

    @Param({"naive", "fast", "attribution"})
    public String loop;

    @Param({"stratified"})
    public String subset;

    HookedGpt2 model;  // this and the next three: read by AttributionCost, which runs this setup
    int[][] clean;     // [8, 15]
    int[][] corrupted; // [8, 15]
    LogitMetric differentiable; // the metric as tensor ops, for attribution patching
    private ActivationCache cleanCache;
    private PatchMetric metric;
    private PatchType type;
    private List<int[]> indices; // null: the full sweep

    /** Counts patches, so the score reads as patches per second. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Patches {
        public long patches;
    }

    @Setup(Level.Trial)
    public void setup() {
        Gpt2Config cfg = Gpt2Config.preset("gpt2");
        model = Gpt2Assembly.fromStateDict(cfg, RandomWeights.stateDict(cfg, 0));
        SplittableRandom random = new SplittableRandom(1);
        clean = new int[BATCH][POS];
        corrupted = new int[BATCH][POS];
        int[] answers = new int[BATCH];
        int[] wrong = new int[BATCH];
        for (int b = 0; b < BATCH; b++) {
            for (int p = 0; p < POS; p++) {
                clean[b][p] = random.nextInt(cfg.dVocab());
                corrupted[b][p] = p == 2 || p == 10 ? random.nextInt(cfg.dVocab()) : clean[b][p]; // IOI: names differ
            }
            answers[b] = random.nextInt(cfg.dVocab());
            wrong[b] = random.nextInt(cfg.dVocab());
        }
        cleanCache = Patching.cleanCache(model, clean, corrupted);
        int[][] pairs = new int[BATCH][];
        for (int b = 0; b < BATCH; b++) {
            pairs[b] = new int[] {answers[b], wrong[b]};
        }
        differentiable = LogitMetric.logitDiff(-1, pairs);
        metric = PatchMetric.reading(new int[] {-1}, logits -> { // logits [8, 1, d_vocab]: mean logit difference
            float sum = 0;
            for (int b = 0; b < BATCH; b++) {
                sum += logits.get(b, 0, answers[b]) - logits.get(b, 0, wrong[b]);
            }
            return sum / BATCH;
        });
        type = switch (sweep) {
            case "resid_pre" -> PatchType.RESID_PRE;
            case "head_out_all_pos" -> PatchType.ATTN_HEAD_OUT_ALL_POS;
            case "head_out_by_pos" -> PatchType.ATTN_HEAD_OUT_BY_POS;
            default -> throw new IllegalArgumentException("unknown sweep " + sweep);
        };
        indices = subset.equals("full") ? null : stratified(type, cfg.nLayers(), cfg.nHeads());
    }

    private static List<int[]> stratified(PatchType type, int layers, int heads) {
        List<int[]> out = new ArrayList<>();
        if (type == PatchType.RESID_PRE) {
            for (int l = 0; l < layers; l++) {
                for (int p : POSITIONS) {
                    out.add(new int[] {l, p});
                }
            }
            return out;
        }
        for (int l : LAYERS) {
            for (int p : type == PatchType.ATTN_HEAD_OUT_BY_POS ? POSITIONS : new int[] {-1}) {
                for (int h = 0; h < heads; h++) {
                    out.add(p < 0 ? new int[] {l, h} : new int[] {l, p, h});
                }
            }
        }
        return out;
    }

    /**
     * One sweep (or its subset); the result is returned so JMH keeps it. Attribution estimates the whole sweep from
     * a clean forward, a corrupted forward and one backward (subset ignored: it costs the same for any subset).
     */
    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    public float[] sweep(Patches counter) {
        if (loop.equals("attribution")) {
            float[] estimates = AttributionPatching.actPatch(model, clean, corrupted, differentiable, type).toArray();
            counter.patches += estimates.length;
            return estimates;
        }
        float[] result = Patching.genericPatch(model, corrupted, cleanCache, metric, type, indices,
                loop.equals("fast"));
        counter.patches += result.length;
        return result;
    }
}

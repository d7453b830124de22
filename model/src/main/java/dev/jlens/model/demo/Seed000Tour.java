// Seed 000 in Java on any attention-only model without LayerNorm: induction scores from a pattern hook chosen by
// name filter, direct logit attribution checked to sum to the logits, and the head zero-ablation loop.
package dev.jlens.model.demo;

import dev.jlens.hooks.ActivationCache;
import dev.jlens.hooks.FwdHook;
import dev.jlens.hooks.HookFn;
import dev.jlens.hooks.NameFilter;
import dev.jlens.model.HookedGpt2;
import dev.jlens.model.analysis.Ablation;
import dev.jlens.model.analysis.LogitMetrics;
import dev.jlens.model.config.Gpt2Config;
import dev.jlens.model.config.NormalizationType;
import dev.jlens.model.config.PositionalEmbeddingType;
import dev.jlens.model.weights.StateDict;
import dev.jlens.tensor.Tensor;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The seed's sections 1.1 (induction_score_hook on every {@code hook_pattern}), 2 (logit_attribution with its
 * {@code assert_close(logit_attr.sum(1), correct_token_logits)}) and 3 (get_ablation_scores), for a model passed
 * in: the seed's own (a {@code .pth} with its TL config, see {@code TorchModel}) or the built-in induction-2l.
 */
public final class Seed000Tour {
    /** The seed's tolerance on the sum of the attributions. */
    static final double SUM_ATOL = 1e-3;

    /**
     * What the tour computes.
     *
     * @param tokens           [batch][1 + 2 seqLen]: BOS, A, A
     * @param inductionScores  [n_layers, n_heads]: mean attention on the induction stripe
     * @param logitAttribution [seqLen * 2, 1 + n_layers * n_heads + 1], batch row 0: direct path, each head, biases
     * @param maxSumError      max |sum of a row's attributions - the logit of the correct next token|
     * @param ablationScores   [n_layers, n_heads]: loss on the second repeat with the head zero-ablated, minus
     *                         the loss without
     */
    public record Result(int[][] tokens, Tensor inductionScores, Tensor logitAttribution, double maxSumError,
            Tensor ablationScores) {}

    private Seed000Tour() {}

    /** Prints the tour's numbers for {@code [induction-2l | MODEL.pth CONFIG.json]} (see {@link TourModel}). */
    public static void main(String[] args) {
        TourModel m = TourModel.fromArgs(args);
        Result r = run(m.model(), m.bos(), 10, Math.min(50, (m.model().cfg().nCtx() - 1) / 2), 0); // the seed's
        System.out.println("induction scores [layer, head]\n" + r.inductionScores());
        System.out.println("logit attributions sum to the logits within " + r.maxSumError());
        System.out.println("loss change from zero-ablating each head [layer, head]\n" + r.ablationScores());
    }

    /**
     * Runs the three sections on {@code batch} prompts of BOS ({@code bos}) + seqLen random tokens repeated.
     *
     * @throws IllegalArgumentException when the model has a LayerNorm or no hook_result (the seed's attribution
     *                                  needs normalization None and use_attn_result)
     * @throws IllegalStateException    when the attributions do not sum to the logits within {@link #SUM_ATOL}
     */
    public static Result run(HookedGpt2 model, int bos, int batch, int seqLen, long seed) {
        Gpt2Config cfg = model.cfg();
        if (cfg.normalizationType() != NormalizationType.NONE || !cfg.useAttnResult()) {
            throw new IllegalArgumentException(cfg.modelName() + ": seed 000's logit attribution needs normalization "
                    + "None and use_attn_result, got " + cfg.normalizationType() + ", use_attn_result="
                    + cfg.useAttnResult());
        }
        int[][] a = SeedTokens.random(batch, seqLen, cfg.dVocab(), bos, new SplittableRandom(seed));
        int[][] tokens = SeedTokens.bosThen(bos, a, a);
        Tensor induction = inductionScores(model, tokens, seqLen);
        ActivationCache cache = model.runWithCache(tokens).cache();
        Tensor logits = model.forward(tokens);
        Tensor attribution = logitAttribution(model, cache, tokens[0]);
        double error = 0;
        for (int p = 0; p < tokens[0].length - 1; p++) {
            error = Math.max(error, Math.abs(attribution.select(0, p).sum(0).item() - logits.get(0, p,
                    tokens[0][p + 1])));
        }
        if (error > SUM_ATOL) {
            throw new IllegalStateException(cfg.modelName() + ": the logit attributions miss the logits by " + error);
        }
        Tensor ablation = Ablation.eachHead(model, tokens, Ablation.zero(),
                LogitMetrics.nextTokenLoss(tokens, seqLen + 1, 2 * seqLen));
        return new Result(tokens, induction, attribution, error, ablation);
    }

    /** induction_score_hook on every hook whose name ends with "pattern": the mean of the 1 - seqLen diagonal. */
    static Tensor inductionScores(HookedGpt2 model, int[][] tokens, int seqLen) {
        Tensor scores = Tensor.zeros(model.cfg().nLayers(), model.cfg().nHeads());
        HookFn stripe = (pattern, hook) -> { // [batch, head_index, query_pos, key_pos]
            for (int h = 0; h < pattern.size(1); h++) {
                double sum = 0;
                int n = 0;
                for (int b = 0; b < pattern.size(0); b++) {
                    for (int q = seqLen - 1; q < pattern.size(2); q++, n++) {
                        sum += pattern.get(b, h, q, q - (seqLen - 1));
                    }
                }
                scores.set((float) (sum / n), hook.layer(), h);
            }
            return null;
        };
        model.runWithHooks(tokens, List.of(FwdHook.of(NameFilter.endsWith("pattern"), stripe)));
        return scores;
    }

    /**
     * logit_attribution for one prompt: row p (predicting tokens[p + 1]) holds W_U[:, t] . x for x the direct path
     * (embed, plus pos_embed unless shortformer), each head's result, then the biases (every b_O, and b_U[t]).
     */
    static Tensor logitAttribution(HookedGpt2 model, ActivationCache cache, int[] tokens) {
        Gpt2Config cfg = model.cfg();
        StateDict w = model.weights();
        Tensor wU = w.get("unembed.W_U");                                   // [d_model, d_vocab]
        Tensor direct = cache.get("hook_embed").select(0, 0);               // [pos, d_model]
        if (cfg.positionalEmbeddingType() == PositionalEmbeddingType.STANDARD) {
            direct = direct.add(cache.get("hook_pos_embed").select(0, 0));
        }
        int heads = cfg.nLayers() * cfg.nHeads();
        Tensor out = Tensor.zeros(tokens.length - 1, 2 + heads);
        for (int p = 0; p < tokens.length - 1; p++) {
            int t = tokens[p + 1];
            out.set(dot(wU, t, direct.select(0, p)), p, 0);
            float bias = w.get("unembed.b_U").get(t);
            for (int l = 0; l < cfg.nLayers(); l++) {
                Tensor result = cache.get("result", l).select(0, 0).select(0, p); // [head_index, d_model]
                for (int h = 0; h < cfg.nHeads(); h++) {
                    out.set(dot(wU, t, result.select(0, h)), p, 1 + l * cfg.nHeads() + h);
                }
                bias += dot(wU, t, w.get("blocks." + l + ".attn.b_O"));
            }
            out.set(bias, p, 1 + heads);
        }
        return out;
    }

    /** W_U[:, t] . x for x [d_model]. */
    private static float dot(Tensor wU, int t, Tensor x) {
        double s = 0;
        for (int d = 0; d < x.size(0); d++) {
            s += (double) wU.get(d, t) * x.get(d);
        }
        return (float) s;
    }
}

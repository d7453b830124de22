// A KV-cached decode step at batch 8 against batch 1: paired, interleaved steps in one JVM (robust to host drift).
package dev.jlens.benchmarks;

import dev.jlens.model.HookedGpt2;
import dev.jlens.model.KvCache;
import dev.jlens.model.pretrained.Pretrained;
import dev.jlens.model.weights.ProcessingOptions;
import java.util.List;
import java.util.function.Supplier;

/**
 * GenerateBenchmark.decodeStep at batch 1 and at batch 8 on one checkpoint (unprocessed), {@link Paired}: each
 * batch has its own KV cache of a 16-token random prompt and feeds back its greedy tokens, so in repetition r both
 * decode at length 16 + warm-up + r; the batch-8 cost is the median of its per-repetition ratio to batch 1.
 *
 * <pre>{@code java -cp benchmarks.jar dev.jlens.benchmarks.DecodeCost CHECKPOINT [warmup] [reps]}</pre>
 * (scripts/bench-generate.sh runs it after JMH).
 */
public final class DecodeCost {
    private static final int PROMPT = 16;

    private DecodeCost() {}

    /** Args: checkpoint folder, warm-up repetitions (20), measured repetitions (60). */
    public static void main(String[] args) {
        if (args.length < 1) {
            System.err.println("usage: DecodeCost CHECKPOINT [WARMUP] [REPS]");
            System.exit(2);
        }
        int warmup = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        int reps = args.length > 2 ? Integer.parseInt(args[2]) : 60;
        HookedGpt2 model = Pretrained.load(args[0], ProcessingOptions.none());
        if (PROMPT + warmup + reps > model.cfg().nCtx()) {
            throw new IllegalArgumentException("warm-up + repetitions + " + PROMPT + " exceed n_ctx "
                    + model.cfg().nCtx());
        }
        Paired.run(List.of("batch 1", "batch 8"), List.of(decoder(model, 1), decoder(model, 8)), warmup, reps);
    }

    /** Steps of one batch: each call feeds the previous greedy tokens [B, 1] through the cache. */
    private static Supplier<Object> decoder(HookedGpt2 model, int batch) {
        int[][] prompt = JlensBenchmark.randomTokens(batch, PROMPT, model.cfg().dVocab(), batch);
        KvCache cache = new KvCache(model.cfg(), batch, model.cfg().nCtx());
        int[][][] next = {GenerateBenchmark.greedy(model.forward(prompt, null, cache))};
        return () -> next[0] = GenerateBenchmark.greedy(model.forward(next[0], null, cache));
    }
}

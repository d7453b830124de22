// KV-cached decoding of a GPT-2-small-shaped model: one decode step, and a whole greedy generate call.
package dev.jlens.benchmarks;

import dev.jlens.model.GenerateOptions;
import dev.jlens.model.Gpt2Assembly;
import dev.jlens.model.HookedGpt2;
import dev.jlens.model.KvCache;
import dev.jlens.model.config.Gpt2Config;
import dev.jlens.model.pretrained.Pretrained;
import dev.jlens.model.weights.ProcessingOptions;
import dev.jlens.model.weights.RandomWeights;
import dev.jlens.tensor.Tensor;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * GPT-2 small's shape (checkpoint folder in {@code checkpoint}, unprocessed, or seeded random weights), batch B:
 * {@code decodeStep} is one token per row against a KV cache of a 16-token prompt plus the steps of the iteration
 * so far (reset every iteration: at most a few hundred positions), then the greedy argmax of its logits;
 * {@code generate} is {@link HookedGpt2#generate} of 32 greedy tokens after the 16-token prompt (prefill
 * included), so tokens/s = 32 B / (ms/op / 1e3).
 *
 * <p>Napkin math per decode step: every weight is read once, 123.5 M floats = 494 MB (12 x 768 x 9216 in the blocks,
 * 768 x 50257 in W_U); at B = 1 the step is bound by that stream, so its floor is
 * {@link ReadBandwidthBenchmark} at shape 1x768x160849 (the same 123.5 M floats) in the same run; FLOPs are 2 B x
 * 123.5 M. Peer in the same run: scripts/bench-generate.sh times a KV-cached greedy loop in PyTorch and numpy.
 */
@State(Scope.Benchmark)
public class GenerateBenchmark extends JlensBenchmark {
    private static final int PROMPT = 16;
    private static final int NEW_TOKENS = 32;

    @Param({"1", "8"})
    public int batch;

    @Param("")
    public String checkpoint;

    private HookedGpt2 model;
    private int[][] prompt; // [B, PROMPT]
    private KvCache cache;
    private int[][] next; // [B, 1]: the token each row feeds next

    @Setup(Level.Trial)
    public void setup() {
        Gpt2Config cfg = Gpt2Config.preset("gpt2");
        model = checkpoint.isEmpty() ? Gpt2Assembly.fromStateDict(cfg, RandomWeights.stateDict(cfg, 0))
                : Pretrained.load(checkpoint, ProcessingOptions.none());
        prompt = randomTokens(batch, PROMPT, cfg.dVocab(), 1);
    }

    /** A fresh cache holding the prompt, so that every iteration decodes at the same lengths. */
    @Setup(Level.Iteration)
    public void prefill() {
        cache = new KvCache(model.cfg(), batch, model.cfg().nCtx());
        next = greedy(model.forward(prompt, null, cache));
    }

    /** One decode step: B new tokens through the model with the cache, then each row's argmax. */
    @Benchmark
    public int[][] decodeStep() {
        if (cache.length() == model.cfg().nCtx()) {
            prefill(); // only a fast device gets past n_ctx - 16 steps in one iteration
        }
        next = greedy(model.forward(next, null, cache));
        return next;
    }

    /** A whole generate call: prefill of the 16-token prompt and 32 greedy tokens per row. */
    @Benchmark
    public int[][] generate() {
        return model.generate(prompt, null, GenerateOptions.defaults().greedy().maxNewTokens(NEW_TOKENS)
                .stopAtEos(false)).newTokens();
    }

    /** argmax over the vocabulary of each row's last logits [B, n, V] -> [B][1]. */
    static int[][] greedy(Tensor logits) {
        Tensor ids = logits.select(1, logits.size(1) - 1).argmax(1); // [B]
        int[][] out = new int[ids.size(0)][1];
        for (int b = 0; b < out.length; b++) {
            out[b][0] = (int) ids.get(b);
        }
        return out;
    }
}

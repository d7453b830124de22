// Forward pass of a GPT-2-small-shaped model: no hooks vs observing hooks everywhere vs caching everything.
package dev.jlens.benchmarks;

import dev.jlens.hooks.NameFilter;
import dev.jlens.model.Gpt2Assembly;
import dev.jlens.model.HookedGpt2;
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
import org.openjdk.jmh.annotations.TearDown;

/**
 * Logits of GPT-2 small's shape (12 layers, d_model 768, 12 heads, d_mlp 3072, vocab 50257) for a batch [B x P]:
 * the checkpoint folder in {@code checkpoint} (unprocessed; scripts/bench-forward.sh passes the one numpy reads),
 * or seeded random weights when it is empty. {@code hooks}: "none" (the fast path: fused layer norm and
 * attention), "observe" (a hook returning null at every hook point, which forces the decomposed layer norm and
 * the materialised attention pattern), "cache" (run_with_cache of every activation).
 *
 * <p>Napkin math per forward, T = B*P tokens: 12 x (2T.768.2304 + 2T.768.768 + 2 x 2T.768.3072) + 2T.768.50257
 * + attention 12 x 4.B.12.P^2.64 FLOPs: 29.7 GFLOP at 8x15 (a third in the unembedding), 32.2 GFLOP at 1x128.
 * At the ~250 GFLOP/s SGEMM rate that is ~120 ms: the FLOP lower bound. Peer in the same run:
 * scripts/bench-forward.sh times numpy's float32 forward on the same shapes. On a GPU machine:
 * {@code ./jlens bench ForwardBenchmark -jvmArgsPrepend -Djlens.backend=cuda -p batch=8x15,1x1024 -p checkpoint=DIR}
 * beside {@code scripts/forward_peer_torch.py --model DIR} (PyTorch eager, fp32).
 */
@State(Scope.Benchmark)
public class ForwardBenchmark extends JlensBenchmark {
    @Param({"8x15", "1x128"})
    public String batch;

    @Param({"none", "observe", "cache"})
    public String hooks;

    @Param("")
    public String checkpoint;

    private HookedGpt2 model;
    private int[][] tokens; // [B, P]

    @Setup(Level.Trial)
    public void setup() {
        Gpt2Config cfg = Gpt2Config.preset("gpt2");
        model = checkpoint.isEmpty() ? Gpt2Assembly.fromStateDict(cfg, RandomWeights.stateDict(cfg, 0))
                : Pretrained.load(checkpoint, ProcessingOptions.none());
        String[] bp = batch.split("x");
        tokens = randomTokens(Integer.parseInt(bp[0]), Integer.parseInt(bp[1]), cfg.dVocab(), 1);
        if (hooks.equals("observe")) {
            model.addHook(NameFilter.all(), (act, hook) -> null);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        model.resetHooks(true);
    }

    /**
     * One forward pass to logits [B, P, 50257]; reading one logit makes a device backend finish the pass (its
     * kernels run asynchronously) and costs nothing measurable on the CPU.
     */
    @Benchmark
    public float forward() {
        Tensor logits = hooks.equals("cache") ? model.runWithCache(tokens).output().logits() : model.forward(tokens);
        return logits.get(0, 0, 0);
    }
}

// A processed load holds one sublayer's intermediates per part, not a whole block's (allocated off-heap bytes).
package dev.jlens.model;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jlens.model.config.Gpt2Config;
import dev.jlens.model.tokenizer.Gpt2Tokenizer;
import dev.jlens.model.weights.ProcessingOptions;
import dev.jlens.model.weights.RandomWeights;
import dev.jlens.model.weights.StateDict;
import dev.jlens.tensor.DType;
import dev.jlens.tensor.Shape;
import dev.jlens.tensor.Tensor;
import dev.jlens.tensor.storage.OffHeap;
import dev.jlens.tensor.storage.SegmentStorage;
import java.lang.foreign.Arena;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AssemblyTransientTest {
    // d_model 256, 4 heads of 64, d_mlp 1024: every processed matrix is large enough to go off the heap
    private static final Gpt2Config CFG = Gpt2Config.gpt2Shape("transient-test", 2, 256, 4, 1024, 500, 16);
    private static final long ATTN_BYTES = 4L * 4 * CFG.dModel() * CFG.nHeads() * CFG.dHead(); // W_Q, W_K, W_V, W_O
    private static final long MLP_BYTES = 4L * 2 * CFG.dModel() * CFG.dMlp(); // W_in, W_out

    @Test
    void aProcessedBlockHoldsOneSublayersIntermediatesAtATime() {
        try (Arena confined = Arena.ofConfined()) { // weights only this thread may read: the parts run inline, in order
            StateDict raw = inArena(RandomWeights.stateDict(CFG, 7), confined);
            OffHeap.resetPeak();
            long before = OffHeap.liveBytes();
            HookedGpt2 model = Gpt2Assembly.load(CFG, raw, ProcessingOptions.defaults(), (Gpt2Tokenizer) null);
            long transientBytes = OffHeap.peakBytes() - OffHeap.liveBytes();
            assertTrue(transientBytes >= MLP_BYTES && transientBytes < ATTN_BYTES + MLP_BYTES, "transient off-heap "
                    + "bytes " + transientBytes + ": one MLP sublayer's processed W_in and W_out are " + MLP_BYTES
                    + ", a whole block's " + (ATTN_BYTES + MLP_BYTES) + " (live before " + before + ")");
            float[] logits = model.forward(new int[][] {{1, 2, 3}}).toArray();
            assertTrue(Float.isFinite(logits[0]) && Float.isFinite(logits[logits.length - 1]));
        }
    }

    /** A copy of sd whose tensors live in {@code arena}. */
    private static StateDict inArena(StateDict sd, Arena arena) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (String key : sd.keys()) {
            Tensor t = sd.get(key);
            Tensor copy = Tensor.view(new SegmentStorage(arena.allocate((long) t.numel() * Float.BYTES), DType.F32),
                    t.shape(), Shape.contiguousStrides(t.shape()), 0);
            out.put(key, copy.copyFrom(t));
        }
        return new StateDict(out, "random weights in a confined arena");
    }
}

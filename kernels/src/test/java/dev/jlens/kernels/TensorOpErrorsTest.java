// Bad arguments to tensor ops fail before any kernel runs, with messages naming the op, shapes and indices.
package dev.jlens.kernels;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jlens.kernels.scalar.ScalarBackend;
import dev.jlens.tensor.Tensor;
import dev.jlens.tensor.backend.Backends;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class TensorOpErrorsTest {
    private Backends.Scope scope;

    @BeforeEach
    void useScalar() {
        scope = Backends.use(new ScalarBackend());
    }

    @AfterEach
    void restore() {
        scope.close();
    }

    private static void fails(Class<? extends Throwable> type, Executable op, String... fragments) {
        String message = assertThrows(type, op).getMessage();
        for (String f : fragments) {
            assertTrue(message.contains(f), "message lacks '" + f + "': " + message);
        }
    }

    @Test
    void causalAttentionChecksEveryShape() {
        Tensor q = Tensor.zeros(2, 3, 4, 8);
        Tensor k = Tensor.zeros(2, 5, 4, 8);
        fails(IllegalArgumentException.class, () -> Tensor.causalAttention(Tensor.zeros(2, 3, 32), k, k, null, 1f),
                "causalAttention", "q [batch, query_pos, head_index, d_head]", "rank 4", "[2, 3, 32]");
        fails(IllegalArgumentException.class, () -> Tensor.causalAttention(q, Tensor.zeros(2, 5, 2, 8), k, null, 1f),
                "causalAttention", "k [2, 5, 2, 8]", "q [2, 3, 4, 8]", "head_index");
        fails(IllegalArgumentException.class, () -> Tensor.causalAttention(k, q, q, null, 1f),
                "causalAttention", "5 queries but only 3 keys");
        fails(IllegalArgumentException.class, () -> Tensor.causalAttention(q, k, Tensor.zeros(2, 5, 4, 7), null, 1f),
                "causalAttention", "v [2, 5, 4, 7]", "k's shape [2, 5, 4, 8]");
        fails(IllegalArgumentException.class, () -> Tensor.attentionScores(q, k, Tensor.zeros(2, 3), 1f),
                "attentionScores", "keyMask [2, 3]", "[2, 5]");
        fails(IllegalArgumentException.class, () -> Tensor.attentionMix(Tensor.zeros(2, 4, 3, 6), k),
                "attentionMix", "pattern [2, 4, 3, 6]", "v [2, 5, 4, 8]", "key_pos");
    }

    @Test
    void layerNormHalvesCheckTheScaleShape() {
        fails(IllegalArgumentException.class, () -> Tensor.zeros(2, 3, 8).layerNormNormalize(Tensor.zeros(2, 3)),
                "layerNormNormalize", "scale [2, 3]", "[2, 3, 1]", "[2, 3, 8]");
        fails(IllegalArgumentException.class, () -> Tensor.scalar(1f).layerNormScale(1e-5f), "layerNormScale");
    }

    @Test
    void matmulInnerDimsMustAgree() {
        fails(IllegalArgumentException.class, () -> Tensor.zeros(2, 3, 4).matmul(Tensor.zeros(5, 6)),
                "matmul", "[2, 3, 4]", "K=4", "[5, 6]", "K=5");
    }

    @Test
    void matmulBatchDimsMustBroadcast() {
        fails(IllegalArgumentException.class, () -> Tensor.zeros(2, 3, 4).matmul(Tensor.zeros(3, 4, 5)),
                "batch dims", "[2]", "[3]");
    }

    @Test
    void elementwiseShapesMustBroadcast() {
        fails(IllegalArgumentException.class, () -> Tensor.zeros(2, 3).add(Tensor.zeros(2)), "add", "[2, 3]", "[2]");
    }

    @Test
    void copyIntoAViewNeedsTheExactShape() {
        Tensor z = Tensor.zeros(2, 5, 3, 4);
        fails(IllegalArgumentException.class, () -> z.select(2, 1).copyFrom(Tensor.zeros(2, 5)),
                "copyFrom", "[2, 5]", "[2, 5, 4]");
    }

    @Test
    void gatherIndexOutOfRange() {
        fails(IndexOutOfBoundsException.class, () -> Tensor.zeros(2, 3).gather(1, Tensor.full(3f, 2, 1)),
                "gather", "3.0", "dim 1 of size 3");
    }

    @Test
    void indexSelectOutOfRange() {
        fails(IndexOutOfBoundsException.class, () -> Tensor.zeros(4, 3).indexSelect(0, 1, 4),
                "indexSelect", "index 4", "dim 0 of size 4");
    }

    @Test
    void topkBeyondTheDim() {
        fails(IllegalArgumentException.class, () -> Tensor.zeros(2, 3).topk(4, -1), "topk", "k=4", "size 3");
    }

    @Test
    void layerNormWeightMustMatchTheLastDim() {
        fails(IllegalArgumentException.class, () -> Tensor.zeros(2, 8).layerNorm(Tensor.zeros(7), null, 1e-5f),
                "layerNorm", "weight", "[7]", "[8]");
    }

    @Test
    void catNamesTheOffendingTensor() {
        fails(IllegalArgumentException.class, () -> Tensor.cat(0, Tensor.zeros(1, 3), Tensor.zeros(1, 4)),
                "cat", "tensor 1", "[1, 4]", "[1, 3]");
    }

    @Test
    void reductionOverAnEmptyDim() {
        fails(IllegalArgumentException.class, () -> Tensor.zeros(2, 0).max(1), "max", "empty");
    }

    @Test
    void comparisonsNeedTheSameShape() {
        fails(IllegalArgumentException.class, () -> Tensor.zeros(2).maxAbsDiff(Tensor.zeros(1, 2)), "[2]", "[1, 2]");
    }
}

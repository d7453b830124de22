// Dense copies of broadcast views: each row filled with its one value, wherever the rows sit.
package dev.jlens.kernels.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.jlens.tensor.Tensor;
import org.junit.jupiter.api.Test;

class LayoutsTest {
    @Test
    void aBroadcastColumnBecomesRowsOfItsValues() {
        Tensor column = Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3, 1).narrow(1, 1, 2).expand(2, 2, 4);
        assertArrayEquals(new float[] {2, 2, 2, 2, 3, 3, 3, 3, 5, 5, 5, 5, 6, 6, 6, 6},
                Layouts.dense(column).toArray());
        assertArrayEquals(new float[] {7, 7, 7, 7, 7, 7}, Layouts.dense(Tensor.scalar(7f).expand(2, 3)).toArray());
        Tensor dst = Tensor.zeros(2, 3, 2);
        Layouts.copy(dst.narrow(1, 1, 2), Tensor.of(new float[] {8, 9}, 2, 1, 1).expand(2, 2, 2));
        assertArrayEquals(new float[] {0, 0, 8, 8, 8, 8, 0, 0, 9, 9, 9, 9}, dst.toArray());
    }
}

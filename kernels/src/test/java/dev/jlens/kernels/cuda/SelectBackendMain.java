// A tiny program for CudaUnavailableTest: selects the backend as any jlens program does and prints its name.
package dev.jlens.kernels.cuda;

import dev.jlens.tensor.Tensor;
import dev.jlens.tensor.backend.Backends;

/** Prints the selected backend's name and the sum of [1, 2, 3] computed on it. */
public final class SelectBackendMain {
    private SelectBackendMain() {}

    public static void main(String[] args) {
        System.out.println(Backends.selected().name() + " " + Tensor.of(new float[] {1, 2, 3}, 3).sum(0).item());
    }
}

// The FFM plumbing the CUDA bindings stand on, exercised with libc (present everywhere) and the Layout struct.
package dev.jlens.kernels.cuda;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jlens.tensor.Tensor;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.util.List;
import org.junit.jupiter.api.Test;

class NativeBindingTest {
    @Test
    void theFirstLoadableCandidateWinsAndCallsGoThrough() {
        NativeLibrary libc = NativeLibrary.open("libc", List.of("libjlens-absent.so.99", "libc.so.6"));
        assertEquals("libc.so.6", libc.name());
        assertEquals(5, Driver.call(libc.function("abs", FunctionDescriptor.of(JAVA_INT, JAVA_INT)), -5));
        UnsatisfiedLinkError e = assertThrows(UnsatisfiedLinkError.class,
                () -> libc.function("cuInit", FunctionDescriptor.of(JAVA_INT, JAVA_INT)));
        assertTrue(e.getMessage().contains("libc.so.6 has no symbol cuInit"), e.getMessage());
    }

    @Test
    void whenNothingLoadsTheErrorListsEveryCandidate() {
        UnsatisfiedLinkError e = assertThrows(UnsatisfiedLinkError.class,
                () -> NativeLibrary.open("cuBLAS", List.of("libjlens-a.so.13", "libjlens-b.so.12")));
        assertTrue(e.getMessage().startsWith("cuBLAS not found; tried libjlens-a.so.13 ("), e.getMessage());
        assertTrue(e.getMessage().contains("libjlens-b.so.12 ("), e.getMessage());
    }

    @Test
    void cublasIsLookedUpByCuda13ThenCuda12Soname() {
        List<String> names = Cublas.candidates();
        assertEquals("libcublas.so.13", names.get(0), names.toString());
        assertEquals("libcublas.so.12", names.get(1), names.toString());
        assertTrue(names.contains("/usr/local/cuda/lib64/libcublas.so.13"), names.toString());
    }

    @Test
    void layoutStructMatchesLayoutCuh() {
        assertEquals(68, Layout.STRUCT.byteSize()); // int rank; int shape[8]; int stride[8];
        Tensor view = Tensor.zeros(2, 3, 4).permute(2, 0, 1).select(1, 1); // [4, 3], strides [1, 4]
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment s = Layout.of(view, arena);
            assertEquals(2, s.get(JAVA_INT, 0));
            assertEquals(4, s.getAtIndex(JAVA_INT, 1));
            assertEquals(3, s.getAtIndex(JAVA_INT, 2));
            assertEquals(1, s.getAtIndex(JAVA_INT, 9));
            assertEquals(4, s.getAtIndex(JAVA_INT, 10));
        }
        Tensor rank9 = Tensor.zeros(1, 1, 1, 1, 1, 1, 1, 1, 2);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Layout.of(rank9, Arena.ofAuto()));
        assertTrue(e.getMessage().contains("rank 9"), e.getMessage());
    }
}

// Opens the first loadable of several shared-library names (sonames or paths) for FFM downcalls, and binds symbols.
package dev.jlens.kernels.cuda;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.util.ArrayList;
import java.util.List;

/**
 * A native library opened through {@link SymbolLookup#libraryLookup(String, Arena)} (dlopen). The CUDA driver and
 * cuBLAS are reached this way rather than through JCuda's prebuilt natives, which link one CUDA major version
 * (libcublas.so.12) at build time; dlopen by soname works with whichever version the machine has.
 */
final class NativeLibrary {
    private final String name;
    private final SymbolLookup lookup;

    private NativeLibrary(String name, SymbolLookup lookup) {
        this.name = name;
        this.lookup = lookup;
    }

    /**
     * The first of {@code candidates} that dlopen accepts; throws {@link UnsatisfiedLinkError} naming every
     * candidate and why it failed when none loads.
     */
    static NativeLibrary open(String what, List<String> candidates) {
        List<String> failures = new ArrayList<>();
        for (String candidate : candidates) {
            try {
                return new NativeLibrary(candidate, SymbolLookup.libraryLookup(candidate, Arena.global()));
            } catch (IllegalArgumentException | IllegalCallerException e) {
                failures.add(candidate + " (" + e.getMessage() + ")");
            }
        }
        throw new UnsatisfiedLinkError(what + " not found; tried " + String.join(", ", failures));
    }

    /** The name (soname or path) that loaded. */
    String name() {
        return name;
    }

    /** A downcall handle for {@code symbol}; throws {@link UnsatisfiedLinkError} naming it when it is absent. */
    MethodHandle function(String symbol, FunctionDescriptor descriptor) {
        return Linker.nativeLinker().downcallHandle(lookup.find(symbol)
                .orElseThrow(() -> new UnsatisfiedLinkError(name + " has no symbol " + symbol)), descriptor);
    }

    /** True when the library exports {@code symbol}. */
    boolean has(String symbol) {
        return lookup.find(symbol).isPresent();
    }
}

// The PTX in the jar: one module per .cu file, and every kernel a launcher names is an .entry of its module.
package dev.jlens.kernels.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Checks what scripts/build-ptx.sh put on the class path against the sources and the {@link Kernel} table. Needs a
 * build with nvcc (skipped with that reason otherwise; the backend then reports "no PTX kernels in this build").
 */
class PtxTest {
    private static final Path SOURCES = Path.of("src/main/cuda");

    @BeforeEach
    void ptxWasBuilt() {
        assumeTrue(Ptx.load("elementwise") != null, "this build has no PTX: nvcc was not found (scripts/build-ptx.sh)");
    }

    @Test
    void everyKernelALauncherNamesIsAnEntryOfItsModuleWithTheSameParameters() {
        for (Kernel k : Kernel.values()) {
            Map<String, String> params = Ptx.params(Ptx.load(k.file()));
            assertTrue(params.containsKey(k.entry()), k + ": cuda/" + k.file() + ".ptx defines " + params.keySet());
            assertEquals(k.params(), params.get(k.entry()), k + ": parameter types in the PTX vs Kernel.params()");
        }
        assertNull(Ptx.missing());
    }

    @Test
    void everyCuFileHasItsPtxAndEveryGlobalKernelIsLaunched() throws IOException {
        Set<String> launched = Arrays.stream(Kernel.values()).map(Kernel::entry).collect(Collectors.toSet());
        Pattern global = Pattern.compile("extern \"C\" __global__ void (\\w+)\\(");
        Set<String> defined = new TreeSet<>();
        try (Stream<Path> files = Files.list(SOURCES)) {
            for (Path cu : files.filter(p -> p.toString().endsWith(".cu")).toList()) {
                String name = cu.getFileName().toString().replace(".cu", "");
                String ptx = Ptx.load(name);
                assertTrue(ptx != null, "no cuda/" + name + ".ptx for " + cu);
                Matcher m = global.matcher(Files.readString(cu));
                while (m.find()) {
                    defined.add(m.group(1));
                    assertTrue(Ptx.entries(ptx).contains(m.group(1)), m.group(1) + " missing from " + name + ".ptx");
                }
            }
        }
        assertEquals(new TreeSet<>(launched), defined, "kernels in the .cu files vs the Kernel table");
    }

    @Test
    void entriesAndParameterTypesAreParsedFromPtxText() {
        String ptx = """
                .version 9.0
                .target sm_80
                .visible .entry softmax_rows(
                	.param .u64 softmax_rows_param_0,
                	.param .u32 softmax_rows_param_1
                )
                .func (.param .b32 func_retval0) helper(
                	.param .b32 helper_param_0
                )
                .visible .entry copy_strided  (
                	.param .align 4 .b8 copy_strided_param_0[68],
                	.param .f32 copy_strided_param_1
                )
                """;
        assertEquals(Map.of("softmax_rows", "u64 u32", "copy_strided", "b8[68] f32"), Ptx.params(ptx));
        assertEquals(List.of("softmax_rows", "copy_strided"), List.copyOf(Ptx.entries(ptx)));
    }
}

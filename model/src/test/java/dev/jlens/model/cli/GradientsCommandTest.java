// ./jlens gradients writes the API's gradients as .npy, one per hook, and names bad input.
package dev.jlens.model.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jlens.model.Gradients;
import dev.jlens.model.HookedGpt2;
import dev.jlens.model.LogitMetric;
import dev.jlens.model.RunOptions;
import dev.jlens.model.builtin.BuiltinModels;
import dev.jlens.tensor.Tensor;
import dev.jlens.tensor.io.Npy;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GradientsCommandTest {
    @Test
    void writesOneNpyPerHookInTlShape(@TempDir Path dir) throws Exception {
        assertEquals(0, Main.run(new String[] {"gradients", "--model", "tiny-random", "--tokens", "1,2,3,4",
                "--tokens", "5,6,7,8", "--target", "9", "--pos", "2", "--hooks",
                "hook_embed,blocks.0.attn.hook_pattern", "--no-processing", "--out", dir.toString()}));
        HookedGpt2 model = BuiltinModels.load("tiny-random");
        Gradients want = model.gradients(new int[][] {{1, 2, 3, 4}, {5, 6, 7, 8}}, RunOptions.defaults(),
                LogitMetric.meanLogProb(2, 9), List.of("hook_embed", "blocks.0.attn.hook_pattern"));
        for (String name : List.of("hook_embed", "blocks.0.attn.hook_pattern")) {
            assertArrayEquals(want.get(name).toArray(), Npy.read(dir.resolve(name + ".npy")).toArray(), name);
        }
        assertArrayEquals(new int[] {2, 4, 4, 4}, Npy.read(dir.resolve("blocks.0.attn.hook_pattern.npy")).shape());
    }

    @Test
    void rowsOfDifferentLengthsArePaddedAndEachGetsItsOwnGradient(@TempDir Path dir) throws Exception {
        String hook = "blocks.0.hook_resid_pre";
        for (String pos : List.of("1", "-1")) {
            Path both = dir.resolve("both" + pos);
            Path alone = dir.resolve("alone" + pos);
            assertEquals(0, Main.run(new String[] {"gradients", "--model", "tiny-random", "--tokens", "1,2,3",
                    "--tokens", "5,6,7,8,9", "--target", "9", "--pos", pos, "--hooks", hook, "--out",
                    both.toString()}));
            assertEquals(0, Main.run(new String[] {"gradients", "--model", "tiny-random", "--tokens", "1,2,3",
                    "--target", "9", "--pos", pos, "--hooks", hook, "--out", alone.toString()}));
            Tensor padded = Npy.read(both.resolve(hook + ".npy")); // [2, 5, d_model], row 0 left-padded by 2
            Tensor want = Npy.read(alone.resolve(hook + ".npy")).scale(0.5f); // the batch's mean halves each row
            Tensor real = padded.narrow(0, 0, 1).narrow(1, 2, 3);
            double scale = want.maxAbsDiff(Tensor.zeros(want.shape()));
            // float32 rounding of another batch shape: 1e-5 of the largest |gradient|
            assertTrue(scale > 0 && real.maxAbsDiff(want) <= 1e-5 * scale, pos + ": " + real.maxAbsDiff(want));
            assertEquals(0, padded.narrow(0, 0, 1).narrow(1, 0, 2).maxAbsDiff(Tensor.zeros(1, 2, want.size(2))));
        }
        fails("--pos 3 is outside the 3 positions of --tokens row 0", "--tokens", "1,2,3", "--tokens", "5,6,7,8",
                "--target", "9", "--pos", "3", "--hooks", "hook_embed", "--out", dir.toString());
    }

    @Test
    void badInputIsNamed(@TempDir Path dir) {
        String out = dir.toString();
        fails("--target 99999 is not a token id", "--tokens", "1,2", "--target", "99999", "--pos", "0", "--hooks",
                "hook_embed", "--out", out);
        fails("--pos 5 is outside the 2 positions", "--tokens", "1,2", "--target", "3", "--pos", "5", "--hooks",
                "hook_embed", "--out", out);
        fails("--target is required", "--tokens", "1,2", "--pos", "0", "--hooks", "hook_embed", "--out", out);
        fails("nearest: [blocks.0.hook_resid_pre", "--tokens", "1,2", "--target", "3", "--pos", "0", "--hooks",
                "blocks.0.hook_resid_pree", "--out", out);
        fails("blocks.0.attn.hook_result: it is an optional hook point", "--tokens", "1,2", "--target", "3",
                "--pos", "0", "--hooks", "blocks.0.attn.hook_result", "--out", out);
    }

    private static void fails(String fragment, String... args) {
        String[] all = new String[args.length + 3];
        all[0] = "gradients";
        all[1] = "--model";
        all[2] = "tiny-random";
        System.arraycopy(args, 0, all, 3, args.length);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Main.run(all));
        assertTrue(e.getMessage().contains(fragment), "message lacks '" + fragment + "': " + e.getMessage());
    }
}

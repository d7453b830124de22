// Child-JVM entry of LowMemoryLoadTest: loads a checkpoint, writes logits of one token row, prints off-heap bytes.
package dev.jlens.model.pretrained;

import dev.jlens.model.HookedGpt2;
import dev.jlens.model.weights.ProcessingOptions;
import dev.jlens.tensor.io.Npy;
import dev.jlens.tensor.storage.OffHeap;
import java.nio.file.Path;
import java.util.Arrays;

/** {@code LoadProbe FOLDER processed|none IDS OUT.npy}: prints "live=BYTES peak=BYTES" after loading. */
public final class LoadProbe {
    private LoadProbe() {}

    public static void main(String[] args) throws Exception {
        ProcessingOptions options = args[1].equals("processed") ? ProcessingOptions.defaults()
                : ProcessingOptions.none();
        OffHeap.resetPeak();
        HookedGpt2 model = Pretrained.load(args[0], options);
        System.out.println("live=" + OffHeap.liveBytes() + " peak=" + OffHeap.peakBytes());
        int[] ids = Arrays.stream(args[2].split(",")).mapToInt(Integer::parseInt).toArray();
        Npy.write(Path.of(args[3]), model.forward(new int[][] {ids}));
    }
}

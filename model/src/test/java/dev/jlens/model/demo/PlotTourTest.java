// The README's tour runs, finds induction-2l's planted heads in every analysis, and writes all its pictures.
package dev.jlens.model.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jlens.tensor.Tensor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PlotTourTest {
    @Test // catches a tour that no longer compiles or runs, or whose analyses miss the planted L0H3 -> L1H5 circuit
    void tourFindsThePlantedCircuitAndWritesItsPictures(@TempDir Path dir) throws Exception {
        Map<String, Tensor> r = PlotTour.run(dir);
        assertTrue(r.get("induction_scores").get(1, 5) > 0.9, "induction score of L1H5");
        Tensor attribution = r.get("logit_attribution");
        assertEquals(5, (int) attribution.reshape(-1).argmax(0).item() - 8, "L1H5 writes the correct logit: "
                + attribution);
        Tensor lens = r.get("logit_lens"); // 0_pre, 1_pre, final_post: the correct logit appears in layer 1
        assertEquals(3, lens.size(0));
        assertTrue(lens.get(2) > lens.get(1) + 5, "logit lens " + lens);
        Tensor every = r.get("patch_every_head"); // [5, 2, 8]
        assertTrue(every.get(0, 1, 5) > 0.5, "patching L1H5's output restores the clean run: " + every);
        assertTrue(r.get("ablation").get(1, 5) > 1, "zero-ablating L1H5 raises the repeat's loss");
        for (String name : List.of("induction_scores", "attention_layer1", "logit_attribution", "logit_lens",
                "patch_every_head", "patch_resid_pre", "patch_output_vs_value", "ablation")) {
            assertTrue(Files.size(dir.resolve(name + ".png")) > 3000, name + ".png");
            assertTrue(Files.readString(dir.resolve(name + ".html")).contains("data-tip="), name + ".html");
        }
    }
}

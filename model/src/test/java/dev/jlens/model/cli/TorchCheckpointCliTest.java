// The command line on PyTorch checkpoints: --model file.pth --config cfg.json, and a folder holding both.
package dev.jlens.model.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class TorchCheckpointCliTest {
    private static final Path FIXTURES = Path.of("src/test/resources/dev/jlens/model/weights/torch");

    /** verify --tokens (each line of tokens.txt) --reference logits.npy --no-processing, plus {@code model}. */
    private static String verify(Path folder, String... model) throws IOException {
        List<String> args = new java.util.ArrayList<>(List.of("verify", "--no-processing", "--atol", "1e-5",
                "--reference", folder.resolve("logits.npy").toString()));
        for (String line : Files.readAllLines(folder.resolve("tokens.txt"))) {
            args.addAll(List.of("--tokens", line));
        }
        args.addAll(List.of(model));
        PrintStream original = System.out;
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buffer, true, StandardCharsets.UTF_8));
        try {
            return Main.run(args.toArray(String[]::new)) + "\n" + buffer.toString(StandardCharsets.UTF_8);
        } finally {
            System.setOut(original);
        }
    }

    @Test
    void pthWithConfigAndAFolderHoldingBothVerifyAgainstTorch() throws IOException {
        Path folder = FIXTURES.resolve("attn-only-shortformer");
        String out = verify(folder, "--model", folder.resolve("model.pth").toString(), "--config",
                folder.resolve("config.json").toString());
        assertTrue(out.startsWith("0\n") && out.contains("verify passed"), out);
        out = verify(FIXTURES.resolve("gpt2-tl"), "--model", FIXTURES.resolve("gpt2-tl").toString());
        assertTrue(out.startsWith("0\n") && out.contains("verify passed"), out);
    }

    @Test
    void aConfigThatDoesNotFitTheCheckpointNamesTheKeys() {
        Path folder = FIXTURES.resolve("attn-only-shortformer");
        String message = assertThrows(IllegalArgumentException.class, () -> verify(folder, "--model",
                folder.resolve("model.pth").toString(), "--config", FIXTURES.resolve("gpt2-tl/config.json")
                        .toString())).getMessage();
        assertEquals(folder.resolve("model.pth") + ": not a TransformerLens state dict of this config (tiny-gpt2, "
                + "attn_only=false, normalization LN); missing keys [blocks.0.ln1.w",
                message.substring(0, message.indexOf("blocks.0.ln1.w") + "blocks.0.ln1.w".length()));
    }
}

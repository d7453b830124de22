// tokenizer.json pipelines against an independent implementation of HF tokenizers: golden ids that
// scripts/reference/tokenizers/golden.mjs made with @lenml/tokenizers (a transformers.js fork) for Qwen3's and
// cl100k's real tokenizer.json and four small synthetic ones (GPT-NeoX-, Llama-3-style, a normalizer sequence,
// digits and splits), over a hostile corpus. Ids must match exactly, with and without special tokens, and decoding
// the reference's ids must give the text back wherever the pipeline does not normalize it away.
package dev.jlens.model.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PipelineGoldenTest {
    private static final String DIR = "/dev/jlens/model/tokenizer/pipelines/";

    /** Loaded once per class: Qwen3's 151k merges take a while to read on a busy machine. */
    private static final Map<String, Gpt2Tokenizer> LOADED = new ConcurrentHashMap<>();

    @TempDir
    static Path tmp;

    private static Gpt2Tokenizer load(String name) {
        return LOADED.computeIfAbsent(name, n -> Gpt2Tokenizer.fromTokenizerJson(tokenizerFile(n)));
    }

    /** The tokenizer.json of {@code name}, unzipped into the temp dir when stored gzipped. */
    static Path tokenizerFile(String name) {
        for (String suffix : new String[] {".tokenizer.json", ".tokenizer.json.gz"}) {
            try (InputStream in = PipelineGoldenTest.class.getResourceAsStream(DIR + name + suffix)) {
                if (in != null) {
                    Path out = tmp.resolve(name + ".tokenizer.json");
                    Files.copy(suffix.endsWith(".gz") ? new GZIPInputStream(in) : in, out,
                            java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                    return out;
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        throw new IllegalStateException("no test resource " + DIR + name + ".tokenizer.json(.gz)");
    }

    static Json golden(String name) {
        try (InputStream in = PipelineGoldenTest.class.getResourceAsStream(DIR + name + ".golden.json")) {
            Path file = tmp.resolve(name + ".golden.json");
            Files.copy(in, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            return Json.parse(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int[] ids(Json list) {
        return list.list().stream().mapToInt(Json::integer).toArray();
    }

    @ParameterizedTest
    @ValueSource(strings = {"qwen3", "cl100k", "neox-style", "llama3-style", "normalizers", "digits-split"})
    void idsMatchTheReferenceExactly(String name) {
        Gpt2Tokenizer tok = load(name);
        Json golden = golden(name);
        List<Json> cases = golden.get("cases").list();
        assertTrue(cases.size() >= 450, name + " has only " + cases.size() + " golden strings");
        List<String> mismatches = new ArrayList<>();
        for (Json c : cases) {
            String text = c.get("text").string();
            check(mismatches, text, "ids", ids(c.get("ids")), tok.encode(text));
            check(mismatches, text, "with special tokens", ids(c.get("special")), tok.encode(text, true));
        }
        for (Json p : golden.get("pairs").list()) {
            String a = p.get("a").string();
            String b = p.get("b").string();
            check(mismatches, a + " | " + b, "pair", ids(p.get("special")), tok.encodePair(a, b, true));
        }
        assertEquals(List.of(), mismatches, name + ": mismatches over " + cases.size() + " strings (first 10)");
    }

    private static void check(List<String> mismatches, String text, String what, int[] want, int[] got) {
        if (!Arrays.equals(want, got) && mismatches.size() < 10) {
            mismatches.add(ByteLevel.quote(text) + " " + what + ": reference " + Arrays.toString(want) + " jlens "
                    + Arrays.toString(got));
        }
    }

    /**
     * BOS / EOS / PAD: from the template (Llama 3 style's BOS, id 3262 in its added_tokens), else <|endoftext|>
     * (NeoX style, id 3256); a tokenizer_config.json beside the file wins, as transformers reads it.
     */
    @Test
    void specialTokenIdsComeFromTheConfigTheTemplateOrEndOfText() throws IOException {
        assertEquals(3262, load("llama3-style").bosTokenId());
        assertEquals(3256, load("neox-style").bosTokenId());
        assertEquals(3256, load("neox-style").padTokenId());
        Path dir = Files.createDirectories(tmp.resolve("with-config"));
        Path file = Files.copy(tokenizerFile("neox-style"), dir.resolve("tokenizer.json"));
        Files.writeString(dir.resolve("tokenizer_config.json"), "{\"bos_token\": {\"content\": \"<|padding|>\"}, "
                + "\"eos_token\": \"<|endoftext|>\", \"pad_token\": null}");
        Gpt2Tokenizer configured = Gpt2Tokenizer.fromTokenizerJson(file);
        assertEquals(List.of(3257, 3256, 3256),
                List.of(configured.bosTokenId(), configured.eosTokenId(), configured.padTokenId()));
    }

    /** Decoding the reference's ids gives the text back, up to the NFC the pipeline applies. */
    @ParameterizedTest
    @ValueSource(strings = {"qwen3", "cl100k", "neox-style", "llama3-style"})
    void decodingTheReferenceIdsGivesTheTextBack(String name) {
        Gpt2Tokenizer tok = load(name);
        UnaryOperator<String> expected = name.equals("qwen3") || name.equals("neox-style")
                ? s -> java.text.Normalizer.normalize(s, java.text.Normalizer.Form.NFC) : s -> s;
        List<String> mismatches = new ArrayList<>();
        for (Json c : golden(name).get("cases").list()) {
            String text = c.get("text").string();
            String back = tok.decode(ids(c.get("ids")));
            if (!back.equals(expected.apply(text)) && mismatches.size() < 10) {
                mismatches.add(ByteLevel.quote(text) + " decodes to " + ByteLevel.quote(back));
            }
        }
        assertEquals(List.of(), mismatches, name);
    }
}

// Loading from Hugging Face's files: the test writes GPT-2's vocab.json + merges.txt and tokenizer.json (merges as
// strings and as arrays) from the built-in vocabulary in HF's formats, and checks the loaded tokenizers agree.
// Also the loaders' error messages for malformed files.
package dev.jlens.model.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Gpt2TokenizerFilesTest {
    private static final Gpt2Tokenizer BUILT_IN = Gpt2Tokenizer.gpt2();
    private static final List<String> CORPUS = HostileCorpus.all(1000);
    private static final JsonFactory JSON = new JsonFactory();

    @TempDir
    Path dir;

    /** vocab.json as GPT-2's: one object from byte-level token string to id, in id order. */
    private Path writeVocabJson() throws IOException {
        Path file = dir.resolve("vocab.json");
        try (JsonGenerator g = JSON.createGenerator(file.toFile(), JsonEncoding.UTF8)) {
            writeVocab(g);
        }
        return file;
    }

    private static void writeVocab(JsonGenerator g) throws IOException {
        g.writeStartObject();
        Vocabulary v = BUILT_IN.vocabulary();
        for (int id = 0; id < v.size(); id++) {
            g.writeNumberField(v.token(id), id);
        }
        g.writeEndObject();
    }

    /** merges.txt as GPT-2's: a "#version: 0.2" line, then "a b" per line. */
    private Path writeMergesTxt() throws IOException {
        StringBuilder sb = new StringBuilder("#version: 0.2\n");
        for (String[] m : BUILT_IN.vocabulary().merges()) {
            sb.append(m[0]).append(' ').append(m[1]).append('\n');
        }
        return Files.writeString(dir.resolve("merges.txt"), sb, StandardCharsets.UTF_8);
    }

    /** tokenizer.json as GPT2TokenizerFast saves it; {@code arrays} picks the tokenizers >= 0.20 merge format. */
    private Path writeTokenizerJson(boolean arrays) throws IOException {
        Path file = dir.resolve(arrays ? "tokenizer-arrays.json" : "tokenizer.json");
        try (JsonGenerator g = JSON.createGenerator(file.toFile(), JsonEncoding.UTF8)) {
            g.writeStartObject();
            g.writeStringField("version", "1.0");
            g.writeNullField("truncation");
            g.writeArrayFieldStart("added_tokens");
            g.writeStartObject();
            g.writeNumberField("id", 50256);
            g.writeStringField("content", "<|endoftext|>");
            g.writeBooleanField("single_word", false);
            g.writeBooleanField("lstrip", false);
            g.writeBooleanField("rstrip", false);
            g.writeBooleanField("normalized", true);
            g.writeBooleanField("special", true);
            g.writeEndObject();
            g.writeEndArray();
            g.writeObjectFieldStart("pre_tokenizer");
            g.writeStringField("type", "ByteLevel");
            g.writeBooleanField("add_prefix_space", false);
            g.writeEndObject();
            g.writeObjectFieldStart("model");
            g.writeStringField("type", "BPE");
            g.writeNullField("dropout");
            g.writeFieldName("vocab");
            writeVocab(g);
            g.writeArrayFieldStart("merges");
            for (String[] m : BUILT_IN.vocabulary().merges()) {
                if (arrays) {
                    g.writeArray(m, 0, 2);
                } else {
                    g.writeString(m[0] + " " + m[1]);
                }
            }
            g.writeEndArray();
            g.writeEndObject();
            g.writeEndObject();
        }
        return file;
    }

    private static void assertSameAsBuiltIn(Gpt2Tokenizer loaded) {
        assertEquals(BUILT_IN.vocabSize(), loaded.vocabSize());
        assertEquals(BUILT_IN.vocabulary().tokens(), loaded.vocabulary().tokens());
        assertEquals(50256, loaded.bosTokenId());
        for (String s : CORPUS) {
            assertArrayEquals(BUILT_IN.encode(s), loaded.encode(s), () -> "ids of " + ByteLevel.quote(s));
        }
    }

    @Test
    void vocabJsonAndMergesTxtGiveTheSameTokenizer() throws IOException {
        assertSameAsBuiltIn(Gpt2Tokenizer.fromFiles(writeVocabJson(), writeMergesTxt()));
    }

    @Test
    void tokenizerJsonWithStringMergesGivesTheSameTokenizer() throws IOException {
        assertSameAsBuiltIn(Gpt2Tokenizer.fromTokenizerJson(writeTokenizerJson(false)));
    }

    @Test
    void tokenizerJsonWithArrayMergesGivesTheSameTokenizer() throws IOException {
        assertSameAsBuiltIn(Gpt2Tokenizer.fromTokenizerJson(writeTokenizerJson(true)));
    }

    @Test
    void malformedMergeLineNamesFileAndLine() throws IOException {
        Path merges = Files.writeString(dir.resolve("merges.txt"), "#version: 0.2\n\u0120 t\nh e x\n");
        var e = assertThrows(IllegalArgumentException.class, () -> Gpt2Tokenizer.fromFiles(writeVocabJson(), merges));
        assertEquals(merges + " line 3: a merge is two tokens separated by one space, got \"h e x\"", e.getMessage());
    }

    @Test
    void mergeOfUnknownTokenIsNamed() throws IOException {
        Path merges = Files.writeString(dir.resolve("merges.txt"), "#version: 0.2\n\u0120 t\nqqqqzzzz q\n");
        Path vocab = writeVocabJson();
        var e = assertThrows(IllegalArgumentException.class, () -> Gpt2Tokenizer.fromFiles(vocab, merges));
        assertEquals(vocab + " + " + merges + ": merge 1 \"qqqqzzzz\" \"q\" uses \"qqqqzzzz\","
                + " which is not in the vocab", e.getMessage());
    }

    @Test
    void gapInIdsIsNamed() throws IOException {
        Path vocab = Files.writeString(dir.resolve("vocab.json"), "{\"a\": 0, \"b\": 2}");
        Path merges = Files.writeString(dir.resolve("merges.txt"), "#version: 0.2\n");
        var e = assertThrows(IllegalArgumentException.class, () -> Gpt2Tokenizer.fromFiles(vocab, merges));
        assertEquals(vocab + " + " + merges + ": no token has id 1 (ids must be 0..2 without gaps)", e.getMessage());
    }

    @Test
    void tokenizerJsonOfAnotherModelTypeIsRejected() throws IOException {
        Path file = Files.writeString(dir.resolve("tokenizer.json"),
                "{\"model\": {\"type\": \"WordPiece\", \"vocab\": {}}}");
        var e = assertThrows(IllegalArgumentException.class, () -> Gpt2Tokenizer.fromTokenizerJson(file));
        assertEquals(file + ": model.type is \"WordPiece\", which jlens does not implement (jlens reads byte-level BPE "
                + "models; Unigram, WordPiece and WordLevel are not implemented)", e.getMessage());
    }
}

// Corpus input: the three file kinds, TL's tokenize_and_concatenate made exact, padded contexts, bad input.
package dev.jlens.model.dataset;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jlens.model.tokenizer.Gpt2Tokenizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ContextStreamTest {
    private static final Gpt2Tokenizer TOK = Gpt2Tokenizer.gpt2();
    private static final List<String> DOCS = List.of("The cat sat on the mat.", "Colorless green ideas sleep "
            + "furiously.", "", "A third document, with \u00e9 and \u4e2d\u6587 and numbers 12345.", "Last one.");

    @TempDir
    Path dir;

    private static List<Context> all(ContextStream s) {
        List<Context> out = new ArrayList<>();
        try (s) {
            for (Context c = s.next(); c != null; c = s.next()) {
                out.add(c);
            }
        }
        return out;
    }

    private Path txt(List<String> docs) throws IOException {
        return Files.writeString(dir.resolve("corpus.txt"), String.join("\n", docs) + "\n");
    }

    @Test // TL joins the documents' text with "<|endoftext|>" and tokenizes it; tokenizing the joined text is the
          // independent reference for the per-document variant (they agree on these documents)
    void concatenatedContextsAreTheJoinedTokensCutIntoPiecesWithBos() throws IOException {
        int[] joined = TOK.encode(String.join("<|endoftext|>", DOCS));
        for (int ctxLen : new int[] {2, 5, 8, 64}) {
            List<Context> contexts = all(ContextStream.concatenated(Corpus.of(txt(DOCS)), TOK, ctxLen));
            int piece = ctxLen - 1;
            assertEquals(joined.length / piece, contexts.size(), "ctx_len " + ctxLen + ": the last partial piece "
                    + "drops");
            for (int i = 0; i < contexts.size(); i++) {
                int[] want = new int[ctxLen];
                want[0] = TOK.bosTokenId();
                System.arraycopy(joined, i * piece, want, 1, piece);
                assertArrayEquals(want, contexts.get(i).tokens(), "ctx_len " + ctxLen + " context " + i);
                assertEquals(i, contexts.get(i).index());
                assertEquals(ctxLen, contexts.get(i).length());
            }
        }
    }

    @Test
    void paddedModeGivesOneContextPerDocumentCutAndPadded() throws IOException {
        List<Context> contexts = all(ContextStream.padded(Corpus.of(txt(DOCS)), TOK, 8));
        assertEquals(DOCS.size(), contexts.size());
        for (int d = 0; d < DOCS.size(); d++) {
            int[] ids = TOK.encode(DOCS.get(d));
            Context c = contexts.get(d);
            int real = Math.min(8, ids.length + 1);
            assertEquals(real, c.length(), "document " + d);
            assertEquals(TOK.bosTokenId(), c.tokens()[0]);
            for (int p = 1; p < 8; p++) {
                assertEquals(p < real ? ids[p - 1] : TOK.padTokenId(), c.tokens()[p], "document " + d + " pos " + p);
            }
        }
    }

    @Test
    void aFolderIsOneDocumentPerFileInNameOrderAndJsonlReadsTheField() throws IOException {
        Path folder = Files.createDirectory(dir.resolve("docs"));
        Files.writeString(folder.resolve("b.txt"), "second\nline two");
        Files.writeString(folder.resolve("a.txt"), "first");
        List<Context> contexts = all(ContextStream.padded(Corpus.of(folder), TOK, 16));
        assertEquals(2, contexts.size());
        assertEquals(TOK.encode("first").length + 1, contexts.get(0).length());
        assertEquals(TOK.encode("second\nline two").length + 1, contexts.get(1).length());

        Path jsonl = Files.writeString(dir.resolve("c.jsonl"), "{\"id\": 1, \"text\": \"hello there\", \"x\": [1, "
                + "{}]}\n" + "\n{\"text\": \"general kenobi\"}\n");
        List<Context> fromJson = all(ContextStream.padded(new Corpus(jsonl, "text", false), TOK, 16));
        assertEquals(2, fromJson.size());
        assertEquals(TOK.encode("general kenobi")[0], fromJson.get(1).tokens()[1]);
    }

    @Test
    void badJsonlLinesNameTheirLineOrAreSkippedAndCounted() throws IOException {
        Path jsonl = Files.writeString(dir.resolve("bad.jsonl"), "{\"text\": \"ok\"}\nnot json\n{\"body\": \"x\"}\n"
                + "{\"text\": 3}\n{\"text\": \"fine\"} trailing\n{\"text\": \"ok again\"}\n");
        var e = assertThrows(IllegalArgumentException.class,
                () -> all(ContextStream.padded(new Corpus(jsonl, "text", false), TOK, 8)));
        assertTrue(e.getMessage().contains("bad.jsonl line 2 is not a JSON object"), e.getMessage());
        assertTrue(e.getMessage().contains("--skip-bad-lines"), e.getMessage());
        Path missing = Files.writeString(dir.resolve("missing.jsonl"), "{\"text\": \"ok\"}\n{\"body\": \"x\"}\n");
        e = assertThrows(IllegalArgumentException.class,
                () -> all(ContextStream.padded(new Corpus(missing, "text", false), TOK, 8)));
        assertTrue(e.getMessage().contains("missing.jsonl line 2 has no string field \"text\""), e.getMessage());

        ContextStream skipping = ContextStream.padded(new Corpus(jsonl, "text", true), TOK, 8);
        List<Context> kept = new ArrayList<>();
        for (Context c = skipping.next(); c != null; c = skipping.next()) {
            kept.add(c);
        }
        assertEquals(2, kept.size());
        assertEquals(4, skipping.skippedLines(), "lines 2-5 are bad");
        skipping.close();
    }

    @Test
    void missingFilesAndMisusedFieldsAreRefusedUpFront() throws IOException {
        var e = assertThrows(IllegalArgumentException.class, () -> Corpus.of(dir.resolve("nope.txt")));
        assertEquals("corpus " + dir.resolve("nope.txt") + " does not exist", e.getMessage());
        Path jsonl = Files.writeString(dir.resolve("a.jsonl"), "{}\n");
        e = assertThrows(IllegalArgumentException.class, () -> Corpus.of(jsonl));
        assertTrue(e.getMessage().contains("name its text field (--field F)"), e.getMessage());
        Path text = txt(DOCS);
        e = assertThrows(IllegalArgumentException.class, () -> new Corpus(text, "text", false));
        assertTrue(e.getMessage().contains("applies to JSONL only"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ContextStream.padded(Corpus.of(text), TOK, 1));
        assertTrue(e.getMessage().contains("ctx_len must be at least 2"), e.getMessage());
    }

    @Test
    void tooShortACorpusGivesNoContextAndReadingTwiceGivesTheSame() throws IOException {
        Path text = txt(List.of("tiny"));
        assertNull(ContextStream.concatenated(Corpus.of(text), TOK, 64).next());
        Path big = txt(IntStream.range(0, 50).mapToObj(i -> "document number " + i + " says hi").toList());
        List<Context> a = all(ContextStream.concatenated(Corpus.of(big), TOK, 16));
        List<Context> b = all(ContextStream.concatenated(Corpus.of(big), TOK, 16));
        assertEquals(a.size(), b.size());
        for (int i = 0; i < a.size(); i++) {
            assertArrayEquals(a.get(i).tokens(), b.get(i).tokens());
        }
    }
}

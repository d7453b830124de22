// A generated corpus with a known answer for the induction head: random distinct words, some with a repeated n-gram.
package dev.jlens.model.jobs;

import dev.jlens.model.tokenizer.Gpt2Tokenizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * Documents of {@link #WORDS} single-token words, no word twice in a document, except that every
 * {@link #EVERY}-th document copies its words at [{@link #FIRST}, FIRST + {@link #NGRAM}) to [{@link #SECOND},
 * SECOND + NGRAM). In padded mode (one context per document, BOS at position 0) the copy sits at positions
 * SECOND + 1 .. SECOND + NGRAM, where an induction head finds the earlier occurrence; nowhere else can it.
 */
final class PlantedCorpus {
    static final int WORDS = 48;
    static final int EVERY = 4;
    static final int FIRST = 4;
    static final int SECOND = 30;
    static final int NGRAM = 8;

    private PlantedCorpus() {}

    /** Lower-case words that are one GPT-2 token with a leading space, e.g. " apple". */
    static List<String> words(Gpt2Tokenizer tok, int n) {
        List<String> out = new ArrayList<>();
        for (int id = 1000; id < tok.vocabSize() && out.size() < n; id++) {
            String s = tok.tokenString(id);
            if (s.matches(" [a-z]{4,}") && tok.encode(s).length == 1) {
                out.add(s);
            }
        }
        return out;
    }

    /** Writes {@code docs} documents to {@code file} (one per line) from seed {@code seed}. */
    static Path write(Path file, Gpt2Tokenizer tok, int docs, long seed) throws IOException {
        List<String> pool = words(tok, 1500);
        Random rnd = new Random(seed);
        List<String> lines = new ArrayList<>();
        for (int d = 0; d < docs; d++) {
            Collections.shuffle(pool, rnd);
            List<String> doc = new ArrayList<>(pool.subList(0, WORDS));
            if (isPlanted(d)) {
                for (int i = 0; i < NGRAM; i++) {
                    doc.set(SECOND + i, doc.get(FIRST + i));
                }
            }
            lines.add(String.join("", doc)); // " w0 w1 ...": word i is token i, at position i + 1 after BOS
        }
        return Files.write(file, lines);
    }

    static boolean isPlanted(int doc) {
        return doc % EVERY == 0;
    }

    /** True when position {@code pos} of a padded context is inside its document's planted copy. */
    static boolean inCopy(int doc, int pos) {
        return isPlanted(doc) && pos >= SECOND + 1 && pos < SECOND + 1 + NGRAM;
    }
}

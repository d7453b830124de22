// GPT-2 tokenization speed: Gpt2Tokenizer.encode on 64 KiB of seeded text, for A/B runs of two builds
// (scripts/bench-ab.sh) when the tokenizer's pipeline changes.
package dev.jlens.benchmarks;

import dev.jlens.model.tokenizer.Gpt2Tokenizer;
import java.util.SplittableRandom;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * {@code encode} of 64 KiB of text with the built-in GPT-2 tokenizer. {@code text=prose}: seeded English-like words,
 * punctuation, digits, contractions and newlines (the word cache mostly hits, as on real text); {@code text=mixed}:
 * the same with one random code point in eight pieces, so many words are new to the cache and go through the merges.
 * The score is ms per 64 KiB.
 */
@State(Scope.Benchmark)
public class TokenizerBenchmark extends JlensBenchmark {
    private static final String[] WORDS = {"the", " the", " of", " and", " to", " in", " is", " tokenizer", " John",
        " Mary", "'s", "'ll", " 2024", " 3.14", ",", ".", "\n", "\n\n", "  ", " model", " attention", " head",
        " Hello", " world", "!", " (", ")", " induction", " layer", " residual", " stream", " don't", " we've"};

    @Param({"prose", "mixed"})
    public String text;

    private Gpt2Tokenizer tokenizer;
    private String input;

    /** Builds the text and the tokenizer (the built-in vocabulary takes about a second). */
    @Setup
    public void setup() {
        tokenizer = Gpt2Tokenizer.gpt2();
        SplittableRandom rnd = new SplittableRandom(7);
        StringBuilder sb = new StringBuilder(1 << 16);
        while (sb.length() < (1 << 16)) {
            if (text.equals("mixed") && rnd.nextInt(8) == 0) {
                sb.appendCodePoint(0x20 + rnd.nextInt(0x3000));
            } else {
                sb.append(WORDS[rnd.nextInt(WORDS.length)]);
            }
        }
        input = sb.toString();
    }

    /** Token ids of the 64 KiB text. */
    @Benchmark
    public int[] encode() {
        return tokenizer.encode(input);
    }
}

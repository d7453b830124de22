// The seeds' random repeated-token probes for any model: BOS followed by random sequences, seeded.
package dev.jlens.model.demo;

import java.util.SplittableRandom;

/** Random token sequences of a model's vocabulary, and prompts made of them (seed 000's and seed 002's). */
final class SeedTokens {
    private SeedTokens() {}

    /** [batch][length] ids drawn uniformly from [0, dVocab) without {@code bos}. */
    static int[][] random(int batch, int length, int dVocab, int bos, SplittableRandom random) {
        int[][] out = new int[batch][length];
        for (int[] row : out) {
            for (int p = 0; p < length; p++) {
                int id = random.nextInt(dVocab - 1);
                row[p] = id >= bos ? id + 1 : id; // skip bos
            }
        }
        return out;
    }

    /** [batch][1 + first + second]: bos, then row b of {@code first}, then row b of {@code second}. */
    static int[][] bosThen(int bos, int[][] first, int[][] second) {
        int[][] out = new int[first.length][];
        for (int b = 0; b < first.length; b++) {
            out[b] = new int[1 + first[b].length + second[b].length];
            out[b][0] = bos;
            System.arraycopy(first[b], 0, out[b], 1, first[b].length);
            System.arraycopy(second[b], 0, out[b], 1 + first[b].length, second[b].length);
        }
        return out;
    }
}

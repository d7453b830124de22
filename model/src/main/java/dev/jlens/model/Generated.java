// What HookedGpt2.generate returns: the (left-padded) prompts and the tokens each row received.
package dev.jlens.model;

import java.util.Arrays;

/**
 * The prompts and what each row received, step by step.
 *
 * @param prompt     the prompt ids [batch][prompt_len], left-padded when the rows differ in length
 * @param promptMask [batch][prompt_len], 1 at real tokens and 0 at pads; null when every token is real
 * @param newTokens  [batch][steps], the token each row received at each step; a row finished at EOS keeps
 *                   receiving EOS, as in TransformerLens
 * @param eosTokenId the EOS id generation stopped at, or -1 when it did not stop at EOS
 */
public record Generated(int[][] prompt, int[][] promptMask, int[][] newTokens, int eosTokenId) {
    /** Rows. */
    public int batch() {
        return prompt.length;
    }

    /** TL generate's token output: prompt and new tokens, [batch][prompt_len + steps]. */
    public int[][] tokens() {
        int[][] all = new int[prompt.length][];
        for (int b = 0; b < all.length; b++) {
            all[b] = Arrays.copyOf(prompt[b], prompt[b].length + newTokens[b].length);
            System.arraycopy(newTokens[b], 0, all[b], prompt[b].length, newTokens[b].length);
        }
        return all;
    }

    /** Row {@code b}'s real prompt ids, without pads. */
    public int[] promptIds(int b) {
        int pads = 0;
        while (promptMask != null && pads < promptMask[b].length && promptMask[b][pads] == 0) {
            pads++;
        }
        return Arrays.copyOfRange(prompt[b], pads, prompt[b].length);
    }

    /** Row {@code b}'s new tokens up to and including its first EOS (without the EOS that padded it after). */
    public int[] newIds(int b) {
        int[] row = newTokens[b];
        for (int i = 0; i < row.length; i++) {
            if (row[i] == eosTokenId) {
                return Arrays.copyOf(row, i + 1);
            }
        }
        return row.clone();
    }
}

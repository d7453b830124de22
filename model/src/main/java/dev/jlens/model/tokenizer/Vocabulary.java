// A byte-level BPE vocabulary as the loaders hand it over and the tokenizer reads it: token strings by id, merges
// by rank, and the added (special) tokens. Mirrors the `encoder` / `bpe_ranks` pair of OpenAI's encoder.py and the
// vocab / merges / added_tokens of HF's GPT2Tokenizer, checked once here so that encoding never meets a hole.
package dev.jlens.model.tokenizer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** An immutable, validated vocabulary: dense ids 0..size-1, all 256 byte tokens, merges that stay in the vocab. */
final class Vocabulary {
    private final String[] tokens;
    private final boolean[] added;
    private final Map<String, Integer> ids;
    private final List<String[]> merges;
    private final Map<String, Integer> addedTokens;

    private Vocabulary(String[] tokens, boolean[] added, Map<String, Integer> ids, List<String[]> merges,
                       Map<String, Integer> addedTokens) {
        this.tokens = tokens;
        this.added = added;
        this.ids = ids;
        this.merges = merges;
        this.addedTokens = addedTokens;
    }

    /**
     * Checks and assembles a vocabulary.
     *
     * @param vocab       byte-level token string to id (vocab.json, or tokenizer.json's model.vocab)
     * @param merges      merge pairs of byte-level strings, highest priority first (merges.txt order)
     * @param addedTokens text of each added token to its id (split out of text before the regex runs)
     * @param source      where it came from, named in error messages
     * @param allowGaps   whether ids may be missing (tokenizer.json allows it: GPT-4o's specials sit past a gap)
     */
    static Vocabulary of(Map<String, Integer> vocab, List<String[]> merges, Map<String, Integer> addedTokens,
                         String source, boolean allowGaps) {
        int size = 0;
        for (int id : vocab.values()) {
            size = Math.max(size, id + 1);
        }
        for (int id : addedTokens.values()) {
            size = Math.max(size, id + 1);
        }
        String[] tokens = new String[size];
        boolean[] added = new boolean[size];
        Map<String, Integer> ids = new LinkedHashMap<>(vocab);
        for (var e : vocab.entrySet()) {
            put(tokens, e.getValue(), e.getKey(), source);
            if (!ByteLevel.isByteLevel(e.getKey()) && !addedTokens.containsKey(e.getKey())) {
                throw new IllegalArgumentException(source + ": vocab token " + ByteLevel.quote(e.getKey())
                        + " (id " + e.getValue() + ") is not a byte-level string");
            }
        }
        for (var e : addedTokens.entrySet()) {
            int id = e.getValue();
            if (tokens[id] == null || !tokens[id].equals(e.getKey())) {
                put(tokens, id, e.getKey(), source);
            }
            added[id] = true;
            ids.put(e.getKey(), id);
        }
        for (int id = 0; id < size && !allowGaps; id++) {
            if (tokens[id] == null) {
                throw new IllegalArgumentException(source + ": no token has id " + id + " (ids must be 0.." + (size - 1)
                        + " without gaps)");
            }
        }
        for (int b = 0; b < 256; b++) {
            String s = String.valueOf(ByteLevel.charOf(b));
            if (!vocab.containsKey(s)) {
                throw new IllegalArgumentException(source + ": the vocab lacks the token " + ByteLevel.quote(s)
                        + " for byte " + b + "; a byte-level vocab needs all 256");
            }
        }
        for (int rank = 0; rank < merges.size(); rank++) {
            String[] m = merges.get(rank);
            for (String part : new String[] {m[0], m[1], m[0] + m[1]}) {
                if (!vocab.containsKey(part)) {
                    throw new IllegalArgumentException(source + ": merge " + rank + " " + ByteLevel.quote(m[0]) + " "
                            + ByteLevel.quote(m[1]) + " uses " + ByteLevel.quote(part) + ", which is not in the vocab");
                }
            }
        }
        return new Vocabulary(tokens, added, Map.copyOf(ids), List.copyOf(new ArrayList<>(merges)),
                Map.copyOf(addedTokens));
    }

    private static void put(String[] tokens, int id, String token, String source) {
        if (id < 0) {
            throw new IllegalArgumentException(source + ": token " + ByteLevel.quote(token) + " has negative id " + id);
        }
        if (tokens[id] != null) {
            throw new IllegalArgumentException(source + ": id " + id + " is given to both "
                    + ByteLevel.quote(tokens[id]) + " and " + ByteLevel.quote(token));
        }
        tokens[id] = token;
    }

    /** Number of ids, added tokens included. */
    int size() {
        return tokens.length;
    }

    /** The token string of {@code id} (byte-level for vocab tokens, plain text for added ones); null in a gap. */
    String token(int id) {
        return tokens[id];
    }

    /** Whether {@code id} is an added (special) token, whose string is plain text. */
    boolean isAdded(int id) {
        return added[id];
    }

    /** The id of a token string, or null. */
    Integer id(String token) {
        return ids.get(token);
    }

    /** Merge pairs in rank order (rank 0 first). */
    List<String[]> merges() {
        return merges;
    }

    /** Added tokens: text to id. */
    Map<String, Integer> addedTokens() {
        return addedTokens;
    }

    /** Token strings by id, as vocab.json would list them. */
    List<String> tokens() {
        return Arrays.asList(tokens.clone());
    }
}

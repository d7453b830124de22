// The built-in GPT-2 vocabulary: reads OpenAI's r50k_base ranks (the resource jtokkit ships; the same file tiktoken
// downloads) and turns them into HF's vocab + merges. Mirrors the standard tiktoken -> HF conversion (transformers'
// TikTokenConverter.extract_vocab_merges_from_model in convert_slow_tokenizer.py): for every multi-byte token in
// rank order, BPE its bytes using only lower ranks; the two parts left are its merge.
package dev.jlens.model.tokenizer;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Derives GPT-2's vocab.json and merges.txt contents from r50k_base ranks. */
final class R50kRanks {
    /** Classpath location of the ranks inside the jtokkit jar: one "base64(token bytes) rank" per line. */
    static final String RESOURCE = "com/knuddels/jtokkit/r50k_base.tiktoken";
    /** Id of {@code <|endoftext|>} in GPT-2 (the rank after the last BPE token). */
    static final int END_OF_TEXT_ID = 50256;

    private R50kRanks() {}

    /** GPT-2's vocabulary: r50k_base's 50256 byte-level tokens by rank, their 50000 merges, {@code <|endoftext|>}. */
    static Vocabulary gpt2() {
        Map<String, Integer> ranks = readRanks();
        List<String[]> merges = deriveMerges(ranks);
        Map<String, Integer> vocab = new LinkedHashMap<>(ranks);
        vocab.put(HfFiles.END_OF_TEXT, END_OF_TEXT_ID);
        return Vocabulary.of(vocab, merges, Map.of(HfFiles.END_OF_TEXT, END_OF_TEXT_ID), "built-in r50k_base",
                false);
    }

    /** Byte-level token string to rank, in file order. */
    static Map<String, Integer> readRanks() {
        InputStream in = R50kRanks.class.getClassLoader().getResourceAsStream(RESOURCE);
        if (in == null) {
            throw new IllegalStateException("resource " + RESOURCE + " is missing: the built-in GPT-2 vocabulary"
                    + " needs com.knuddels:jtokkit on the runtime classpath");
        }
        Map<String, Integer> ranks = new LinkedHashMap<>(70_000);
        try (var reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII))) {
            int lineNr = 0;
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                lineNr++;
                if (line.isEmpty()) {
                    continue;
                }
                int space = line.indexOf(' ');
                if (space < 0) {
                    throw new IllegalStateException(RESOURCE + " line " + lineNr + ": expected \"base64 rank\"");
                }
                byte[] bytes = Base64.getDecoder().decode(line.substring(0, space));
                ranks.put(ByteLevel.encode(bytes), Integer.parseInt(line.substring(space + 1)));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE, e);
        }
        return ranks;
    }

    /** The merge of each multi-char token, in rank order; throws when a token does not end as exactly two parts. */
    static List<String[]> deriveMerges(Map<String, Integer> ranks) {
        List<Map.Entry<String, Integer>> byRank = new ArrayList<>(ranks.entrySet());
        byRank.sort(Map.Entry.comparingByValue());
        List<String[]> merges = new ArrayList<>();
        Map<String, Integer> seen = new HashMap<>(ranks.size() * 2);
        for (var e : byRank) {
            String token = e.getKey();
            if (token.length() > 1) {
                List<String> parts = bpeBelow(token, seen);
                if (parts.size() != 2) {
                    throw new IllegalStateException("r50k_base token " + ByteLevel.quote(token) + " (rank "
                            + e.getValue() + ") splits into " + parts.size() + " parts under lower ranks, not 2");
                }
                merges.add(new String[] {parts.get(0), parts.get(1)});
            }
            seen.put(token, e.getValue());
        }
        return merges;
    }

    /** tiktoken's byte pair merge of {@code token}'s chars using only the ranks in {@code lower}. */
    private static List<String> bpeBelow(String token, Map<String, Integer> lower) {
        List<String> parts = new ArrayList<>(token.length());
        for (int i = 0; i < token.length(); i++) {
            parts.add(token.substring(i, i + 1));
        }
        while (true) {
            int best = -1;
            int bestRank = Integer.MAX_VALUE;
            for (int i = 0; i + 1 < parts.size(); i++) {
                Integer r = lower.get(parts.get(i) + parts.get(i + 1));
                if (r != null && r < bestRank) {
                    best = i;
                    bestRank = r;
                }
            }
            if (best < 0) {
                return parts;
            }
            parts.set(best, parts.get(best) + parts.remove(best + 1));
        }
    }
}

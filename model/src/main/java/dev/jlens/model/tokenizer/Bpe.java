// Byte-pair encoding of one pre-token word: start from one token per byte, repeatedly apply the lowest-ranked merge
// among adjacent pairs, and cache the result per word. Mirrors bpe() of OpenAI's encoder.py and HF GPT2Tokenizer;
// the merge loop uses a heap of candidate pairs as HF tokenizers' Word::merge_all does, so a word of n bytes costs
// O(n log n) rather than O(n^2), and equal ranks apply left to right (the same result as encoder.py's loop). With
// ignore_merges (Llama 3) a word that is itself a vocab token is that token, as BPE::tokenize_with_cache does; a
// merge listed twice keeps its last rank, as HF's merge map (and GPT2Tokenizer's dict) are built.
package dev.jlens.model.tokenizer;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.concurrent.ConcurrentHashMap;

/** Merges the bytes of a word into vocabulary ids; thread-safe. */
final class Bpe {
    /** Words cached before the cache is emptied; bounds memory on endless streams of distinct words. */
    private static final int CACHE_LIMIT = 100_000;

    /** (left id << 32 | right id) -> (rank << 32 | merged id). */
    private final Map<Long, Long> merges;
    /** Id of the one-byte token of each byte value. */
    private final int[] byteIds = new int[256];
    private final Map<String, int[]> cache = new ConcurrentHashMap<>();
    /** The vocabulary, for ignore_merges lookups; null when merges always run. */
    private final Vocabulary wholeWords;

    /** Builds the merge table of {@code vocab}; {@code ignoreMerges} looks each word up whole first. */
    Bpe(Vocabulary vocab, boolean ignoreMerges) {
        this.wholeWords = ignoreMerges ? vocab : null;
        for (int b = 0; b < 256; b++) {
            byteIds[b] = vocab.id(String.valueOf(ByteLevel.charOf(b)));
        }
        List<String[]> pairs = vocab.merges();
        merges = new HashMap<>(pairs.size() * 2);
        for (int rank = 0; rank < pairs.size(); rank++) {
            String[] p = pairs.get(rank);
            long key = key(vocab.id(p[0]), vocab.id(p[1]));
            long value = ((long) rank << 32) | vocab.id(p[0] + p[1]);
            merges.put(key, value);
        }
    }

    private static long key(int left, int right) {
        return ((long) left << 32) | (right & 0xFFFFFFFFL);
    }

    /** The ids of one word (a match of the GPT-2 regex, free of unpaired surrogates); callers must not modify them. */
    int[] encodeWord(String word) {
        int[] cached = cache.get(word);
        if (cached != null) {
            return cached;
        }
        byte[] bytes = word.getBytes(StandardCharsets.UTF_8);
        Integer whole = wholeWords == null ? null : wholeWords.id(ByteLevel.encode(bytes));
        int[] ids = whole != null && !wholeWords.isAdded(whole) ? new int[] {whole} : merge(bytes);
        if (cache.size() >= CACHE_LIMIT) {
            cache.clear();
        }
        cache.put(word, ids);
        return ids;
    }

    private int[] merge(byte[] bytes) {
        int n = bytes.length;
        int[] sym = new int[n];
        int[] next = new int[n];
        int[] prev = new int[n];
        boolean[] gone = new boolean[n];
        for (int i = 0; i < n; i++) {
            sym[i] = byteIds[bytes[i] & 0xFF];
            next[i] = i + 1 < n ? i + 1 : -1;
            prev[i] = i - 1;
        }
        PriorityQueue<long[]> queue = new PriorityQueue<>(Math.max(1, n),
                (a, b) -> a[0] != b[0] ? Long.compare(a[0], b[0]) : Long.compare(a[1], b[1]));
        for (int i = 0; i + 1 < n; i++) {
            offer(queue, sym, i, i + 1);
        }
        int count = n;
        while (!queue.isEmpty()) {
            long[] top = queue.poll();
            int pos = (int) top[1];
            int right = gone[pos] ? -1 : next[pos];
            if (right < 0) {
                continue;
            }
            Long merge = merges.get(key(sym[pos], sym[right]));
            if (merge == null || (merge >>> 32) != top[0]) {
                continue;
            }
            sym[pos] = (int) (merge & 0xFFFFFFFFL);
            gone[right] = true;
            next[pos] = next[right];
            if (next[right] >= 0) {
                prev[next[right]] = pos;
            }
            count--;
            if (prev[pos] >= 0) {
                offer(queue, sym, prev[pos], pos);
            }
            if (next[pos] >= 0) {
                offer(queue, sym, pos, next[pos]);
            }
        }
        int[] out = new int[count];
        int k = 0;
        for (int i = 0; i >= 0 && i < n; i = next[i]) {
            out[k++] = sym[i];
        }
        return out;
    }

    private void offer(PriorityQueue<long[]> queue, int[] sym, int left, int right) {
        Long merge = merges.get(key(sym[left], sym[right]));
        if (merge != null) {
            queue.add(new long[] {merge >>> 32, left});
        }
    }
}

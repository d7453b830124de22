// A corpus cut into contexts: TL's tokenize_and_concatenate made exact, or one padded context per document.
package dev.jlens.model.dataset;

import dev.jlens.model.tokenizer.Gpt2Tokenizer;
import java.util.Arrays;

/**
 * Contexts of {@code ctx_len} tokens, pulled one at a time so memory does not grow with the corpus. Two modes:
 * <ul>
 *   <li>concatenated (TransformerLens' {@code utils.tokenize_and_concatenate}, made exact): each document is
 *       tokenized on its own, the documents are joined with EOS between them, the stream is cut into pieces of
 *       ctx_len - 1 tokens, each gets BOS in front, and the last partial piece is dropped;
 *   <li>padded: one context per document, BOS + its tokens cut at ctx_len, right-padded with PAD; {@link
 *       Context#length} says how many are real (the attention mask is 1 there).
 * </ul>
 * Reading the same corpus again gives the same contexts. Not thread-safe.
 */
public final class ContextStream implements AutoCloseable {
    private final DocumentReader docs;
    private final Gpt2Tokenizer tokenizer;
    private final int ctxLen;
    private final boolean padded;
    private int[] pending = new int[0]; // concatenated mode: tokens read but not yet cut, from pendingStart
    private int pendingStart;
    private int pendingEnd;
    private int nextIndex;
    private long documents;
    private long tokens;

    private ContextStream(DocumentSource corpus, Gpt2Tokenizer tokenizer, int ctxLen, boolean padded) {
        if (ctxLen < 2) {
            throw new IllegalArgumentException("ctx_len must be at least 2 (BOS and one token), got " + ctxLen);
        }
        this.docs = corpus.open();
        this.tokenizer = tokenizer;
        this.ctxLen = ctxLen;
        this.padded = padded;
    }

    /** TL's tokenize_and_concatenate, made exact (see the class comment). */
    public static ContextStream concatenated(DocumentSource corpus, Gpt2Tokenizer tokenizer, int ctxLen) {
        return new ContextStream(corpus, tokenizer, ctxLen, false);
    }

    /** One right-padded context per document (see the class comment). */
    public static ContextStream padded(DocumentSource corpus, Gpt2Tokenizer tokenizer, int ctxLen) {
        return new ContextStream(corpus, tokenizer, ctxLen, true);
    }

    /** The next context, or null after the last. */
    public Context next() {
        return padded ? nextPadded() : nextConcatenated();
    }

    private Context nextPadded() {
        String doc = docs.next();
        if (doc == null) {
            return null;
        }
        documents++;
        int[] ids = tokenizer.encode(doc);
        tokens += ids.length;
        int length = Math.min(ctxLen, ids.length + 1);
        int[] row = new int[ctxLen];
        Arrays.fill(row, tokenizer.padTokenId());
        row[0] = tokenizer.bosTokenId();
        System.arraycopy(ids, 0, row, 1, length - 1);
        return new Context(nextIndex++, row, length);
    }

    private Context nextConcatenated() {
        int piece = ctxLen - 1;
        while (pendingEnd - pendingStart < piece) {
            String doc = docs.next();
            if (doc == null) {
                return null; // the last partial piece is dropped
            }
            int[] ids = tokenizer.encode(doc);
            tokens += ids.length;
            if (documents++ > 0) {
                append(new int[] {tokenizer.eosTokenId()});
            }
            append(ids);
        }
        int[] row = new int[ctxLen];
        row[0] = tokenizer.bosTokenId();
        System.arraycopy(pending, pendingStart, row, 1, piece);
        pendingStart += piece;
        return new Context(nextIndex++, row, ctxLen);
    }

    private void append(int[] ids) {
        int live = pendingEnd - pendingStart;
        if (pendingEnd + ids.length > pending.length) {
            int[] grown = new int[Math.max(2 * live + ids.length, ctxLen)];
            System.arraycopy(pending, pendingStart, grown, 0, live);
            pending = grown;
            pendingStart = 0;
            pendingEnd = live;
        }
        System.arraycopy(ids, 0, pending, pendingEnd, ids.length);
        pendingEnd += ids.length;
    }

    /** Contexts returned so far. */
    public int contexts() {
        return nextIndex;
    }

    /** Documents read so far. */
    public long documents() {
        return documents;
    }

    /** Tokens of the documents read so far (before BOS, EOS and padding). */
    public long tokens() {
        return tokens;
    }

    /** JSONL lines skipped as bad so far. */
    public long skippedLines() {
        return docs.skippedLines();
    }

    /** The context length. */
    public int ctxLen() {
        return ctxLen;
    }

    @Override
    public void close() {
        docs.close();
    }
}

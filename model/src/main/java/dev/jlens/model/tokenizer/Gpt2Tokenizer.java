// The byte-level BPE tokenizer facade: text -> ids and back, plus TransformerLens' tokenization helpers. Mirrors HF's
// GPT2Tokenizer / PreTrainedTokenizerFast (encode, decode with errors="replace", added tokens split out as one token,
// tokenizer.json's normalizer, pre-tokenizer and post-processor) and HookedTransformer's to_tokens, to_str_tokens,
// to_string and to_single_token.
package dev.jlens.model.tokenizer;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A byte-level BPE tokenizer: GPT-2's, or any tokenizer.json of that family (GPT-NeoX, Llama 3, Qwen, cl100k...).
 * Encoding splits out added tokens, normalizes the text between them, pre-tokenizes it (GPT-2's regex, or the
 * tokenizer's Split / Digits steps), and merges each word's bytes by rank; decoding joins the tokens' bytes and
 * decodes UTF-8, writing U+FFFD for invalid sequences. Instances are immutable and safe to share between threads.
 */
public final class Gpt2Tokenizer {
    private final Vocabulary vocab;
    private final Bpe bpe;
    private final AddedTokens added;
    private final TokenizerJson.Pipeline pipeline;

    private Gpt2Tokenizer(Vocabulary vocab, List<AddedTokens.Token> addedTokens, TokenizerJson.Pipeline pipeline) {
        this.vocab = vocab;
        this.bpe = new Bpe(vocab, pipeline.ignoreMerges());
        this.added = new AddedTokens(addedTokens, pipeline.normalizer());
        this.pipeline = pipeline;
    }

    /** GPT-2's pipeline over {@code vocab}, whose added tokens are plain (no flags, matched in the raw text). */
    private static Gpt2Tokenizer gpt2Style(Vocabulary vocab) {
        List<AddedTokens.Token> tokens = new ArrayList<>();
        for (Map.Entry<String, Integer> e : vocab.addedTokens().entrySet()) {
            tokens.add(AddedTokens.Token.plain(e.getKey(), e.getValue()));
        }
        return new Gpt2Tokenizer(vocab, tokens, TokenizerJson.Pipeline.gpt2(vocab.id(HfFiles.END_OF_TEXT)));
    }

    /**
     * Loads HF's slow-tokenizer files, as {@code GPT2Tokenizer(vocab_file, merges_file)} does.
     *
     * @param vocabJson a JSON object from byte-level token string to id
     * @param mergesTxt one merge "a b" per line, highest priority first, after an optional "#version" line
     * @return the tokenizer; {@code <|endoftext|>} is its special token when the vocab has it
     * @throws IllegalArgumentException naming the file and the problem when the files are malformed
     */
    public static Gpt2Tokenizer fromFiles(Path vocabJson, Path mergesTxt) {
        return gpt2Style(HfFiles.read(vocabJson, mergesTxt));
    }

    /**
     * Loads HF's fast-tokenizer file with its whole pipeline: the BPE {@code model} (vocab, merges as "a b" strings
     * or [a, b] arrays, ignore_merges), {@code added_tokens} with their lstrip / rstrip / single_word / normalized
     * flags, the {@code normalizer} (NFC, NFD, NFKC, NFKD, Lowercase, Replace, Prepend, Strip, Sequence), the
     * {@code pre_tokenizer} (ByteLevel, or a Sequence of Split / Digits steps ending with ByteLevel), the
     * {@code post_processor} (TemplateProcessing, ByteLevel, RobertaProcessing, BertProcessing, Sequence) and the
     * ByteLevel {@code decoder}. BOS, EOS and PAD are read from a {@code tokenizer_config.json} beside it when
     * there is one. Truncation and padding settings in the file are not applied (jlens never truncates).
     *
     * @param tokenizerJson the tokenizer.json of a byte-level BPE model
     * @return the tokenizer
     * @throws IllegalArgumentException naming the file and the JSON path when it is malformed or uses a component
     *                                  jlens does not implement (Unigram, WordPiece, byte_fallback, Metaspace, ...)
     */
    public static Gpt2Tokenizer fromTokenizerJson(Path tokenizerJson) {
        TokenizerJson t = TokenizerJson.read(tokenizerJson);
        return new Gpt2Tokenizer(t.vocab(), t.added(), t.pipeline());
    }

    /**
     * The GPT-2 tokenizer with its built-in vocabulary (50257 tokens), derived once on first use from OpenAI's
     * r50k_base ranks; it equals the tokenizer loaded from GPT-2's vocab.json and merges.txt. Needs no download.
     *
     * @return the shared instance
     */
    public static Gpt2Tokenizer gpt2() {
        return BuiltIn.GPT2;
    }

    private static final class BuiltIn {
        static final Gpt2Tokenizer GPT2 = gpt2Style(R50kRanks.gpt2());
    }

    /**
     * Token ids of {@code text} without special tokens from the post-processor (HF's
     * {@code encode(text, add_special_tokens=False)}); added tokens in the text become their one id each.
     *
     * @param text the text to encode
     * @return the ids, as HF's {@code tokenizer.encode(text)} for GPT-2
     * @throws IllegalArgumentException when the text has an unpaired surrogate (it has no UTF-8 bytes)
     */
    public int[] encode(String text) {
        Objects.requireNonNull(text, "text");
        Utf8.requireWellFormed(text);
        IntList out = new IntList(text.length() / 3 + 4);
        Splitter splitter = pipeline.splitter();
        added.split(text, new AddedTokens.Sink() {
            @Override
            public void text(String piece) {
                splitter.split(piece, word -> out.addAll(bpe.encodeWord(word)));
            }

            @Override
            public void token(int id) {
                out.add(id);
            }
        });
        return out.toArray();
    }

    /**
     * HF's {@code encode(text, add_special_tokens)}: with {@code true} the post-processor adds its special tokens
     * (e.g. Llama 3's BOS); GPT-2's adds none.
     *
     * @param text              the text to encode
     * @param addSpecialTokens  whether the post-processor's template applies
     * @return the ids
     */
    public int[] encode(String text, boolean addSpecialTokens) {
        int[] ids = encode(text);
        return addSpecialTokens ? pipeline.post().apply(ids, null) : ids;
    }

    /**
     * HF's {@code encode(first, second, add_special_tokens)}: both texts encoded and joined by the post-processor's
     * pair template (without special tokens: simply concatenated).
     *
     * @param first            sequence A
     * @param second           sequence B
     * @param addSpecialTokens whether the pair template's special tokens are added
     * @return the ids
     * @throws IllegalArgumentException when the tokenizer's template has no pair form
     */
    public int[] encodePair(String first, String second, boolean addSpecialTokens) {
        int[] a = encode(first);
        int[] b = encode(second);
        if (addSpecialTokens) {
            return pipeline.post().apply(a, b);
        }
        int[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    /**
     * The text of {@code ids}: their bytes joined and decoded as UTF-8 with U+FFFD for invalid sequences (HF's
     * {@code errors="replace"}), with no clean-up of spaces. As HF's ByteLevel decoder, a token made only of
     * byte-level chars stands for those bytes, and any other token (an added token such as {@code "  "} or
     * {@code <｜end▁of▁sentence｜>}) for its own UTF-8 text.
     *
     * @param ids token ids, each in {@code [0, vocabSize())}
     * @return the decoded text
     * @throws IllegalArgumentException naming the id and the vocab size when an id is out of range or has no token
     * @throws IllegalStateException    when the tokenizer.json has no decoder
     */
    public String decode(int... ids) {
        if (!pipeline.decodes()) {
            throw new IllegalStateException("this tokenizer.json has no decoder, so jlens cannot decode its tokens");
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(ids.length * 4);
        for (int id : ids) {
            checkId(id);
            String token = vocab.token(id);
            if (ByteLevel.isByteLevel(token)) {
                ByteLevel.decodeInto(token, bytes);
            } else {
                bytes.writeBytes(token.getBytes(StandardCharsets.UTF_8));
            }
        }
        return Utf8.decode(bytes.toByteArray(), bytes.size());
    }

    /** Number of token ids, special tokens included (50257 for GPT-2): one more than the highest id. */
    public int vocabSize() {
        return vocab.size();
    }

    /**
     * The BOS id: {@code <|endoftext|>}, 50256 for GPT-2. For a tokenizer.json: the {@code bos_token} of the
     * tokenizer_config.json beside it, else the special token leading the post-processor's template (Llama 3's
     * {@code <|begin_of_text|>}), else {@code <|endoftext|>}.
     *
     * @return the BOS id
     * @throws IllegalStateException when the tokenizer names no BOS token
     */
    public int bosTokenId() {
        return special(pipeline.bos(), "BOS");
    }

    /**
     * The EOS id; for GPT-2 the same as {@link #bosTokenId()}. For a tokenizer.json: {@code eos_token} of the
     * tokenizer_config.json beside it, else the special token ending the template, else {@code <|endoftext|>}.
     *
     * @return the EOS id
     * @throws IllegalStateException when the tokenizer names no EOS token
     */
    public int eosTokenId() {
        return special(pipeline.eos(), "EOS");
    }

    /**
     * The PAD id: {@code pad_token} of a tokenizer_config.json beside the tokenizer.json, else the EOS id, as
     * TransformerLens sets it when a tokenizer has none (for GPT-2, {@code <|endoftext|>}).
     *
     * @return the PAD id
     * @throws IllegalStateException when the tokenizer names neither a PAD nor an EOS token
     */
    public int padTokenId() {
        return special(pipeline.pad(), "PAD");
    }

    private static int special(Integer id, String role) {
        if (id == null) {
            throw new IllegalStateException("this tokenizer names no " + role + " token (no tokenizer_config.json "
                    + "beside its tokenizer.json, no special token in its template, and no " + HfFiles.END_OF_TEXT
                    + ")");
        }
        return id;
    }

    /**
     * The decoded text of one token, as TransformerLens' {@code to_str_tokens} shows it ({@code 995} gives
     * {@code " world"}); a token holding part of a UTF-8 character decodes to U+FFFD.
     *
     * @param id a token id
     * @return the token's text
     * @throws IllegalArgumentException naming the id and the vocab size when the id is out of range
     */
    public String tokenString(int id) {
        return decode(id);
    }

    /**
     * TransformerLens' {@code to_tokens(text)} with GPT-2's defaults: BOS prepended, one row.
     *
     * @param text the prompt
     * @return a batch of one row whose mask is all ones
     */
    public TokenBatch toTokens(String text) {
        return toTokens(List.of(text), true, PaddingSide.RIGHT);
    }

    /**
     * TransformerLens' {@code to_tokens(prompts, prepend_bos, padding_side)}: each prompt encoded, BOS prepended when
     * asked, and rows padded to the longest with the PAD id on the given side. No truncation to a context length.
     *
     * @param prompts    the texts, one row each
     * @param prependBos whether each row starts with BOS (TransformerLens' default for GPT-2 is true)
     * @param side       where pads go ({@link PaddingSide#RIGHT} is HF's and TransformerLens' default)
     * @return the ids and a mask that is 1 at real tokens (BOS included) and 0 at pads
     */
    public TokenBatch toTokens(List<String> prompts, boolean prependBos, PaddingSide side) {
        List<int[]> rows = new ArrayList<>(prompts.size());
        for (String prompt : prompts) {
            rows.add(withBos(encode(prompt), prependBos));
        }
        return TokenBatch.pad(rows, prompts.isEmpty() ? 0 : padTokenId(), Objects.requireNonNull(side, "side"));
    }

    /**
     * TransformerLens' {@code to_str_tokens(text, prepend_bos)}: the decoded text of each token.
     *
     * @param text       the text
     * @param prependBos whether the list starts with {@code "<|endoftext|>"}
     * @return one string per token
     */
    public List<String> toStrTokens(String text, boolean prependBos) {
        int[] ids = withBos(encode(text), prependBos);
        List<String> strs = new ArrayList<>(ids.length);
        for (int id : ids) {
            strs.add(tokenString(id));
        }
        return strs;
    }

    /**
     * TransformerLens' {@code to_string(tokens)}: the same as {@link #decode(int...)}.
     *
     * @param ids token ids
     * @return the decoded text, without clean-up of spaces
     */
    public String toString(int... ids) {
        return decode(ids);
    }

    /**
     * TransformerLens' {@code to_single_token(text)}: the one id {@code text} encodes to, never with BOS.
     *
     * @param text text expected to be exactly one token, e.g. {@code " Mary"}
     * @return its id
     * @throws IllegalArgumentException naming the text and the tokens it became when it is not exactly one token
     */
    public int toSingleToken(String text) {
        int[] ids = encode(text);
        if (ids.length != 1) {
            List<String> strs = new ArrayList<>(ids.length);
            for (int id : ids) {
                strs.add(ByteLevel.quote(tokenString(id)));
            }
            throw new IllegalArgumentException(ByteLevel.quote(text) + " is not a single token: it encodes to "
                    + ids.length + " tokens " + Arrays.toString(ids) + " " + strs);
        }
        return ids[0];
    }

    private int[] withBos(int[] ids, boolean prependBos) {
        if (!prependBos) {
            return ids;
        }
        int[] out = new int[ids.length + 1];
        out[0] = bosTokenId();
        System.arraycopy(ids, 0, out, 1, ids.length);
        return out;
    }

    private void checkId(int id) {
        if (id < 0 || id >= vocab.size()) {
            throw new IllegalArgumentException("token id " + id + " is out of range for a vocabulary of "
                    + vocab.size() + " tokens (valid ids are 0.." + (vocab.size() - 1) + ")");
        }
        if (vocab.token(id) == null) {
            throw new IllegalArgumentException("token id " + id + " falls in a gap of the vocabulary: no token has it");
        }
    }

    /** Vocabulary internals for tests in this package: token strings by id and merges in rank order. */
    Vocabulary vocabulary() {
        return vocab;
    }
}

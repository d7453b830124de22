// Reads Hugging Face's tokenizer.json (what PreTrainedTokenizerFast loads) into a vocabulary and a pipeline: the BPE
// model (vocab, merges as "a b" strings or [a, b] pairs, ignore_merges), added_tokens with their flags, normalizer,
// pre_tokenizer, post_processor and decoder. Mirrors tokenizers' Tokenizer deserialisation; anything that is not a
// byte-level BPE (Unigram, WordPiece, byte_fallback, dropout, subword affixes, unknown component types) is refused
// with its JSON path. BOS / EOS / PAD come from a tokenizer_config.json beside the file when there is one (as
// transformers reads them), else from the post-processor's template, else <|endoftext|>.
package dev.jlens.model.tokenizer;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A tokenizer.json, read and checked. */
record TokenizerJson(Vocabulary vocab, List<AddedTokens.Token> added, Pipeline pipeline) {
    /**
     * Everything around the BPE merges.
     *
     * @param normalizer   applied to the text between raw added tokens; null for none
     * @param splitter     the pre-tokenizer, ending with ByteLevel
     * @param post         the post-processor (special tokens added when asked)
     * @param ignoreMerges whether a word that is itself a vocab token skips the merges (Llama 3)
     * @param decodes      whether the decoder is ByteLevel (false: tokenizer.json has none)
     * @param bos          the BOS id, or null when the tokenizer names none
     * @param eos          the EOS id, or null
     * @param pad          the PAD id, or null
     */
    record Pipeline(Normalizer normalizer, Splitter splitter, PostProcessor post, boolean ignoreMerges,
                    boolean decodes, Integer bos, Integer eos, Integer pad) {
        /** GPT-2's: no normalizer, ByteLevel with GPT-2's regex, no special tokens, <|endoftext|> for all three. */
        static Pipeline gpt2(Integer endOfText) {
            return new Pipeline(null, Splitter.GPT2, PostProcessor.NONE, false, true, endOfText, endOfText, endOfText);
        }
    }

    /** Reads and checks {@code file}. */
    static TokenizerJson read(Path file) {
        Json root = Json.parse(file);
        Json model = root.get("model");
        checkModel(model);
        Normalizer normalizer = Normalizer.of(root.get("normalizer"));
        Splitter splitter = Splitter.of(root.get("pre_tokenizer"));
        Json post = root.get("post_processor");
        PostProcessor postProcessor = PostProcessor.of(post);
        Json decoder = root.get("decoder");
        if (!decoder.isNull() && !decoder.type().equals("ByteLevel")) {
            throw decoder.unsupported("jlens decodes byte-level BPE with the ByteLevel decoder");
        }
        Map<String, Integer> vocab = new LinkedHashMap<>();
        Json vocabNode = model.get("vocab");
        for (var e : vocabNode.object().entrySet()) {
            vocab.put(e.getKey(), e.getValue() instanceof Long id && id >= 0 && id <= Integer.MAX_VALUE
                    ? id.intValue() : vocabNode.get(e.getKey()).integer());
        }
        List<String[]> merges = merges(model.get("merges"));
        List<AddedTokens.Token> added = new ArrayList<>();
        Map<String, Integer> addedIds = new LinkedHashMap<>();
        if (!root.get("added_tokens").isNull()) {
            for (Json t : root.get("added_tokens").list()) {
                var token = new AddedTokens.Token(t.get("content").string(), t.get("id").integer(),
                        t.bool("single_word", false), t.bool("lstrip", false), t.bool("rstrip", false),
                        t.bool("normalized", true));
                added.add(token);
                addedIds.put(token.content(), token.id());
            }
        }
        Vocabulary v = Vocabulary.of(vocab, merges, addedIds, file.toString(), true);
        Map<String, String> named = SpecialTokenNames.besides(file);
        int[] leading = PostProcessor.leadingSpecials(post);
        int[] trailing = PostProcessor.trailingSpecials(post);
        Integer endOfText = v.id(HfFiles.END_OF_TEXT);
        Integer bos = pick(v, named.get("bos_token"), leading.length == 1 ? leading[0] : null, endOfText);
        Integer eos = pick(v, named.get("eos_token"), trailing.length == 1 ? trailing[0] : null, endOfText);
        Integer pad = pick(v, named.get("pad_token"), null, eos);
        var pipeline = new Pipeline(normalizer, splitter, postProcessor, model.bool("ignore_merges", false),
                !decoder.isNull(), bos, eos, pad);
        return new TokenizerJson(v, added, pipeline);
    }

    private static Integer pick(Vocabulary v, String configured, Integer fromTemplate, Integer fallback) {
        if (configured != null) {
            Integer id = v.id(configured);
            if (id == null) {
                throw new IllegalArgumentException("tokenizer_config.json names the special token "
                        + ByteLevel.quote(configured) + ", which the tokenizer.json beside it does not have");
            }
            return id;
        }
        return fromTemplate != null ? fromTemplate : fallback;
    }

    private static void checkModel(Json model) {
        String type = model.type();
        if (!type.equals("BPE")) {
            throw model.unsupported("jlens reads byte-level BPE models; Unigram, WordPiece and WordLevel are "
                    + "not implemented");
        }
        if (model.bool("byte_fallback", false)) {
            throw model.get("byte_fallback").fail("is true: a SentencePiece-style BPE with byte fallback, which jlens "
                    + "does not implement (it reads byte-level BPE)");
        }
        Json dropout = model.get("dropout");
        if (!dropout.isNull() && dropout.number() != 0) {
            throw dropout.fail("is " + dropout.number() + ": BPE dropout samples merges at random, which jlens does "
                    + "not implement");
        }
        for (String affix : List.of("continuing_subword_prefix", "end_of_word_suffix")) {
            Json a = model.get(affix);
            if (!a.isNull() && !a.string().isEmpty()) {
                throw a.fail("is " + ByteLevel.quote(a.string()) + "; jlens does not implement subword affixes");
            }
        }
    }

    /** The merges as "a b" strings or [a, b] pairs; the raw values are read directly (280k of them for Llama 3). */
    private static List<String[]> merges(Json node) {
        List<?> items = node.items();
        List<String[]> merges = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
            Object m = items.get(i);
            if (m instanceof List<?> pair && pair.size() == 2 && pair.get(0) instanceof String a
                    && pair.get(1) instanceof String b) {
                merges.add(new String[] {a, b});
            } else if (m instanceof String s) {
                int space = s.indexOf(' ');
                if (space <= 0 || space == s.length() - 1 || s.indexOf(' ', space + 1) >= 0) {
                    throw node.list().get(i).fail("is " + ByteLevel.quote(s) + "; a merge is two tokens separated by "
                            + "one space");
                }
                merges.add(new String[] {s.substring(0, space), s.substring(space + 1)});
            } else {
                throw node.list().get(i).fail("should be \"a b\" or [\"a\", \"b\"]");
            }
        }
        return merges;
    }
}

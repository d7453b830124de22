// The pipeline parts on which the golden reference (transformers.js) does not follow HF tokenizers, checked against
// the expectations of HF's own Rust unit tests (tokenizers/src/pre_tokenizers/split.rs `basic`, digits.rs
// `numbers` / `individual_digits`, tokenizer/added_vocabulary.rs `test_single_word_is_correct`,
// `test_single_word_is_unicode_correct`, `test_lstrip_unicode_space`, `refresh_normalized_tokens_on_normalizer_change`)
// and against the Rust code where no test exists (prepend.rs skips empty text; Lowercase maps char by char).
package dev.jlens.model.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PipelinePartsTest {
    @TempDir
    Path dir;

    private Json json(String text) {
        try {
            return Json.parse(Files.writeString(Files.createTempFile(dir, "part", ".json"), text));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<String> split(String piece, SplitPieces.Behavior behavior) {
        List<String> out = new ArrayList<>();
        SplitPieces.split(piece, Pattern.compile("\\w+|[^\\w\\s]+", Pattern.UNICODE_CHARACTER_CLASS), true,
                behavior, out::add);
        return out;
    }

    /** split.rs `basic`: the regex matches words and punctuation, inverted so that the spaces are the matches. */
    @Test
    void splitBehaviorsAsInHfSplitTests() {
        String s = "How are you doing?";
        assertEquals(List.of("How", "are", "you", "doing", "?"), split(s, SplitPieces.Behavior.Removed));
        assertEquals(List.of("How", " ", "are", " ", "you", " ", "doing", "?"),
                split(s, SplitPieces.Behavior.Isolated));
        assertEquals(List.of("How ", "are ", "you ", "doing", "?"), split(s, SplitPieces.Behavior.MergedWithPrevious));
        assertEquals(List.of("How", " are", " you", " doing", "?"), split(s, SplitPieces.Behavior.MergedWithNext));
        assertEquals(List.of("How", " ", "are", " ", "you", " ", "doing?"), split(s, SplitPieces.Behavior.Contiguous));
    }

    /** digits.rs `numbers` and `individual_digits`, plus non-ASCII numerics (Rust's char::is_numeric). */
    @Test
    void digitsAsInHfDigitsTests() {
        List<String> runs = new ArrayList<>();
        List<String> single = new ArrayList<>();
        Splitter.of(json("{\"type\": \"Sequence\", \"pretokenizers\": [{\"type\": \"Digits\", \"individual_digits\": "
                + "false}, {\"type\": \"ByteLevel\", \"add_prefix_space\": false, \"use_regex\": false}]}"))
                .split("Hey 123 friend! ٣٤½", runs::add);
        Splitter.of(json("{\"type\": \"Sequence\", \"pretokenizers\": [{\"type\": \"Digits\", \"individual_digits\": "
                + "true}, {\"type\": \"ByteLevel\", \"add_prefix_space\": false, \"use_regex\": false}]}"))
                .split("Hey 123 friend!", single::add);
        assertEquals(List.of("Hey ", "123", " friend! ", "٣٤½"), runs);
        assertEquals(List.of("Hey ", "1", "2", "3", " friend!"), single);
    }

    private static List<String> extract(AddedTokens tokens, String text) {
        List<String> out = new ArrayList<>();
        tokens.split(text, new AddedTokens.Sink() {
            @Override
            public void text(String piece) {
                out.add(piece);
            }

            @Override
            public void token(int id) {
                out.add("#" + id);
            }
        });
        return out;
    }

    private Normalizer lowercase() {
        return Normalizer.of(json("{\"type\": \"Lowercase\"}"));
    }

    /** added_vocabulary.rs: AddedToken::from(.., false) is normalized, here under a Lowercase normalizer. */
    @Test
    void singleWordAsInHfAddedVocabularyTests() {
        var mask = new AddedTokens(List.of(new AddedTokens.Token("<mask>", 0, true, false, false, true)), lowercase());
        assertEquals(List.of("#0", " my name ", "#0", " a<mask> <mask>ony ", "#0"),
                extract(mask, "<mask> My name <mask> A<mask> <mask>ony <mask>"));
        // punctuation and '-' are not word chars; a combining mark (U+0330) is
        assertEquals(List.of("#0", ", ", "#0", "- \u25cc\u0330<mask>"),
                extract(mask, "<mask>, <mask>- \u25cc\u0330<mask>"));
    }

    @Test
    void lstripAndRstripTakeUnicodeSpacesAsInHfTests() {
        var mask = new AddedTokens(List.of(new AddedTokens.Token("<mask>", 0, true, true, true, true)), lowercase());
        assertEquals(List.of("hi", "#0", "there", "#0", "#0"),
                extract(mask, "Hi <mask> there\t<mask>\t<mask>\u2000"));
    }

    /** A normalized token's content is normalized too, and matched in the normalized text. */
    @Test
    void normalizedTokenMatchesTheNormalizedText() {
        var hello = new AddedTokens(List.of(new AddedTokens.Token("Hello", 0, false, false, false, true)), lowercase());
        assertEquals(List.of("#0", " world"), extract(hello, "Hello world"));
        assertEquals(List.of("#0", " ", "#0"), extract(hello, "HELLO hello"));
        var raw = new AddedTokens(List.of(new AddedTokens.Token("Hello", 0, false, false, false, false)), lowercase());
        assertEquals(List.of("hello ", "#0"), extract(raw, "HELLO Hello"));
    }

    /** prepend.rs: `if !normalized.is_empty()`; normalizers/utils.rs Lowercase: char::to_lowercase per char. */
    @Test
    void prependSkipsEmptyTextAndLowercaseHasNoFinalSigmaRule() {
        Normalizer n = Normalizer.of(json("{\"type\": \"Sequence\", \"normalizers\": [{\"type\": \"Strip\", "
                + "\"strip_left\": true, \"strip_right\": true}, {\"type\": \"Prepend\", \"prepend\": \"\u2581\"}, "
                + "{\"type\": \"Lowercase\"}]}"));
        assertEquals("", n.normalize(" \t\u2000\n"));
        assertEquals("\u2581hello", n.normalize("  Hello\u0085"));
        assertEquals("\u2581οδοσ i\u0307", n.normalize("ΟΔΟΣ \u0130"));
    }

    /** processors/bert.rs: [CLS] A [SEP] and [CLS] A [SEP] B [SEP]; a template's special token may have several ids. */
    @Test
    void bertProcessingAndMultiIdTemplateTokens() {
        PostProcessor bert = PostProcessor.of(json("{\"type\": \"BertProcessing\", \"sep\": [\"[SEP]\", 102], "
                + "\"cls\": [\"[CLS]\", 101]}"));
        assertEquals(List.of(101, 7, 8, 102), Arrays.stream(bert.apply(new int[] {7, 8}, null)).boxed().toList());
        assertEquals(List.of(101, 7, 102, 9, 102), Arrays.stream(bert.apply(new int[] {7}, new int[] {9})).boxed()
                .toList());
        PostProcessor template = PostProcessor.of(json("{\"type\": \"TemplateProcessing\", \"single\": [{\"Sequence\": "
                + "{\"id\": \"A\", \"type_id\": 0}}, {\"SpecialToken\": {\"id\": \"<eos>\", \"type_id\": 0}}], "
                + "\"pair\": null, \"special_tokens\": {\"<eos>\": {\"id\": \"<eos>\", \"ids\": [5, 6], "
                + "\"tokens\": [\"<\", \"eos>\"]}}}"));
        assertEquals(List.of(1, 2, 5, 6), Arrays.stream(template.apply(new int[] {1, 2}, null)).boxed().toList());
    }

    private String refusal(String tokenizerJson) {
        Path file = dir.resolve("tokenizer.json");
        try {
            Files.writeString(file, tokenizerJson);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> Gpt2Tokenizer.fromTokenizerJson(file)).getMessage().replace(file + ": ", "");
    }

    private static final String VOCAB = "\"vocab\": {\"a\": 0}, \"merges\": []";

    private static String bpe(String model, String rest) {
        return "{\"model\": {\"type\": \"BPE\", " + model + VOCAB + "}" + rest + "}";
    }

    @Test
    void typesJlensDoesNotImplementAreRefusedWithTheirPath() {
        assertEquals("model.type is \"Unigram\", which jlens does not implement (jlens reads byte-level BPE models; "
                + "Unigram, WordPiece and WordLevel are not implemented)",
                refusal("{\"model\": {\"type\": \"Unigram\", \"vocab\": []}}"));
        assertEquals("model.byte_fallback is true: a SentencePiece-style BPE with byte fallback, which jlens does not "
                + "implement (it reads byte-level BPE)", refusal(bpe("\"byte_fallback\": true, ", "")));
        assertEquals("model.dropout is 0.1: BPE dropout samples merges at random, which jlens does not implement",
                refusal(bpe("\"dropout\": 0.1, ", "")));
        assertEquals("normalizer.normalizers[1].type is \"BertNormalizer\", which jlens does not implement (jlens "
                + "reads NFC, NFD, NFKC, NFKD, Lowercase, Replace, Prepend, Strip and Sequence normalizers)",
                refusal(bpe("", ", \"normalizer\": {\"type\": \"Sequence\", \"normalizers\": [{\"type\": \"NFC\"}, "
                        + "{\"type\": \"BertNormalizer\"}]}")));
        assertEquals("pre_tokenizer.type is \"Metaspace\", which jlens does not implement (jlens reads byte-level BPE "
                + "tokenizers, whose pre_tokenizer is ByteLevel or a Sequence ending with ByteLevel)",
                refusal(bpe("", ", \"pre_tokenizer\": {\"type\": \"Metaspace\"}")));
        assertEquals("pre_tokenizer.pretokenizers[0].type is \"Whitespace\", which jlens does not implement (jlens "
                + "reads the ByteLevel, Split, Digits and Sequence pre-tokenizers)",
                refusal(bpe("", ", \"pre_tokenizer\": {\"type\": \"Sequence\", \"pretokenizers\": [{\"type\": "
                        + "\"Whitespace\"}, {\"type\": \"ByteLevel\"}]}")));
        assertEquals("pre_tokenizer is null, so the text never becomes bytes: jlens reads byte-level BPE tokenizers, "
                + "whose pre_tokenizer is ByteLevel or a Sequence ending with ByteLevel", refusal(bpe("", "")));
        assertEquals("post_processor.type is \"Foo\", which jlens does not implement (jlens reads the "
                + "TemplateProcessing, ByteLevel, RobertaProcessing, BertProcessing and Sequence post-processors)",
                refusal(bpe("", ", \"pre_tokenizer\": {\"type\": \"ByteLevel\"}, \"post_processor\": {\"type\": "
                        + "\"Foo\"}")));
    }

    @Test
    void malformedMergesAndIdsAreNamed() {
        String head = "{\"pre_tokenizer\": {\"type\": \"ByteLevel\"}, \"model\": {\"type\": \"BPE\", \"vocab\": "
                + "{\"a\": 0}, \"merges\": ";
        assertEquals("model.merges[1] is \"a b c\"; a merge is two tokens separated by one space",
                refusal(head + "[\"a a\", \"a b c\"]}}"));
        assertEquals("model.merges[0] should be \"a b\" or [\"a\", \"b\"]", refusal(head + "[[\"a\"]]}}"));
        assertEquals("token \"a\" has negative id -1",
                refusal(head.replace("\"a\": 0", "\"a\": -1") + "[]}}"));
    }

    @Test
    void regexConstructsWithAnotherMeaningInJavaAreRefused() {
        String split = ", \"pre_tokenizer\": {\"type\": \"Sequence\", \"pretokenizers\": [{\"type\": \"Split\", "
                + "\"pattern\": {\"Regex\": \"%s\"}, \"behavior\": \"Isolated\"}, {\"type\": \"ByteLevel\"}]}";
        assertEquals("pre_tokenizer.pretokenizers[0].pattern.Regex uses \\h, whose Oniguruma meaning jlens does not "
                + "translate to Java", refusal(bpe("", split.formatted("\\\\h+"))));
        assertEquals("pre_tokenizer.pretokenizers[0].pattern.Regex uses a POSIX bracket [:...:], which jlens does not "
                + "translate to Java", refusal(bpe("", split.formatted("[[:alpha:]]+"))));
        assertEquals("pre_tokenizer.pretokenizers[0].pattern.Regex is a regex Java cannot compile: Unclosed group near "
                + "index 3", refusal(bpe("", split.formatted("(ab"))));
    }

    /** Ruby-syntax \v is the vertical tab only, and ^ / $ match at line breaks. */
    @Test
    void onigMeaningsAreKept() {
        List<String> out = new ArrayList<>();
        SplitPieces.split("a\u000Bb\u2028c\nd", OnigRegex.compile(json("{\"r\": \"\\\\v|^d\"}").get("r")), false,
                SplitPieces.Behavior.Isolated, out::add);
        assertEquals(List.of("a", "\u000B", "b\u2028c\n", "d"), out);
    }
}

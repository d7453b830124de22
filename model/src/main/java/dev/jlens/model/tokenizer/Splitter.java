// tokenizer.json's pre_tokenizer: cuts each normalized piece into the words BPE merges within. Mirrors HF tokenizers'
// pre-tokenizers ByteLevel (byte_level.rs: a space prepended when add_prefix_space and the piece does not start
// with one, then GPT-2's regex when use_regex), Split (split.rs), Digits (digits.rs: char::is_numeric, each digit
// alone or runs together) and Sequence (each step applied to every piece the previous one produced). ByteLevel's
// byte-to-char mapping is done by the BPE on each word's UTF-8 bytes, so ByteLevel must be the last step.
package dev.jlens.model.tokenizer;

import java.util.List;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/** One pre-tokenization step: hands each word of a piece to {@code out}, in order; stateless and thread-safe. */
@FunctionalInterface
interface Splitter {
    /** GPT-2's pre-tokenizer: ByteLevel with add_prefix_space false and use_regex true. */
    Splitter GPT2 = (piece, out) -> PreTokenizer.split(piece).forEach(out);

    /** Hands the words of {@code piece} to {@code out}. */
    void split(String piece, Consumer<String> out);

    /** The pre-tokenizer of tokenizer.json's {@code node}; it must be, or end with, ByteLevel. */
    static Splitter of(Json node) {
        if (node.isNull()) {
            throw node.fail("is null, so the text never becomes bytes: jlens reads byte-level BPE tokenizers, whose "
                    + "pre_tokenizer is ByteLevel or a Sequence ending with ByteLevel");
        }
        if (node.type().equals("Sequence")) {
            List<Json> steps = node.get("pretokenizers").list();
            if (steps.isEmpty() || !steps.getLast().type().equals("ByteLevel")) {
                throw node.fail("does not end with ByteLevel; jlens reads byte-level BPE tokenizers, whose words "
                        + "become bytes in the last pre-tokenization step");
            }
            for (Json s : steps.subList(0, steps.size() - 1)) {
                if (s.type().equals("ByteLevel")) {
                    throw s.fail("is ByteLevel before the last step, which jlens does not read (later steps would "
                            + "see byte-level chars)");
                }
            }
            Splitter all = step(steps.getFirst());
            for (Json s : steps.subList(1, steps.size())) {
                Splitter before = all;
                Splitter next = step(s);
                all = (piece, out) -> before.split(piece, word -> next.split(word, out));
            }
            return all;
        }
        if (!node.type().equals("ByteLevel")) {
            throw node.unsupported("jlens reads byte-level BPE tokenizers, whose pre_tokenizer is ByteLevel or a "
                    + "Sequence ending with ByteLevel");
        }
        return step(node);
    }

    private static Splitter step(Json node) {
        return switch (node.type()) {
            case "ByteLevel" -> byteLevel(node.bool("add_prefix_space", true), node.bool("use_regex", true));
            case "Split" -> {
                Pattern pattern = Normalizer.pattern(node.get("pattern"));
                boolean invert = node.bool("invert", false);
                SplitPieces.Behavior behavior = behavior(node.get("behavior"));
                yield (piece, out) -> SplitPieces.split(piece, pattern, invert, behavior, out);
            }
            case "Digits" -> {
                SplitPieces.Behavior behavior = node.bool("individual_digits", false)
                        ? SplitPieces.Behavior.Isolated : SplitPieces.Behavior.Contiguous;
                yield (piece, out) -> SplitPieces.split(piece, Splitter::isNumeric, behavior, out);
            }
            case "Sequence" -> throw node.fail("is a Sequence inside a Sequence, which jlens does not read");
            default -> throw node.unsupported("jlens reads the ByteLevel, Split, Digits and Sequence pre-tokenizers");
        };
    }

    private static Splitter byteLevel(boolean addPrefixSpace, boolean useRegex) {
        if (!addPrefixSpace) {
            return useRegex ? GPT2 : (piece, out) -> out.accept(piece);
        }
        return (piece, out) -> {
            String spaced = piece.startsWith(" ") ? piece : " " + piece;
            if (useRegex) {
                GPT2.split(spaced, out);
            } else {
                out.accept(spaced);
            }
        };
    }

    private static SplitPieces.Behavior behavior(Json node) {
        String name = node.string();
        for (SplitPieces.Behavior b : SplitPieces.Behavior.values()) {
            if (b.name().equals(name)) {
                return b;
            }
        }
        throw node.fail("is " + ByteLevel.quote(name) + "; a split behavior is one of Removed, Isolated, "
                + "MergedWithPrevious, MergedWithNext, Contiguous");
    }

    /** Rust's char::is_numeric: general categories Nd, Nl and No. */
    private static boolean isNumeric(int cp) {
        int t = Character.getType(cp);
        return t == Character.DECIMAL_DIGIT_NUMBER || t == Character.LETTER_NUMBER || t == Character.OTHER_NUMBER;
    }
}

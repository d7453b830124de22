// Splits text around added (special) tokens such as <|endoftext|> before pre-tokenization, so each occurrence becomes
// its one id and the text between is tokenized on its own. Mirrors HF tokenizers' AddedVocabulary
// (added_vocabulary.rs): tokens with normalized=false are found in the raw text first; each piece between them is
// normalized and then searched for the normalized=true tokens (whose contents are normalized too). Matching is
// leftmost-longest; single_word drops a match touching a \w char; lstrip/rstrip take the whitespace beside a match
// into it (\s, \w with Unicode meanings, as the Rust regex crate gives them).
package dev.jlens.model.tokenizer;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/** The added tokens of a vocabulary and the splitter over them; immutable and thread-safe. */
final class AddedTokens {
    /**
     * One added token as tokenizer.json's added_tokens lists it.
     *
     * @param content    the text it matches
     * @param id         its id
     * @param singleWord whether a match must not touch a word char on either side
     * @param lstrip     whether the whitespace before a match belongs to it
     * @param rstrip     whether the whitespace after a match belongs to it
     * @param normalized whether it is matched in the normalized text (its content normalized too)
     */
    record Token(String content, int id, boolean singleWord, boolean lstrip, boolean rstrip, boolean normalized) {
        /** A plain token: GPT-2's <|endoftext|>, matched in the raw text with no flags. */
        static Token plain(String content, int id) {
            return new Token(content, id, false, false, false, false);
        }
    }

    /** Receives the pieces of a text in order. */
    interface Sink {
        /** A run of normalized ordinary text (never empty). */
        void text(String piece);

        /** One added token. */
        void token(int id);
    }

    private static final Pattern WORD_CHAR = Pattern.compile("\\w", Pattern.UNICODE_CHARACTER_CLASS);

    private final Normalizer normalizer;
    private final Matcher raw;
    private final Matcher normalizedTokens;

    /** Splits on {@code tokens}; {@code normalizer} (may be null) normalizes the text between raw matches. */
    AddedTokens(List<Token> tokens, Normalizer normalizer) {
        this.normalizer = normalizer;
        List<Token> plain = new ArrayList<>();
        List<Token> normed = new ArrayList<>();
        for (Token t : tokens) {
            if (!t.normalized) {
                plain.add(t);
            } else {
                String content = normalizer == null ? t.content : normalizer.normalize(t.content);
                normed.add(new Token(content, t.id, t.singleWord, t.lstrip, t.rstrip, true));
            }
        }
        this.raw = new Matcher(plain);
        this.normalizedTokens = new Matcher(normed);
    }

    /** Hands {@code text} to {@code sink} as normalized ordinary runs and added-token ids, in order. */
    void split(String text, Sink sink) {
        raw.split(text, piece -> {
            String n = normalizer == null ? piece : normalizer.normalize(piece);
            if (!n.isEmpty()) {
                normalizedTokens.split(n, sink::text, sink);
            }
        }, sink);
    }

    /** Leftmost-longest search over one set of tokens, with HF's find_matches handling of the flags. */
    private static final class Matcher {
        /** Tokens by first char, longest first; at the first position where any matches, the longest wins. */
        private final Map<Character, Token[]> byFirstChar = new HashMap<>();
        /** The first chars of the tokens, so that most positions are passed over without a map lookup. */
        private final BitSet firstChars = new BitSet(Character.MAX_VALUE + 1);

        Matcher(List<Token> tokens) {
            Map<Character, List<Token>> groups = new HashMap<>();
            for (Token t : tokens) {
                if (!t.content.isEmpty()) {
                    groups.computeIfAbsent(t.content.charAt(0), k -> new ArrayList<>()).add(t);
                }
            }
            groups.forEach((c, list) -> {
                list.sort(Comparator.comparingInt((Token t) -> t.content.length()).reversed());
                byFirstChar.put(c, list.toArray(Token[]::new));
                firstChars.set(c);
            });
        }

        void split(String s, Consumer<String> text, Sink sink) {
            int offset = 0; // end of what has been handed on
            int from = 0; // where the search for the next match starts (the end of the last raw match)
            while (!byFirstChar.isEmpty()) {
                int start = -1;
                Token match = null;
                for (int i = from; i < s.length() && match == null; i++) {
                    if (firstChars.get(s.charAt(i))) {
                        for (Token t : byFirstChar.get(s.charAt(i))) {
                            if (s.startsWith(t.content, i)) {
                                start = i;
                                match = t;
                                break;
                            }
                        }
                    }
                }
                if (match == null) {
                    break;
                }
                int stop = start + match.content.length();
                from = stop;
                if (match.singleWord && (endsWithWordChar(s, start) || startsWithWordChar(s, stop))) {
                    continue;
                }
                if (match.lstrip) {
                    start = Math.max(whitespaceStartBefore(s, start), offset);
                }
                if (match.rstrip) {
                    stop = whitespaceEndAfter(s, stop);
                }
                if (offset < start) {
                    text.accept(s.substring(offset, start));
                }
                sink.token(match.id);
                offset = stop;
            }
            if (offset < s.length()) {
                text.accept(s.substring(offset));
            }
        }
    }

    private static boolean endsWithWordChar(String s, int end) {
        return end > 0 && WORD_CHAR.matcher(Character.toString(s.codePointBefore(end))).matches();
    }

    private static boolean startsWithWordChar(String s, int start) {
        return start < s.length() && WORD_CHAR.matcher(Character.toString(s.codePointAt(start))).matches();
    }

    private static int whitespaceStartBefore(String s, int end) {
        while (end > 0 && Normalizer.isWhiteSpace(s.codePointBefore(end))) {
            end -= Character.charCount(s.codePointBefore(end));
        }
        return end;
    }

    private static int whitespaceEndAfter(String s, int start) {
        while (start < s.length() && Normalizer.isWhiteSpace(s.codePointAt(start))) {
            start += Character.charCount(s.codePointAt(start));
        }
        return start;
    }
}

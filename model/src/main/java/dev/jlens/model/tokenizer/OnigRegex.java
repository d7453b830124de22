// The regexes of tokenizer.json (Split pre-tokenizer, Replace normalizer) as java.util.regex patterns. HF tokenizers
// runs them with Oniguruma (Ruby syntax, UTF-8). Both are backtracking engines with leftmost-first alternation,
// lookaround, possessive and atomic groups, and both give \s, \w, \d, \p{L}, \p{N} Unicode meanings (Java needs
// UNICODE_CHARACTER_CLASS; its \s is then White_Space, exactly Oniguruma's 25 code points). Where the syntax means
// different things this translates (\v, ^ and $ are line anchors in Ruby syntax, '.' stops only at \n) or refuses
// (\h, \H, \K, POSIX brackets, \p{^X}), naming the construct; it never guesses.
package dev.jlens.model.tokenizer;

import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** Compiles Oniguruma patterns from tokenizer.json as Java patterns with the same matches. */
final class OnigRegex {
    /** MULTILINE and UNIX_LINES: in Ruby syntax ^ and $ match at every \n, and '.' matches all but \n. */
    private static final int FLAGS = Pattern.UNICODE_CHARACTER_CLASS | Pattern.MULTILINE | Pattern.UNIX_LINES;

    private OnigRegex() {}

    /** The Java pattern for the regex at {@code where} (a string node); refuses constructs it cannot translate. */
    static Pattern compile(Json where) {
        String onig = where.string();
        try {
            return Pattern.compile(translate(onig, where), FLAGS);
        } catch (PatternSyntaxException e) {
            throw where.fail("is a regex Java cannot compile: " + e.getDescription() + " near index " + e.getIndex());
        }
    }

    /** A literal string as a pattern (the {"String": ...} form of Split and Replace). */
    static Pattern literal(String s) {
        return Pattern.compile(Pattern.quote(s), FLAGS);
    }

    private static String translate(String onig, Json where) {
        StringBuilder out = new StringBuilder(onig.length() + 8);
        boolean inClass = false;
        for (int i = 0; i < onig.length(); i++) {
            char c = onig.charAt(i);
            if (c == '\\' && i + 1 < onig.length()) {
                char n = onig.charAt(++i);
                switch (n) {
                    case 'v' -> out.append("\\x0B"); // Ruby \v is the vertical tab; Java's is a class of 7 chars
                    case 'h', 'H', 'K', 'G', 'g', 'k', 'y', 'Y', 'O' -> throw where.fail("uses \\" + n
                            + ", whose Oniguruma meaning jlens does not translate to Java");
                    case 'p', 'P' -> {
                        if (i + 2 < onig.length() && onig.charAt(i + 1) == '{' && onig.charAt(i + 2) == '^') {
                            throw where.fail("uses the negated property \\" + n + "{^...}, which jlens does not "
                                    + "translate to Java");
                        }
                        out.append('\\').append(n);
                    }
                    default -> out.append('\\').append(n);
                }
                continue;
            }
            if (inClass && c == '[' && i + 1 < onig.length() && onig.charAt(i + 1) == ':') {
                throw where.fail("uses a POSIX bracket [:...:], which jlens does not translate to Java");
            }
            if (c == '[' && !inClass) {
                inClass = true;
                out.append(c);
                if (i + 1 < onig.length() && onig.charAt(i + 1) == '^') {
                    out.append('^');
                    i++;
                }
                if (i + 1 < onig.length() && onig.charAt(i + 1) == ']') {
                    out.append("\\]"); // a leading ] is a literal in Ruby syntax; Java needs it escaped
                    i++;
                }
                continue;
            }
            if (c == ']' && inClass) {
                inClass = false;
            } else if (c == '[' && inClass) {
                throw where.fail("nests a character class, which jlens does not translate to Java");
            }
            out.append(c);
        }
        return out.toString();
    }
}

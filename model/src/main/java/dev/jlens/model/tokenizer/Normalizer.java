// tokenizer.json's normalizer: the text transformation applied to each piece between added tokens before
// pre-tokenization. Mirrors HF tokenizers' normalizers: NFC/NFD/NFKC/NFKD (unicode.rs), Lowercase (per char, Rust's
// char::to_lowercase, so no final-sigma rule), Replace (every match of a literal or regex), Prepend (only to non-empty
// text), Strip (Unicode White_Space, Rust's char::is_whitespace) and Sequence (utils.rs, strip.rs, prepend.rs,
// replace.rs). Other types are refused by name.
package dev.jlens.model.tokenizer;

import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/** A text-to-text normalization step; implementations are stateless and thread-safe. */
@FunctionalInterface
interface Normalizer {
    /** The normalized form of {@code text}. */
    String normalize(String text);

    /** The normalizer of tokenizer.json's {@code node} (an object with "type"), or null for JSON null. */
    static Normalizer of(Json node) {
        if (node.isNull()) {
            return null;
        }
        return switch (node.type()) {
            case "NFC" -> s -> java.text.Normalizer.normalize(s, java.text.Normalizer.Form.NFC);
            case "NFD" -> s -> java.text.Normalizer.normalize(s, java.text.Normalizer.Form.NFD);
            case "NFKC" -> s -> java.text.Normalizer.normalize(s, java.text.Normalizer.Form.NFKC);
            case "NFKD" -> s -> java.text.Normalizer.normalize(s, java.text.Normalizer.Form.NFKD);
            case "Lowercase" -> Normalizer::lowercase;
            case "Prepend" -> {
                String prefix = node.get("prepend").string();
                yield s -> s.isEmpty() ? s : prefix + s;
            }
            case "Replace" -> {
                Pattern pattern = pattern(node.get("pattern"));
                String content = java.util.regex.Matcher.quoteReplacement(node.get("content").string());
                yield s -> pattern.matcher(s).replaceAll(content);
            }
            case "Strip" -> {
                boolean left = node.bool("strip_left", false);
                boolean right = node.bool("strip_right", false);
                yield s -> strip(s, left, right);
            }
            case "Sequence" -> {
                List<Normalizer> steps = node.get("normalizers").list().stream().map(Normalizer::of).toList();
                yield s -> {
                    for (Normalizer n : steps) {
                        s = n == null ? s : n.normalize(s);
                    }
                    return s;
                };
            }
            default -> throw node.unsupported("jlens reads NFC, NFD, NFKC, NFKD, Lowercase, Replace, Prepend, "
                    + "Strip and Sequence normalizers");
        };
    }

    /** The {"String": s} or {"Regex": r} pattern of Replace and Split. */
    static Pattern pattern(Json node) {
        if (node.has("String")) {
            return OnigRegex.literal(node.get("String").string());
        }
        if (node.has("Regex")) {
            return OnigRegex.compile(node.get("Regex"));
        }
        throw node.fail("should be {\"String\": ...} or {\"Regex\": ...}");
    }

    /** Each code point lowercased on its own (Rust's char::to_lowercase; İ becomes i + U+0307). */
    private static String lowercase(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        s.codePoints().forEach(cp -> {
            if (cp < 0x80) {
                sb.append((char) (cp >= 'A' && cp <= 'Z' ? cp + 32 : cp));
            } else {
                sb.append(Character.toString(cp).toLowerCase(Locale.ROOT));
            }
        });
        return sb.toString();
    }

    /** {@code s} without leading and/or trailing Unicode White_Space. */
    private static String strip(String s, boolean left, boolean right) {
        int start = 0;
        int end = s.length();
        while (left && start < end && isWhiteSpace(s.codePointAt(start))) {
            start += Character.charCount(s.codePointAt(start));
        }
        while (right && end > start && isWhiteSpace(s.codePointBefore(end))) {
            end -= Character.charCount(s.codePointBefore(end));
        }
        return s.substring(start, end);
    }

    /** Unicode's White_Space property (Rust's char::is_whitespace). */
    static boolean isWhiteSpace(int cp) {
        return (cp >= 0x09 && cp <= 0x0D) || cp == 0x85 || Character.isSpaceChar(cp);
    }
}

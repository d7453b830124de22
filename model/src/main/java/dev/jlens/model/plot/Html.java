// Escaping for text placed in HTML and SVG: element content and attribute values.
package dev.jlens.model.plot;

/** HTML/XML escaping of user text such as tokens ("&lt;|endoftext|&gt;", quotes, newlines). */
public final class Html {
    private Html() {}

    /**
     * {@code text} safe inside an element or a quoted attribute: &amp; &lt; &gt; &quot; &#39; escaped, newline,
     * carriage return and tab as character references (kept in attributes), other control characters as U+FFFD.
     */
    public static String escape(String text) {
        StringBuilder b = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> b.append("&amp;");
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                case '\n' -> b.append("&#10;");
                case '\r' -> b.append("&#13;");
                case '\t' -> b.append("&#9;");
                default -> b.append(c < 0x20 || c == 0x7f ? '\uFFFD' : c);
            }
        }
        return b.toString();
    }
}

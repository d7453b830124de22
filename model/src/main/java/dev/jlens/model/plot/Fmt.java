// Number formats for hover texts, cell annotations and axis ticks.
package dev.jlens.model.plot;

import java.util.Locale;

/** Short, locale-independent number strings. */
final class Fmt {
    private Fmt() {}

    /** Four significant digits ("0.9803", "18.09", "-3.552e-05"), "NaN" for NaN. */
    static String value(double v) {
        return strip(String.format(Locale.ROOT, "%.4g", v));
    }

    /** Two decimals (plotly's text_auto=".2f") below 100, else three significant digits: cell annotations. */
    static String cell(double v) {
        if (Math.abs(v) < 0.005) {
            return "0.00"; // not "-0.00" for a tiny negative
        }
        return Math.abs(v) < 99.995 ? String.format(Locale.ROOT, "%.2f", v) : tick(v);
    }

    /** Up to three significant digits, for ticks. */
    static String tick(double v) {
        if (Math.abs(v) < 1e-12) {
            return "0";
        }
        return strip(String.format(Locale.ROOT, "%.3g", v));
    }

    // "0.5000" -> "0.5", "1.200e-05" -> "1.2e-05"; leaves "NaN" and "Infinity" alone
    private static String strip(String s) {
        int e = s.indexOf('e');
        String mantissa = e < 0 ? s : s.substring(0, e);
        String exponent = e < 0 ? "" : s.substring(e);
        if (mantissa.contains(".")) {
            mantissa = mantissa.replaceAll("0+$", "").replaceAll("\\.$", "");
        }
        return mantissa + exponent;
    }
}

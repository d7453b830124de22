// How the Split and Digits pre-tokenizers cut one piece: the matches of a pattern and the gaps between them cover
// the piece, and the behavior decides what becomes a piece of its own. Mirrors HF tokenizers' Pattern::find_matches
// (pattern.rs), Invert, and NormalizedString::split with SplitDelimiterBehavior (normalizer.rs): Removed drops the
// matches, Isolated keeps each match alone, MergedWithPrevious/Next glue a match to the gap before/after it,
// Contiguous joins consecutive matches. Empty pieces are dropped, as PreTokenizedString::split does.
package dev.jlens.model.tokenizer;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.IntPredicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Cuts a piece by pattern matches under one of HF's five split behaviors. */
final class SplitPieces {
    /** HF's SplitDelimiterBehavior, as tokenizer.json spells it. */
    enum Behavior { Removed, Isolated, MergedWithPrevious, MergedWithNext, Contiguous }

    /** A span of the piece and whether it is a match (after inversion). */
    private record Span(int start, int end, boolean match) {}

    private SplitPieces() {}

    /** Splits {@code piece} at the matches of {@code pattern} (flags inverted when {@code invert}). */
    static void split(String piece, Pattern pattern, boolean invert, Behavior behavior, Consumer<String> out) {
        List<Span> spans = new ArrayList<>();
        int prev = 0;
        Matcher m = pattern.matcher(piece);
        while (m.find()) {
            if (prev != m.start()) {
                spans.add(new Span(prev, m.start(), invert));
            }
            spans.add(new Span(m.start(), m.end(), !invert));
            prev = m.end();
        }
        if (prev != piece.length()) {
            spans.add(new Span(prev, piece.length(), invert));
        }
        emit(piece, spans, behavior, out);
    }

    /** Splits {@code piece} at each code point that satisfies {@code matches} (HF's Fn(char) -> bool pattern). */
    static void split(String piece, IntPredicate matches, Behavior behavior, Consumer<String> out) {
        List<Span> spans = new ArrayList<>();
        int last = 0;
        for (int i = 0; i < piece.length(); ) {
            int cp = piece.codePointAt(i);
            int next = i + Character.charCount(cp);
            if (matches.test(cp)) {
                if (last < i) {
                    spans.add(new Span(last, i, false));
                }
                spans.add(new Span(i, next, true));
                last = next;
            }
            i = next;
        }
        if (last < piece.length()) {
            spans.add(new Span(last, piece.length(), false));
        }
        emit(piece, spans, behavior, out);
    }

    private static void emit(String piece, List<Span> spans, Behavior behavior, Consumer<String> out) {
        List<Span> kept = switch (behavior) {
            case Removed -> spans.stream().filter(s -> !s.match).toList();
            case Isolated -> spans;
            case Contiguous -> merge(spans, (s, previous) -> s.match == previous);
            case MergedWithPrevious -> merge(spans, (s, previous) -> s.match && !previous);
            case MergedWithNext -> mergedWithNext(spans);
        };
        for (Span s : kept) {
            if (s.end > s.start) {
                out.accept(piece.substring(s.start, s.end));
            }
        }
    }

    /** Whether span {@code s} joins the span before it, given whether the previous span was a match. */
    private interface Joins {
        boolean test(Span s, boolean previousMatch);
    }

    /** Left-to-right fold: a span that joins extends the last kept span (the first span never joins anything). */
    private static List<Span> merge(List<Span> spans, Joins joins) {
        List<Span> acc = new ArrayList<>();
        boolean previous = false;
        for (Span s : spans) {
            if (joins.test(s, previous) && !acc.isEmpty()) {
                Span last = acc.removeLast();
                acc.add(new Span(last.start, s.end, false));
            } else {
                acc.add(s);
            }
            previous = s.match;
        }
        return acc;
    }

    /** Right-to-left fold: a match that follows a non-match (seen from the right) extends the span after it. */
    private static List<Span> mergedWithNext(List<Span> spans) {
        List<Span> acc = new ArrayList<>();
        boolean previous = false;
        for (Span s : spans.reversed()) {
            if (s.match && !previous && !acc.isEmpty()) {
                Span last = acc.removeLast();
                acc.add(new Span(s.start, last.end, false));
            } else {
                acc.add(s);
            }
            previous = s.match;
        }
        return acc.reversed();
    }
}

// tokenizer.json's post_processor: the special tokens (BOS, EOS, CLS, SEP) wrapped around the encoded sequence(s)
// when add_special_tokens is true. Mirrors HF tokenizers' processors: TemplateProcessing (template.rs: the single or
// pair template's pieces, SpecialToken ids from special_tokens, Sequence A/B), RobertaProcessing (<s> A </s> and
// <s> A </s></s> B </s>), BertProcessing ([CLS] A [SEP] and [CLS] A [SEP] B [SEP]), ByteLevel (offsets only: ids
// unchanged) and Sequence (each in turn; the sequences are joined at the end, as Encoding::merge does).
package dev.jlens.model.tokenizer;

import java.util.ArrayList;
import java.util.List;

/** Adds special tokens around encoded sequences; stateless and thread-safe. */
@FunctionalInterface
interface PostProcessor {
    /** No special tokens: GPT-2's (ByteLevel) post-processor and an absent one. */
    PostProcessor NONE = sequences -> sequences;

    /**
     * The sequences after this step, for {@code sequences} holding one (single) or two (pair) id arrays; a step that
     * joins them returns one array.
     */
    List<int[]> process(List<int[]> sequences);

    /** The ids of {@code a} (and {@code b} when not null) with special tokens added. */
    default int[] apply(int[] a, int[] b) {
        List<int[]> out = process(b == null ? List.of(a) : List.of(a, b));
        IntList ids = new IntList(a.length + (b == null ? 0 : b.length) + 4);
        out.forEach(ids::addAll);
        return ids.toArray();
    }

    /** The post-processor of tokenizer.json's {@code node}; NONE for JSON null. */
    static PostProcessor of(Json node) {
        if (node.isNull()) {
            return NONE;
        }
        return switch (node.type()) {
            case "ByteLevel" -> NONE;
            case "TemplateProcessing" -> template(node.get("single"), node.get("pair"), node.get("special_tokens"));
            case "RobertaProcessing" -> {
                int cls = node.get("cls").list().get(1).integer();
                int sep = node.get("sep").list().get(1).integer();
                yield seqs -> List.of(seqs.size() == 1 ? join(new int[] {cls}, seqs.get(0), new int[] {sep})
                        : join(new int[] {cls}, seqs.get(0), new int[] {sep, sep}, seqs.get(1), new int[] {sep}));
            }
            case "BertProcessing" -> {
                int cls = node.get("cls").list().get(1).integer();
                int sep = node.get("sep").list().get(1).integer();
                yield seqs -> List.of(seqs.size() == 1 ? join(new int[] {cls}, seqs.get(0), new int[] {sep})
                        : join(new int[] {cls}, seqs.get(0), new int[] {sep}, seqs.get(1), new int[] {sep}));
            }
            case "Sequence" -> {
                List<PostProcessor> steps = node.get("processors").list().stream().map(PostProcessor::of).toList();
                yield seqs -> {
                    for (PostProcessor p : steps) {
                        seqs = p.process(seqs);
                    }
                    return seqs;
                };
            }
            default -> throw node.unsupported("jlens reads the TemplateProcessing, ByteLevel, RobertaProcessing, "
                    + "BertProcessing and Sequence post-processors");
        };
    }

    /** The special-token ids leading the single template (BOS for Llama-style templates); empty if it starts with A. */
    static int[] leadingSpecials(Json node) {
        return edgeSpecials(node, true);
    }

    /** The special-token ids ending the single template (EOS for some templates); empty if it ends with A. */
    static int[] trailingSpecials(Json node) {
        return edgeSpecials(node, false);
    }

    private static int[] edgeSpecials(Json node, boolean leading) {
        if (node.isNull()) {
            return new int[0];
        }
        if (node.type().equals("Sequence")) {
            for (Json p : node.get("processors").list()) {
                int[] ids = edgeSpecials(p, leading);
                if (ids.length > 0) {
                    return ids;
                }
            }
            return new int[0];
        }
        if (!node.type().equals("TemplateProcessing")) {
            return new int[0];
        }
        List<Json> pieces = node.get("single").list();
        Json edge = leading ? pieces.getFirst() : pieces.getLast();
        return edge.has("SpecialToken") ? specialIds(node.get("special_tokens"), edge.get("SpecialToken"))
                : new int[0];
    }

    private static PostProcessor template(Json single, Json pair, Json specials) {
        List<int[]> singleParts = parts(single, specials);
        List<int[]> pairParts = pair.isNull() ? null : parts(pair, specials);
        return seqs -> {
            List<int[]> template = seqs.size() == 1 ? singleParts : pairParts;
            if (template == null) {
                throw pair.fail("is null, so this tokenizer cannot encode a pair of texts");
            }
            List<int[]> out = new ArrayList<>(template.size());
            for (int[] part : template) {
                out.add(part.length == 1 && part[0] < 0 ? seqs.get(-part[0] - 1) : part);
            }
            return List.of(join(out.toArray(int[][]::new)));
        };
    }

    /** A template's pieces: special ids, or {-1} / {-2} standing for sequence A / B. */
    private static List<int[]> parts(Json template, Json specials) {
        List<int[]> parts = new ArrayList<>();
        for (Json piece : template.list()) {
            if (piece.has("SpecialToken")) {
                parts.add(specialIds(specials, piece.get("SpecialToken")));
            } else if (piece.has("Sequence")) {
                Json id = piece.get("Sequence").get("id");
                switch (id.string()) {
                    case "A" -> parts.add(new int[] {-1});
                    case "B" -> parts.add(new int[] {-2});
                    default -> throw id.fail("should be \"A\" or \"B\"");
                }
            } else {
                throw piece.fail("should be {\"SpecialToken\": ...} or {\"Sequence\": ...}");
            }
        }
        return parts;
    }

    private static int[] specialIds(Json specials, Json piece) {
        String name = piece.get("id").string();
        Json entry = specials.get(name);
        if (entry.isNull()) {
            throw piece.fail("names " + ByteLevel.quote(name) + ", which special_tokens does not define");
        }
        return entry.get("ids").list().stream().mapToInt(Json::integer).toArray();
    }

    private static int[] join(int[]... parts) {
        IntList out = new IntList(16);
        for (int[] p : parts) {
            out.addAll(p);
        }
        return out.toArray();
    }
}

// The commands of ./jlens: each one's flags, synopsis, description and examples, for parsing and for --help.
package dev.jlens.model.cli;

import java.util.List;
import java.util.Set;

/** One table of the commands, read by {@link Main} to parse flags and to print the usage and each --help. */
final class Commands {
    /**
     * A command.
     *
     * @param name        what follows ./jlens
     * @param valued      flags that take a value, besides the --backend and --device every command takes
     * @param switches    flags that take none, besides --verbose (and --help, -h)
     * @param synopsis    the command and its flags (lines after the first continue it)
     * @param description what it does, one or more lines
     * @param examples    one or two command lines
     */
    record Spec(String name, Set<String> valued, Set<String> switches, String synopsis, String description,
            List<String> examples) {
        /** The text of {@code ./jlens <name> --help}. */
        String help() {
            StringBuilder s = new StringBuilder("usage: ./jlens ").append(entry().strip()).append('\n')
                    .append("options for every command:\n").append(COMMON).append("examples:\n");
            for (String e : examples) {
                s.append("  ").append(e.replace("\n", "\n  ")).append('\n');
            }
            return s.toString();
        }

        /** The synopsis and description as the overall usage lists them. */
        String entry() {
            return synopsis.replace("\n", "\n      ").indent(2) + description.indent(13);
        }
    }

    /** The flags every command takes (--plot, which four do, is in their synopses). */
    static final String COMMON = """
              --backend NAME   force a backend (scalar, cpu, cuda); default: the fastest available
              --device D       cuda or cpu: the same as --backend D (PyTorch's word)
              --config F       a TransformerLens config JSON (cfg.to_dict()); --model is then a .pth state dict
              --verbose        on failure, print the stack trace as well as the one-line "jlens: ..." message
              --help, -h       print this command's usage and exit
            """;

    static final List<Spec> ALL = List.of(
            new Spec("run", Set.of("--model", "--batch", "--seq-len", "--seed", "--plot"), Set.of("--no-plot"),
                    "run [--model M] [--batch B] [--seq-len L] [--seed S] [--plot DIR | --no-plot]", """
                            the main job: an induction probe (BOS + L random tokens, repeated twice): tokens, the
                            loss on each repeat, and the top heads by induction and previous-token score
                            (default model: induction-2l); draws the induction scores and the top induction
                            head's attention pattern into DIR (default jlens-plots/) as .png and .html
                            """,
                    List.of("./jlens run", "./jlens run --model gpt2 --seq-len 40 --no-plot")),
            new Spec("heads", Set.of("--model", "--measure", "--batch", "--seq-len", "--seed", "--plot"),
                    Set.of("--json"),
                    "heads --model M [--measure mul|abs|stripe] [--batch B] [--seq-len L] [--seed S] [--json] "
                            + "[--plot DIR]",
                    """
                            previous-token, duplicate-token and induction scores of every head on the probe of run
                            (TL's detect_head with its error measure, default mul; or the seeds' stripe means)
                            """,
                    List.of("./jlens heads --model gpt2", "./jlens heads --model induction-2l --measure abs --json")),
            new Spec("prompt", Set.of("--model", "--prompt", "--answer", "--top", "--plot"),
                    Set.of("--no-bos", "--no-space"),
                    "prompt --model M --prompt P --answer A [--answer A2 ...] [--top K] [--no-bos] [--no-space] "
                            + "[--plot DIR]",
                    """
                            TL's test_prompt: the answer's rank, logit and probability, and the top K tokens
                            """,
                    List.of("./jlens prompt --model gpt2 --prompt \"When John and Mary went to the store, John gave a "
                            + "drink to\" --answer \" Mary\"")),
            new Spec("patch", Set.of("--model", "--clean", "--corrupted", "--act", "--metric", "--answers", "--out",
                    "--plot"), Set.of("--by-pos", "--naive", "--attribution", "--json"), """
                    patch --model M --clean P [--clean P2 ...] --corrupted Q [--corrupted Q2 ...] --act A [--by-pos]
                    [--metric logit-diff|logprob] [--answers " Mary, John" ...] [--naive] [--attribution] [--json]
                    [--out F.npy] [--plot DIR]""", """
                            activation patching of clean into corrupted prompts (TL's get_act_patch_*): A is
                            resid_pre, resid_mid, attn_out, mlp_out, z (head out), q, k, v or pattern; head sweeps
                            cover all positions at once unless --by-pos; the metric (logit-diff of the answers at the
                            last position, or logprob of the clean tokens after the first difference) is normalised
                            to 0 = corrupted, 1 = clean; the fast exact loop unless --naive, or with --attribution
                            first-order estimates of every patch from one backward (attribution patching)
                            """,
                    List.of("""
                            ./jlens patch --model gpt2 --act z --out z.npy \\
                                  --clean "When John and Mary went to the store, John gave a drink to" \\
                                  --corrupted "When John and Mary went to the store, Mary gave a drink to" \\
                                  --answers " Mary, John\"""",
                            """
                            ./jlens patch --model induction-2l --act z --by-pos \\
                                  --clean " one two three four five six one two three four five six" \\
                                  --corrupted " one two three four five six red blue green pink gray black\"""")),
            new Spec("generate", Set.of("--model", "--prompt", "--tokens", "--max-new-tokens", "--temperature",
                    "--top-k", "--top-p", "--seed", "--steer"), Set.of("--json", "--no-kv-cache", "--no-bos"), """
                    generate --model M (--prompt P | --tokens IDS) [--prompt ...] --max-new-tokens N
                    [--temperature T] [--top-k K] [--top-p P] [--seed S] [--steer LAYER:COEF:"text+":"text-" ...]
                    [--no-kv-cache] [--no-bos] [--json]""", """
                            continue each prompt (TL's generate; prompts of different lengths are left-padded into
                            one batch): --temperature 0 is greedy (default 1), top-k and top-p restrict sampling,
                            --seed makes sampling repeatable (default 0), a row stops at EOS; --steer adds
                            COEF x (resid_pre(text+) - resid_pre(text-)) at block LAYER's first positions of
                            each prompt, after its pads (activation addition); --json prints [{"prompt_ids", "new_ids", "text"}] per row
                            """,
                    List.of("./jlens generate --model gpt2 --prompt \"The cat sat on the\" --max-new-tokens 20 "
                            + "--temperature 0",
                            "./jlens generate --model gpt2 --prompt \"I think dogs are\" --max-new-tokens 30 "
                            + "--steer 6:5:\"Love\":\"Hate\" --json")),
            new Spec("top-activations", Set.of("--model", "--corpus", "--field", "--hooks", "--matrix", "--k",
                    "--ctx-len", "--window", "--batch", "--shard", "--threads", "--dashboards", "--features",
                    "--engine", "--out"),
                    Set.of("--skip-bad-lines", "--padded", "--no-processing", "--overwrite"), """
                    top-activations --model M --corpus FILE|DIR [--field F] [--skip-bad-lines] --hooks NAME[,NAME...]
                    [--matrix HOOK=W.npy ...] [--k K] [--ctx-len L] [--padded] [--window W] [--batch B] [--shard S]
                    [--threads T] [--dashboards N] [--features HOOK:i,j,... ...] [--engine local|spark]
                    [--no-processing] [--overwrite] --out DIR""", """
                            the k most activating (context, position) of every feature of the hooks (every unit after
                            [batch, pos]; a --matrix [F, n] gives n features of hook @ W) over a corpus (.txt: one
                            document per line, a folder: one per file, .jsonl: field F), cut as TL's
                            tokenize_and_concatenate (or one padded context per document), with mean, max,
                            frac_active and a histogram; writes DIR/top.jsonl and DIR/dashboards/*.html; rerun to
                            resume an interrupted run (defaults: k 20, ctx-len 128, window 8, batch 8, shard 8
                            batches, threads: all cores, dashboards 20); --features draws pages for those features
                            (HOOK or HOOK@stem of a matrix) besides the top N; --engine spark runs the job on Apache
                            Spark local[*] when the launcher finds the spark module built (spark/README.md)
                            """,
                    List.of("./jlens top-activations --model induction-2l --corpus fortunes.jsonl --field text \\\n"
                            + "      --hooks blocks.1.attn.hook_z --k 10 --ctx-len 64 --out top-z")),
            new Spec("export-activations", Set.of("--model", "--corpus", "--field", "--hooks", "--positions",
                    "--ctx-len", "--batch", "--shard", "--threads", "--out"),
                    Set.of("--skip-bad-lines", "--padded", "--no-processing", "--overwrite"), """
                    export-activations --model M --corpus FILE|DIR [--field F] [--skip-bad-lines] --hooks NAME[,NAME...]
                    [--positions P[,P...]] [--ctx-len L] [--padded] [--batch B] [--shard S] [--threads T]
                    [--no-processing] [--overwrite] --out DIR""", """
                            the hooks' activations over a corpus (contexts cut as in top-activations), at chosen
                            positions only if --positions (negative counts from the end), with the token ids, as
                            float32 safetensors files DIR/shards/shard-N.safetensors (S contexts each) and
                            DIR/export.json listing them; rerun to resume (defaults: ctx-len 128, batch 8, shard 64)
                            """,
                    List.of("./jlens export-activations --model gpt2 --corpus docs/ --hooks blocks.6.hook_resid_post "
                            + "--positions -1 --out acts")),
            new Spec("patch-dataset", Set.of("--model", "--pairs", "--act", "--out"),
                    Set.of("--by-pos", "--naive", "--attribution", "--no-processing", "--overwrite"), """
                    patch-dataset --model M --pairs PAIRS.jsonl --act A [--by-pos] [--naive] [--attribution]
                    [--no-processing] [--overwrite] --out DIR""", """
                            the patch sweep of --act (as in patch) for every line {"clean": ..., "corrupted": ...,
                            "answers": [correct, incorrect]} with the normalised logit difference at the last position;
                            writes each pair's result (DIR/shards/shard-N.npy, line order) and their mean and
                            standard error (DIR/mean.npy, DIR/stderr.npy); rerun to resume
                            """,
                    List.of("./jlens patch-dataset --model gpt2 --pairs ioi.jsonl --act z --out ioi-z")),
            new Spec("tokenize", Set.of("--model", "--tokenizer", "--text"), Set.of("--no-bos", "--json"),
                    "tokenize (--model M | --tokenizer F) --text T [--no-bos] [--json]", """
                            token ids and string tokens of a text, with a model's tokenizer or with a
                            byte-level BPE tokenizer.json F (no model needed); BOS first unless --no-bos
                            """,
                    List.of("./jlens tokenize --model gpt2 --text \"Hello world\"",
                            "./jlens tokenize --tokenizer path/to/tokenizer.json --text \"Hello world\"")),
            new Spec("logits", Set.of("--model", "--tokens", "--out"), Set.of("--no-processing"),
                    "logits --model M --tokens 50256,464,3290 [--tokens ...] [--no-processing] --out F.npy", """
                            float32 logits [batch, pos, vocab] as .npy; rows of different lengths are right-padded
                            (as HF's tokenizer pads GPT-2), run with the attention mask, get 0 logits at the pads,
                            and the mask goes to F.mask.npy (float32 [batch, pos], 1 real, 0 pad)
                            """,
                    List.of("./jlens logits --model gpt2 --tokens 50256,464,3290 --out logits.npy")),
            new Spec("verify", Set.of("--model", "--tokens", "--reference", "--atol"), Set.of("--no-processing"),
                    "verify --model M --tokens ... --reference F.npy [--atol A] [--no-processing]", """
                            compare with reference logits (e.g. from Hugging Face); exit 1 past the tolerance;
                            rows of different lengths: the reference is [batch, longest, vocab], right-padded,
                            and only real positions are compared
                            """,
                    List.of("./jlens verify --model gpt2 --tokens 50256,464,3290 --reference hf_logits.npy "
                            + "--no-processing")),
            new Spec("gradients", Set.of("--model", "--tokens", "--target", "--pos", "--hooks", "--out"),
                    Set.of("--no-processing"), """
                    gradients --model M --tokens IDS [--tokens ...] --target ID --pos P --hooks NAME[,NAME...]
                    [--no-processing] --out DIR""", """
                            d metric / d activation at each hook (TL's shape, float32) as DIR/NAME.npy, for
                            metric = mean over the batch of log_softmax(logits)[b, P, ID] (reverse mode); rows of
                            different lengths are left-padded and masked, P counting within each row
                            """,
                    List.of("./jlens gradients --model gpt2 --tokens 50256,464,3290 --target 318 --pos -1 \\\n"
                            + "      --hooks hook_embed,blocks.0.hook_resid_pre,blocks.5.attn.hook_z --out grads")),
            new Spec("selfcheck", Set.of(), Set.of(), "selfcheck [--backend cpu|scalar|cuda]", """
                            one table: the backend, vector width, worker threads, transparent huge pages and CUDA
                            status (device, or why not), then every hot kernel of the backend against the scalar
                            oracle; exit 1 when a kernel is out of tolerance
                            """,
                    List.of("./jlens selfcheck", "./jlens selfcheck --backend cuda")));

    private Commands() {}

    /** The command called {@code name}, or null. */
    static Spec find(String name) {
        return ALL.stream().filter(c -> c.name().equals(name)).findFirst().orElse(null);
    }

    /** The command names, in usage order. */
    static List<String> names() {
        return ALL.stream().map(Spec::name).toList();
    }
}

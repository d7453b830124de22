// Entry point of ./jlens: parses the command, runs it, and turns errors into one line and an exit code.
package dev.jlens.model.cli;

import dev.jlens.model.GenerateOptions;
import dev.jlens.model.HookedGpt2;
import dev.jlens.model.builtin.BuiltinModels;
import dev.jlens.model.builtin.InductionModel;
import dev.jlens.model.dataset.Corpus;
import dev.jlens.model.jobs.ActivationExport;
import dev.jlens.model.jobs.DatasetPatching;
import dev.jlens.model.jobs.TopActivations;
import dev.jlens.model.pretrained.Pretrained;
import dev.jlens.model.pretrained.TorchModel;
import dev.jlens.model.weights.HubException;
import dev.jlens.model.weights.ProcessingOptions;
import dev.jlens.tensor.backend.Backends;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/** The jlens command line. Only this package may exit the JVM. */
public final class Main {
    private static final String VERBOSE = "--verbose";
    private static final String CONFIG = "--config";
    private static final String USAGE = "usage: ./jlens <command> [options]   (./jlens <command> --help for one)\n"
            + Commands.ALL.stream().map(Commands.Spec::entry).collect(Collectors.joining()) + """
              test       run the test suite (handled by the launcher)
              bench      run the JMH benchmarks (handled by the launcher)
            options for every command:
              --backend NAME   force a backend (scalar, cpu, cuda); default: the fastest available
              --device D       cuda or cpu: the same as --backend D (PyTorch's word)
              --plot DIR       (run, heads, prompt, patch) write the command's pictures to DIR: a PNG and a
                               self-contained HTML page with hover values each
              --verbose        on failure, print the stack trace as well as the one-line "jlens: ..." message
              --help, -h       after a command: that command's usage, options and examples
            models: built-in %s, a Hugging Face id (gpt2, gpt2-medium, openai-community/gpt2, ...) from the
                    Hugging Face cache or downloaded into it, or a folder with config.json and model.safetensors;
                    weights are processed as TransformerLens' from_pretrained unless --no-processing
            """.formatted(String.join(", ", BuiltinModels.names()));

    private Main() {}

    /**
     * Runs one command; exits 0 on success, 1 on a failed check, 2 on bad usage or input or a model that cannot be
     * had (hub unreachable, gated, not found), 3 on an unexpected error.
     */
    public static void main(String[] args) {
        System.setProperty("java.awt.headless", "true"); // plots are drawn off-screen, also on machines with a display
        System.exit(execute(args, System.getenv(), System.err));
    }

    /**
     * Runs one command with environment {@code env} (HF_HOME, HF_ENDPOINT, HF_TOKEN, ...) and returns its exit code;
     * a failure is one line {@code jlens: <message>} on {@code err}, after its stack trace when {@code --verbose}
     * is among the arguments.
     */
    static int execute(String[] args, Map<String, String> env, PrintStream err) {
        boolean verbose = Arrays.asList(args).contains(VERBOSE);
        try {
            return run(args, env);
        } catch (IllegalArgumentException | IllegalStateException | UncheckedIOException | HubException e) {
            return fail(err, verbose, e, e.getMessage() != null ? e.getMessage() : e.toString(), 2);
        } catch (RuntimeException | Error e) {
            return fail(err, verbose, e, "unexpected " + e + (verbose ? "" : " (rerun with --verbose for the stack "
                    + "trace)"), 3);
        }
    }

    private static int fail(PrintStream err, boolean verbose, Throwable e, String message, int code) {
        if (verbose) {
            e.printStackTrace(err);
        }
        err.println("jlens: " + message.strip().replaceAll("\\s*\\R\\s*", " "));
        err.flush();
        return code;
    }

    /** Runs one command with the process environment; failures are thrown (see {@link #execute}). */
    static int run(String[] args) {
        return run(args, System.getenv());
    }

    private static int run(String[] argv, Map<String, String> env) {
        String[] args = argv.length > 0 && argv[0].equals(VERBOSE) ? Arrays.copyOfRange(argv, 1, argv.length) : argv;
        if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h")) {
            System.out.print(USAGE);
            return args.length == 0 ? 2 : 0;
        }
        String command = args[0];
        Commands.Spec spec = Commands.find(command);
        if (spec == null) {
            throw new IllegalArgumentException("unknown command '" + command + "'; the commands are "
                    + String.join(", ", Commands.names()) + " (./jlens --help shows their options)");
        }
        Args a = parse(spec, Arrays.copyOfRange(args, 1, args.length));
        if (a.helpWanted()) {
            System.out.print(spec.help());
            return 0;
        }
        return switch (command) {
            case "run" -> {
                if (a.has("--no-plot") && a.has("--plot")) {
                    throw new IllegalArgumentException("run: give --plot DIR or --no-plot, not both");
                }
                PlotDir plots = a.has("--no-plot") ? null
                        : new PlotDir(Path.of(a.get("--plot", PlotDir.DEFAULT.toString())), System.out);
                HookedGpt2 model = load(a, a.get("--model", InductionModel.NAME), false, env);
                yield RunCommand.run(model, model + " on " + Backends.selected().describe(),
                        (int) a.number("--batch", 4), (int) a.number("--seq-len", 50), (long) a.number("--seed", 0),
                        plots, System.out);
            }
            case "heads" -> {
                yield HeadsCommand.run(load(a, a.require("--model"), false, env), a.get("--measure", "mul"),
                        (int) a.number("--batch", 4), (int) a.number("--seq-len", 50), (long) a.number("--seed", 0),
                        a.has("--json"), plots(a), System.out);
            }
            case "prompt" -> {
                String prompt = a.require("--prompt");
                a.require("--answer");
                yield PromptCommand.run(load(a, a.require("--model"), false, env), prompt, a.all("--answer"),
                        (int) a.number("--top", 10), !a.has("--no-bos"), !a.has("--no-space"), plots(a), System.out);
            }
            case "patch" -> {
                String model = a.require("--model");
                a.require("--clean");
                a.require("--corrupted");
                PatchCommand.Request request = new PatchCommand.Request(a.require("--act"), a.has("--by-pos"),
                        a.get("--metric", null), a.all("--answers"), a.has("--naive"), a.has("--attribution"),
                        a.has("--json"),
                        a.has("--out") ? Path.of(a.get("--out", null)) : null, plots(a));
                yield PatchCommand.run(load(a, model, false, env), a.all("--clean"), a.all("--corrupted"), request,
                        System.out);
            }
            case "generate" -> {
                GenerateCommand.Request request = new GenerateCommand.Request(a.all("--prompt"), a.all("--tokens"),
                        a.all("--steer"), a.has("--json"));
                yield GenerateCommand.run(load(a, a.require("--model"), false, env), request, generateOptions(a),
                        System.out);
            }
            case "tokenize" -> {
                var tokenizer = a.has("--tokenizer")
                        ? TokenizeCommand.file(a.get("--tokenizer", null), a.has("--model"))
                        : load(a, a.get("--model", InductionModel.NAME), false, env).tokenizer();
                yield TokenizeCommand.run(tokenizer, a.require("--text"), !a.has("--no-bos"), a.has("--json"),
                        System.out);
            }
            case "logits" -> {
                yield LogitsCommands.logits(load(a, a.require("--model"), a.has("--no-processing"), env),
                        LogitsCommands.paddedRows(a.all("--tokens")), Path.of(a.require("--out")), System.out);
            }
            case "verify" -> {
                boolean raw = a.has("--no-processing");
                yield LogitsCommands.verify(load(a, a.require("--model"), raw, env),
                        LogitsCommands.paddedRows(a.all("--tokens")), Path.of(a.require("--reference")),
                        a.number("--atol", 1e-4), !raw, System.out);
            }
            case "gradients" -> {
                a.require("--target");
                a.require("--pos");
                a.require("--tokens");
                yield GradientsCommand.run(load(a, a.require("--model"), a.has("--no-processing"), env),
                        a.all("--tokens").stream().map(t -> Args.ids("--tokens", t)).toArray(int[][]::new),
                        (int) a.number("--target", -1),
                        (int) a.number("--pos", -1), a.require("--hooks"), Path.of(a.require("--out")), System.out);
            }
            case "top-activations" -> {
                String engine = a.get("--engine", "local");
                if (!engine.equals("local")) {
                    throw new IllegalArgumentException("top-activations: --engine " + engine + " is not built into "
                            + "jlens.jar; the ./jlens launcher runs --engine spark through the jlens-spark module "
                            + "(built with -Pspark), spark-submit through dev.jlens.spark.SparkMain (spark/README.md)");
                }
                Corpus corpus = new Corpus(Path.of(a.require("--corpus")), a.get("--field", null),
                        a.has("--skip-bad-lines"));
                int batch = (int) a.number("--batch", 8);
                TopActivations.Options options = new TopActivations.Options(TopActivationsCommand.sources(
                        a.require("--hooks"), a.all("--matrix")), (int) a.number("--k", 20),
                        (int) a.number("--ctx-len", 128), a.has("--padded"), batch,
                        (int) a.number("--shard", 8 * batch),
                        (int) a.number("--threads", Runtime.getRuntime().availableProcessors()),
                        (int) a.number("--window", 8), (int) a.number("--dashboards", 20), a.has("--overwrite"),
                        a.all("--features").stream().flatMap(f -> TopActivations.Feature.parse(f).stream()).toList());
                Path out = Path.of(a.require("--out"));
                yield TopActivationsCommand.run(load(a, a.require("--model"), a.has("--no-processing"), env), corpus,
                        options, out, System.out);
            }
            case "export-activations" -> {
                Corpus corpus = new Corpus(Path.of(a.require("--corpus")), a.get("--field", null),
                        a.has("--skip-bad-lines"));
                int batch = (int) a.number("--batch", 8);
                ActivationExport.Options options = new ActivationExport.Options(
                        List.of(a.require("--hooks").split(",")), (int) a.number("--ctx-len", 128), a.has("--padded"),
                        a.has("--positions") ? Args.ids("--positions", a.get("--positions", null)) : null, batch,
                        (int) a.number("--shard", 8 * batch),
                        (int) a.number("--threads", Runtime.getRuntime().availableProcessors()), a.has("--overwrite"));
                var r = ActivationExport.run(load(a, a.require("--model"), a.has("--no-processing"), env), corpus,
                        options, Path.of(a.require("--out")));
                System.out.println("exported " + r.contexts() + " contexts in " + r.shards() + " files ("
                        + r.resumed() + " resumed) to " + r.dir().resolve("shards") + "; index "
                        + r.dir().resolve("export.json"));
                yield 0;
            }
            case "patch-dataset" -> {
                var r = DatasetPatching.run(load(a, a.require("--model"), a.has("--no-processing"), env),
                        Path.of(a.require("--pairs")), new DatasetPatching.Options(a.require("--act"),
                                a.has("--by-pos"), a.has("--naive"), a.has("--attribution"), a.has("--overwrite")),
                        Path.of(a.require("--out")));
                System.out.println(r.type().tlFunction() + " over " + r.lines().size() + " pairs: result "
                        + r.mean().shapeString() + "; wrote " + Path.of(a.require("--out")).resolve("mean.npy")
                        + " and stderr.npy");
                yield 0;
            }
            case "selfcheck" -> selfCheck();
            default -> throw new IllegalStateException("command '" + command + "' is in the table but not run");
        };
    }

    /**
     * Parses flags, applying --backend (or its alias --device cuda|cpu) before anything touches a tensor; every
     * command takes --verbose (read by {@link #execute}).
     */
    private static Args parse(Commands.Spec spec, String[] rest) {
        Set<String> withBackend = new java.util.HashSet<>(spec.valued());
        withBackend.add("--backend");
        withBackend.add("--device");
        withBackend.add(CONFIG);
        Set<String> withVerbose = new java.util.HashSet<>(spec.switches());
        withVerbose.add(VERBOSE);
        Args a = new Args(spec.name(), rest, withBackend, withVerbose);
        if (a.helpWanted()) {
            return a;
        }
        String device = a.get("--device", null);
        if (device != null && !device.equals("cuda") && !device.equals("cpu")) {
            throw new IllegalArgumentException("--device must be cuda or cpu, not '" + device + "' (--backend NAME "
                    + "picks any backend)");
        }
        String backend = a.get("--backend", null);
        if (device != null && backend != null && !device.equals(backend)) {
            throw new IllegalArgumentException("--device " + device + " contradicts --backend " + backend);
        }
        String chosen = backend != null ? backend : device;
        if (chosen != null) {
            System.setProperty("jlens.backend", chosen);
        }
        return a;
    }

    /** generate's sampling flags; GenerateOptions checks their ranges and names the option. */
    private static GenerateOptions generateOptions(Args a) {
        GenerateOptions o = GenerateOptions.defaults().maxNewTokens(integer(a, "--max-new-tokens", 10))
                .temperature(a.number("--temperature", 1)).seed((long) a.number("--seed", 0))
                .useKvCache(!a.has("--no-kv-cache")).prependBos(!a.has("--no-bos"));
        if (a.has("--top-k")) {
            o = o.topK(integer(a, "--top-k", 0));
        }
        if (a.has("--top-p")) {
            o = o.topP(a.number("--top-p", 1));
        }
        return o;
    }

    private static int integer(Args a, String flag, int fallback) {
        double v = a.number(flag, fallback);
        if (v != Math.rint(v) || Math.abs(v) > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(flag + " expects an integer, got " + a.get(flag, null));
        }
        return (int) v;
    }

    /** --plot DIR, or null when not given; with --json the plot lines go to stderr to keep stdout JSON. */
    private static PlotDir plots(Args a) {
        return a.has("--plot") ? new PlotDir(Path.of(a.get("--plot", null)), a.has("--json") ? System.err
                : System.out) : null;
    }

    /** --model {@code name}; with --config, name is a .pth state dict and the config a TransformerLens JSON. */
    private static HookedGpt2 load(Args a, String name, boolean noProcessing, Map<String, String> env) {
        ProcessingOptions processing = noProcessing ? ProcessingOptions.none() : ProcessingOptions.defaults();
        if (a.has(CONFIG)) {
            return TorchModel.load(Path.of(name), Path.of(a.get(CONFIG, null)), processing, Backends.current());
        }
        return Pretrained.load(name, processing, env);
    }

    private static int selfCheck() {
        return SelfCheck.run(Backends.selected(), System.out) ? 0 : 1;
    }
}

// The command line: each command's output and exit code, and its errors for bad flags, files and shapes.
package dev.jlens.model.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jlens.model.HookedGpt2;
import dev.jlens.model.plot.PngPixels;
import dev.jlens.model.pretrained.Pretrained;
import dev.jlens.model.weights.ProcessingOptions;
import dev.jlens.tensor.Tensor;
import dev.jlens.tensor.io.Npy;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MainTest {
    /** Runs the command line, returning "exit code\nstdout". */
    private static String run(String... args) {
        PrintStream original = System.out;
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buffer, true, StandardCharsets.UTF_8));
        try {
            int code = Main.run(args);
            return code + "\n" + buffer.toString(StandardCharsets.UTF_8);
        } finally {
            System.setOut(original);
        }
    }

    private static void fails(String fragment, String... args) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Main.run(args));
        assertTrue(e.getMessage().contains(fragment), "message lacks '" + fragment + "': " + e.getMessage());
    }

    @Test
    void runFindsThePlantedHeadsOfInduction2l() throws Exception {
        Path plots = Path.of("jlens-plots"); // the default folder, in the working directory (git-ignored)
        String out = run("run", "--batch", "2", "--seq-len", "30");
        assertTrue(out.startsWith("0\n"), out);
        assertTrue(out.contains("top heads by induction score:\n  L1H5"), out);
        assertTrue(out.contains("top heads by previous-token score:\n  L0H3"), out);
        try {
            assertTrue(out.contains("\nplot: induction score by head: " + plots.resolve("induction_scores.png")
                    + "  (hover values: " + plots.resolve("induction_scores.html") + ")\n"), out);
            assertTrue(out.contains("\nplot: attention pattern of L1H5: " + plots.resolve("attention_L1H5.png")), out);
            // the induction heatmap: one strongly red cell (L1H5, 0.98) among near-zero ones
            PngPixels png = PngPixels.read(plots.resolve("induction_scores.png"));
            double[] red = png.centroid(PngPixels::reddish);
            double blue = png.centroid(PngPixels::bluish)[2]; // the colour bar's lower half only
            assertTrue(red[2] > blue + 1000 && red[2] < blue + 8000, "one red cell: " + red[2] + " red px, " + blue
                    + " blue px");
            String html = Files.readString(plots.resolve("attention_L1H5.html"));
            // row 0 is BOS + 30 tokens twice: 61 x 61 cells, labels "tok_i"
            assertEquals(61 * 61, html.split("<rect [^>]*data-tip=", -1).length - 1);
            assertTrue(html.contains("data-tip=\"L1H5&#10;Destination token: &lt;|endoftext|&gt;_0&#10;Source token: "
                    + "&lt;|endoftext|&gt;_0&#10;value: 1\""), "BOS attends to itself with weight 1");
        } finally {
            for (String f : List.of("induction_scores.png", "induction_scores.html", "attention_L1H5.png",
                    "attention_L1H5.html")) {
                Files.deleteIfExists(plots.resolve(f));
            }
            Files.deleteIfExists(plots);
        }
        String none = run("run", "--batch", "1", "--seq-len", "10", "--no-plot");
        assertTrue(none.startsWith("0\n") && !none.contains("plot:"), none);
    }

    @Test // catches --plot being ignored, a heads/prompt/patch picture with the wrong axes, or JSON mixed with lines
    void plotFlagWritesEachCommandsPictures(@TempDir Path dir) throws Exception {
        String heads = run("heads", "--model", "induction-2l", "--batch", "2", "--seq-len", "20", "--plot",
                dir.toString());
        for (String score : List.of("previous_token_head", "duplicate_token_head", "induction_head")) {
            assertTrue(heads.contains("plot: " + score + ": " + dir.resolve("heads_" + score + ".png")), heads);
            assertTrue(Files.size(dir.resolve("heads_" + score + ".html")) > 1000, score);
        }
        String json = run("heads", "--model", "induction-2l", "--batch", "2", "--seq-len", "20", "--json",
                "--plot", dir.resolve("json").toString());
        assertTrue(json.startsWith("0\n{") && !json.contains("plot:"), "stdout stays JSON: " + json);
        assertTrue(Files.exists(dir.resolve("json/heads_induction_head.png")));

        String prompt = run("prompt", "--model", "tiny-random", "--prompt", "Hello world", "--answer", " there",
                "--top", "3", "--plot", dir.toString());
        assertTrue(prompt.contains("plot: top 3 next-token probabilities: " + dir.resolve("prompt_top_tokens.png")),
                prompt);
        String bars = Files.readString(dir.resolve("prompt_top_tokens.html"));
        assertEquals(3, bars.split("<rect [^>]*data-tip=", -1).length - 1, "one bar per top token");

        String patch = run(args(new String[] {"patch", "--model", "induction-2l", "--act", "z", "--plot",
            dir.toString()}, INDUCTION_CLEAN, INDUCTION_CORRUPTED));
        assertTrue(patch.contains("plot: get_act_patch_attn_head_out_all_pos: "
                + dir.resolve("patch_attn_head_out_all_pos.png")), patch);
        String html = Files.readString(dir.resolve("patch_attn_head_out_all_pos.html"));
        assertEquals(16, html.split("<rect [^>]*data-tip=", -1).length - 1, "[layer, head] = [2, 8] cells");
        assertTrue(java.util.regex.Pattern.compile("data-tip=\"Layer: 1&#10;Head: 5&#10;value: (0\\.[5-9][0-9]*|1|1\\.0"
                + "[0-9]*)\"").matcher(html).find(), "L1H5 restores most of the clean run");
        assertTrue(PngPixels.read(dir.resolve("patch_attn_head_out_all_pos.png")).centroid(PngPixels::reddish)[2]
                > 300, "L1H5's cell is red");

        run(args(new String[] {"patch", "--model", "induction-2l", "--act", "resid_pre", "--plot", dir.toString()},
                INDUCTION_CLEAN, INDUCTION_CORRUPTED));
        String byPos = Files.readString(dir.resolve("patch_resid_pre.html"));
        assertTrue(byPos.contains("Position: &lt;|endoftext|&gt;_0") && byPos.contains("Position:  one_7"),
                "positions labelled tok_i");
        run(args(new String[] {"patch", "--model", "induction-2l", "--act", "v", "--by-pos", "--plot",
            dir.toString()}, INDUCTION_CLEAN, INDUCTION_CORRUPTED));
        String heads2 = Files.readString(dir.resolve("patch_attn_head_v_by_pos.html"));
        assertTrue(heads2.contains("data-tip=\"Head: L1H7&#10;Position:  six_12&#10;value: "), "rows (layer head)");
    }

    @Test
    void plotFolderThatCannotBeMadeIsNamed(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("a-file"), "x");
        var e = assertThrows(java.io.UncheckedIOException.class, () -> Main.run(new String[] {"heads", "--model",
            "induction-2l", "--batch", "1", "--seq-len", "5", "--plot", file.resolve("sub").toString()}));
        assertTrue(e.getMessage().contains("cannot create the plot folder " + file.resolve("sub").toAbsolutePath()),
                e.getMessage());
        fails("give --plot DIR or --no-plot, not both", "run", "--plot", dir.toString(), "--no-plot");
    }

    @Test
    void tokenizeAsJson() {
        String out = run("tokenize", "--model", "tiny-random", "--text", "Hello world", "--json");
        assertEquals("0\n{\"ids\":[50256,15496,995],\"str_tokens\":[\"<|endoftext|>\",\"Hello\",\" world\"]}\n", out);
    }

    /** ids of "Hello world" from the golden file of the reference (transformers.js), after the template's BOS. */
    @Test
    void tokenizeWithATokenizerJsonAndNoModel(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("tokenizer.json");
        try (var in = MainTest.class.getResourceAsStream("/dev/jlens/model/tokenizer/pipelines/llama3-style"
                + ".tokenizer.json")) {
            Files.copy(in, file);
        }
        String out = run("tokenize", "--tokenizer", file.toString(), "--text", "Hello world", "--json");
        assertTrue(out.startsWith("0\n{\"ids\":[3262,39,301,385,1879],\"str_tokens\":[\"<|begin_of_text|>\",\"H\","),
                out);
        fails("give --model or --tokenizer, not both", "tokenize", "--tokenizer", file.toString(), "--model",
                "gpt2", "--text", "a");
        fails("--tokenizer " + dir.resolve("none.json") + " is not a file", "tokenize", "--tokenizer",
                dir.resolve("none.json").toString(), "--text", "a");
    }

    @Test
    void generateCopiesWithInductionAndLeftPadsRowsOfDifferentLengths() {
        // BOS + A + A[:2] continues with A[2:]; the shorter row is left-padded and continues as it would alone
        String out = run("generate", "--model", "induction-2l", "--tokens", "50256,100,200,300,400,100,200",
                "--tokens", "50256,7,8,9,7", "--max-new-tokens", "2", "--temperature", "0", "--json");
        assertEquals("0\n[{\"prompt_ids\":[50256,100,200,300,400,100,200],\"new_ids\":[300,400],\"text\":\""
                + Pretrained.load("induction-2l", ProcessingOptions.none()).toString(300, 400) + "\"},"
                + "{\"prompt_ids\":[50256,7,8,9,7],\"new_ids\":[8,9],\"text\":\")*\"}]\n", out);
        String uncached = run("generate", "--model", "induction-2l", "--tokens", "50256,7,8,9,7",
                "--max-new-tokens", "2", "--temperature", "0", "--no-kv-cache", "--json");
        assertTrue(uncached.contains("\"new_ids\":[8,9]"), uncached);
    }

    @Test // catches --steer refusing prompts of different lengths, or steering the shorter one at its pads
    void generateSteersPromptsOfDifferentLengthsEachFromItsFirstToken() {
        String[] steer = {"--model", "tiny-random", "--steer", "1:8:\" love\":\" hate\"", "--max-new-tokens", "4",
                "--temperature", "0", "--json"};
        String both = run(args(new String[] {"generate", "--prompt", "I think dogs are", "--prompt", "Cats"}, steer));
        String alone = run(args(new String[] {"generate", "--prompt", "Cats"}, steer));
        assertTrue(both.startsWith("0\n[{") && alone.startsWith("0\n[{"), both + alone);
        String newIds = alone.substring(alone.indexOf("\"new_ids\""), alone.indexOf(",\"text\""));
        assertTrue(both.substring(both.indexOf("},{")).contains(newIds), both + " vs " + newIds);
    }

    @Test
    void generateRefusesBadOptionsNamingThem() {
        String[] base = {"generate", "--model", "tiny-random", "--prompt", "Hi"};
        fails("temperature must be", args(base, new String[] {"--temperature", "-1"}));
        fails("top_p must be in (0, 1]", args(base, new String[] {"--top-p", "1.5"}));
        fails("top_k must be at least 1", args(base, new String[] {"--top-k", "0"}));
        fails("--max-new-tokens expects an integer", args(base, new String[] {"--max-new-tokens", "2.5"}));
        fails("more than n_ctx 128", args(base, new String[] {"--max-new-tokens", "200"}));
        fails("not both", args(base, new String[] {"--tokens", "1,2"}));
        fails("--steer expects LAYER:COEF", args(base, new String[] {"--steer", "1:2"}));
    }

    @Test
    void patchTakesPromptPairsOfDifferentLengths() {
        // pair 0 has 7 tokens, pair 1 has 5 (left-padded to 7): the sweep covers 7 positions, pads included
        String out = run("patch", "--model", "induction-2l", "--act", "resid_pre", "--json",
                "--clean", " one two three one two three", "--corrupted", " one two three red blue green",
                "--clean", " a b a b", "--corrupted", " a b c d");
        assertTrue(out.startsWith("0\n{"), out);
        assertTrue(out.contains("\"metric\":\"logprob\""), out);
        String values = out.substring(out.indexOf("\"values\":"));
        assertEquals(2, values.split("\\],\\[").length, "2 layers: " + values);
        assertEquals(7, values.substring(0, values.indexOf(']')).split(",").length, "7 positions: " + values);
        fails("clean prompt 1 has 3 tokens and its corrupted prompt 4", "patch", "--model", "induction-2l", "--act",
                "resid_pre", "--clean", " one two", "--corrupted", " one three", "--clean", " a b", "--corrupted",
                " a b c");
    }

    @Test
    void logitsThenVerifyAgainstThemselvesAndAgainstAPerturbedCopy(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("logits.npy");
        assertTrue(run("logits", "--model", "tiny-random", "--tokens", "50256,464,3290", "--tokens", "1,2,3",
                "--no-processing", "--out", out.toString()).startsWith("0\n"));
        Tensor written = Npy.read(out);
        Tensor direct = Pretrained.load("tiny-random", ProcessingOptions.none())
                .forward(new int[][] {{50256, 464, 3290}, {1, 2, 3}});
        // 1e-6, not 0: the Vector API's exp/tanh differ by an ulp between the interpreter and C2 code
        assertTrue(written.maxAbsDiff(direct) <= 1e-6, "max diff " + written.maxAbsDiff(direct));
        String same = run("verify", "--model", "tiny-random", "--tokens", "50256,464,3290", "--tokens", "1,2,3",
                "--no-processing", "--reference", out.toString());
        assertTrue(same.startsWith("0\n") && same.contains("argmax agreement 6 / 6"), same);
        Tensor perturbed = written.copy();
        perturbed.set(perturbed.get(1, 2, 7) + 1e-3f, 1, 2, 7);
        Npy.write(out, perturbed);
        String off = run("verify", "--model", "tiny-random", "--tokens", "50256,464,3290", "--tokens", "1,2,3",
                "--no-processing", "--reference", out.toString());
        assertTrue(off.startsWith("1\n") && off.contains("verify FAILED"), off);
    }

    @Test // catches padded rows run without the mask, pads left in place of zeros, a wrong mask, or a verify that
          // compares pads or ignores a real position
    void logitsAndVerifyTakeRowsOfDifferentLengthsRightPaddedWithTheMask(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("ragged.npy");
        String[] rows = {"--tokens", "50256,464,3290,11", "--tokens", "1,2"};
        String log = run(args(new String[] {"logits", "--model", "tiny-random", "--no-processing", "--out",
                out.toString()}, rows));
        assertTrue(log.startsWith("0\n") && log.contains("ragged.mask.npy"), log);
        Tensor written = Npy.read(out);
        assertArrayEquals(new int[] {2, 4, written.size(2)}, written.shape());
        HookedGpt2 model = Pretrained.load("tiny-random", ProcessingOptions.none());
        Tensor first = model.forward(new int[][] {{50256, 464, 3290, 11}});
        Tensor second = model.forward(new int[][] {{1, 2}});
        // each row as if alone; 1e-5, not 0: 8 rows and 4 rows take register tiles that sum K in another order
        assertTrue(written.narrow(0, 0, 1).maxAbsDiff(first) <= 1e-5, "row 0");
        assertTrue(written.narrow(0, 1, 1).narrow(1, 0, 2).maxAbsDiff(second) <= 1e-5, "row 1 real positions");
        assertEquals(0.0, written.narrow(0, 1, 1).narrow(1, 2, 2).maxAbsDiff(Tensor.zeros(1, 2, written.size(2))),
                "row 1 pads are 0");
        Tensor mask = Npy.read(dir.resolve("ragged.mask.npy"));
        assertArrayEquals(new float[] {1, 1, 1, 1, 1, 1, 0, 0}, mask.toArray());
        assertArrayEquals(new int[] {2, 4}, mask.shape());

        Tensor reference = written.copy();
        reference.narrow(0, 1, 1).narrow(1, 2, 2).fill(123f); // a reference's pads hold anything
        Npy.write(out, reference);
        String[] verify = {"verify", "--model", "tiny-random", "--no-processing", "--reference", out.toString()};
        String same = run(args(verify, rows));
        assertTrue(same.startsWith("0\n") && same.contains("argmax agreement 6 / 6"), same);
        reference.set(reference.get(1, 1, 5) + 1e-3f, 1, 1, 5); // the last real position of the short row
        Npy.write(out, reference);
        String off = run(args(verify, rows));
        assertTrue(off.startsWith("1\n") && off.contains("verify FAILED"), off);
        Npy.write(out, reference.narrow(1, 0, 3).contiguous());
        fails("(rows right-padded to the longest)", args(verify, rows));
    }

    @Test // catches a heads table or JSON that loses a score, mislabels heads, or misses induction-2l's planted heads
    void headsRanksThePlantedHeadsFirstAsTableAndJson() {
        String table = run("heads", "--model", "induction-2l", "--batch", "2", "--seq-len", "20");
        assertTrue(table.startsWith("0\n"), table);
        assertTrue(table.contains("previous_token_head  duplicate_token_head        induction_head"), table);
        assertTrue(table.contains("\nL1H7 "), table); // all 16 heads are listed
        assertTrue(table.contains("top previous_token_head: L0H3 ") && table.contains("top induction_head: L1H5 "),
                table);
        String json = run("heads", "--model", "induction-2l", "--batch", "2", "--seq-len", "20", "--measure",
                "stripe", "--json");
        assertTrue(json.startsWith("0\n{\"model\":\"induction-2l\",\"measure\":\"stripe\",\"batch\":2,"
                + "\"seq_len\":20,\"seed\":0,\"scores\":{\"previous_token_head\":[["), json);
        assertTrue(json.contains("\"duplicate_token_head\":[[") && json.contains("\"induction_head\":[["), json);
    }

    @Test // catches a prompt command that drops TL's printout lines or mishandles a multi-token answer
    void promptPrintsTestPromptForAMultiTokenAnswer() {
        String out = run("prompt", "--model", "tiny-random", "--prompt", "Hello world", "--answer",
                "Pneumonoultramicroscopic", "--top", "2");
        assertTrue(out.startsWith("0\nTokenized prompt: ['<|endoftext|>', 'Hello', ' world']\nTokenized answer: ["
                + "' P'"), out);
        long blocks = out.lines().filter(l -> l.equals("Performance on answer token:")).count();
        assertTrue(blocks > 1, "one block per answer token: " + out);
        assertEquals(2 * blocks, out.lines().filter(l -> l.startsWith("Top ")).count(), out);
        assertTrue(out.contains("\nRanks of the answer tokens: [(' P', "), out);
    }

    private static final String[] INDUCTION_CLEAN = {"--clean", " one two three four five six one two three four five six"};
    private static final String[] INDUCTION_CORRUPTED = {"--corrupted",
        " one two three four five six red blue green pink gray black"};

    private static String[] args(String[]... parts) {
        return java.util.Arrays.stream(parts).flatMap(java.util.Arrays::stream).toArray(String[]::new);
    }

    @Test // catches a patch command that mislabels heads, writes a wrong .npy, or whose fast and naive loops differ
    void patchHeadOutOnInduction2lRanksTheInductionHeadFirst(@TempDir Path dir) throws Exception {
        Path fast = dir.resolve("fast.npy");
        Path naive = dir.resolve("naive.npy");
        String[] common = {"patch", "--model", "induction-2l", "--act", "z"};
        String table = run(args(common, INDUCTION_CLEAN, INDUCTION_CORRUPTED, new String[] {"--out", fast.toString()}));
        assertTrue(table.startsWith("0\n"), table);
        assertTrue(table.contains("sweep: get_act_patch_attn_head_out_all_pos (z), fast loop"), table);
        assertTrue(table.contains("metric: logprob"), table);
        assertTrue(table.contains("result: [layer, head] [2, 8], 16 patches"), table);
        assertTrue(table.matches("(?s).*top 10 by value:\n +[0-9.]+ +layer 1, head 5\n.*"), table);
        run(args(common, INDUCTION_CLEAN, INDUCTION_CORRUPTED, new String[] {"--out", naive.toString(), "--naive"}));
        Tensor fastResult = Npy.read(fast);
        assertEquals(java.util.List.of(2, 8), java.util.Arrays.stream(fastResult.shape()).boxed().toList());
        assertTrue(fastResult.maxAbsDiff(Npy.read(naive)) <= 1e-5, "fast vs naive " + fastResult.maxAbsDiff(Npy.read(naive)));
        assertTrue(fastResult.get(1, 5) > 0.5, "the induction head restores most of the clean run: " + fastResult);
    }

    @Test // resid_pre at layer 0 of the one differing token turns the corrupted run into the clean one: exactly 1
    void patchLogitDiffIsOneWhereTheCleanTokenIsPatchedInAndZeroElsewhere() {
        String json = run("patch", "--model", "tiny-random", "--act", "resid_pre", "--json",
                "--clean", "When Mary and John went to the store, John gave a drink to",
                "--corrupted", "When Mary and John went to the store, Mary gave a drink to",
                "--answers", " Mary, John");
        assertTrue(json.startsWith("0\n{\"model\":\"tiny-random\",\"sweep\":\"get_act_patch_resid_pre\""), json);
        assertTrue(json.contains("\"axes\":[\"layer\",\"pos\"],\"metric\":\"logit-diff\""), json);
        String layer0 = json.substring(json.indexOf("\"values\":[[") + 11, json.indexOf("]", json.indexOf("\"values\"")));
        String[] values = layer0.split(",");
        assertEquals(15, values.length, layer0); // BOS + 14 tokens
        for (int p = 0; p < values.length; p++) {
            double expected = p == 10 ? 1 : 0; // token 10 is the second " John" / " Mary"
            assertEquals(expected, Double.parseDouble(values[p]), 1e-4, "pos " + p + " of layer 0: " + layer0);
        }
    }

    @Test
    void patchRejectsMismatchedPromptsAndAnswers() {
        fails("clean prompt 0 has 13 tokens and its corrupted prompt 12", args(
                new String[] {"patch", "--model", "induction-2l", "--act", "z"}, INDUCTION_CLEAN,
                new String[] {"--corrupted", " one two three four five six red blue green pink gray"}));
        fails("2 --clean prompts but 1 --corrupted prompts", args(new String[] {"patch", "--model", "induction-2l",
            "--act", "z"}, INDUCTION_CLEAN, INDUCTION_CLEAN, INDUCTION_CORRUPTED));
        fails("no patch sweep for activation 'resid'", args(new String[] {"patch", "--model", "induction-2l",
            "--act", "resid"}, INDUCTION_CLEAN, INDUCTION_CORRUPTED));
        fails("--metric logit-diff needs --answers", args(new String[] {"patch", "--model", "induction-2l",
            "--act", "z", "--metric", "logit-diff"}, INDUCTION_CLEAN, INDUCTION_CORRUPTED));
        fails("must be two comma-separated answers", args(new String[] {"patch", "--model", "induction-2l",
            "--act", "z", "--answers", " one"}, INDUCTION_CLEAN, INDUCTION_CORRUPTED));
        fails("the clean and corrupted prompts are the same tokens", args(new String[] {"patch", "--model",
            "induction-2l", "--act", "z"}, INDUCTION_CLEAN, new String[] {"--corrupted", INDUCTION_CLEAN[1]}));
        fails("--answers ' zxqvw, John'", "patch", "--model", "tiny-random", "--act", "z", "--clean", "A B",
                "--corrupted", "A C", "--answers", " zxqvw, John");
    }

    /** Runs {@link Main#execute} with {@code env}, returning "exit code\nstderr". */
    private static String execute(Map<String, String> env, String... args) {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.execute(args, env, new PrintStream(err, true, StandardCharsets.UTF_8));
        return code + "\n" + err.toString(StandardCharsets.UTF_8);
    }

    @Test // issue 22: a hub that cannot be reached was a ConnectException stack trace; now one line unless --verbose
    void aFailureIsOneLineOnStderrWithTheStackTraceOnlyUnderVerbose(@TempDir Path dir) throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort(); // closed again below: connections to it are refused
        }
        Map<String, String> env = Map.of("HF_ENDPOINT", "http://127.0.0.1:" + port, "HF_HUB_CACHE", dir.toString());
        String quiet = execute(env, "run", "--model", "jlens-test/absent", "--no-plot");
        List<String> lines = quiet.lines().toList();
        assertEquals(List.of("2", lines.get(1)), lines, "exit 2 and exactly one line: " + quiet);
        assertTrue(lines.get(1).startsWith("jlens: cannot download jlens-test/absent (revision main): no response from "
                + "127.0.0.1:" + port + " "), quiet);
        assertTrue(lines.get(1).contains(dir.resolve("models--jlens-test--absent/snapshots").toString())
                && lines.get(1).contains("HF_ENDPOINT") && lines.get(1).contains("HF_TOKEN"), quiet);

        for (String[] args : List.of(new String[] {"run", "--model", "jlens-test/absent", "--no-plot", "--verbose"},
                new String[] {"--verbose", "run", "--model", "jlens-test/absent", "--no-plot"})) {
            String loud = execute(env, args);
            List<String> trace = loud.lines().toList();
            assertEquals("2", trace.getFirst(), loud);
            assertTrue(trace.get(1).startsWith("dev.jlens.model.weights.HubException: cannot download "), loud);
            assertTrue(trace.stream().anyMatch(l -> l.startsWith("\tat dev.jlens.model.weights.HubDownloader.")),
                    loud);
            assertTrue(trace.stream().anyMatch(l -> l.startsWith("Caused by: java.net.ConnectException")), loud);
            assertEquals(lines.get(1), trace.getLast(), "the one line closes the trace");
        }

        assertEquals("2\njlens: unknown command 'frobnicate'; the commands are run, heads, prompt, patch, generate, "
                + "top-activations, export-activations, patch-dataset, tokenize, logits, verify, gradients, selfcheck "
                + "(./jlens --help shows their options)\n", execute(env, "frobnicate"));
        String badFlag = execute(env, "tokenize", "--verbose", "--modle", "x");
        assertTrue(badFlag.startsWith("2\njava.lang.IllegalArgumentException: tokenize: unknown option '--modle'"),
                badFlag);
        assertTrue(badFlag.endsWith("\njlens: tokenize: unknown option '--modle'; did you mean --model? it takes "
                + "--backend, --config, --device, --json, --model, --no-bos, --text, --tokenizer, --verbose "
                + "(./jlens tokenize --help)\n"),
                badFlag);
        assertEquals("0\n", execute(env, "tokenize", "--model", "tiny-random", "--text", "a", "--verbose"),
                "every command takes --verbose");
    }

    @Test
    void badFlagsAndInputsAreNamed(@TempDir Path dir) {
        fails("unknown command 'frobnicate'", "frobnicate");
        fails("unknown option '--modle'", "run", "--modle", "gpt2");
        fails("--device must be cuda or cpu, not 'gpu'", "tokenize", "--model", "tiny-random", "--text", "a",
                "--device", "gpu");
        fails("--device cuda contradicts --backend cpu", "tokenize", "--model", "tiny-random", "--text", "a",
                "--device", "cuda", "--backend", "cpu");
        fails("--out is required", "logits", "--model", "tiny-random", "--tokens", "1,2");
        fails("'x' is not a token id", "logits", "--model", "tiny-random", "--tokens", "1,x", "--out", "a.npy");
        fails("token id 60000", "logits", "--model", "tiny-random", "--tokens", "1,60000", "--out",
                dir.resolve("a.npy").toString());
        fails("cannot read reference logits", "verify", "--model", "tiny-random", "--tokens", "1,2",
                "--reference", dir.resolve("missing.npy").toString());
        fails("prompt: --prompt is required", "prompt", "--model", "tiny-random", "--answer", " Mary");
        fails("prompt: --answer is required", "prompt", "--model", "tiny-random", "--prompt", "Hi");
        fails("--measure must be mul, abs or stripe", "heads", "--model", "tiny-random", "--measure", "max");
        fails("--top expects a number", "prompt", "--model", "tiny-random", "--prompt", "Hi", "--answer", "x",
                "--top", "ten");
        fails("--atol expects a number", "verify", "--model", "tiny-random", "--tokens", "1,2", "--reference",
                "r.npy", "--atol", "tight");
    }

    @Test // issue 22: "./jlens patch --help" answered "unknown option '--help'"
    void patchHelpPrintsItsUsageAndExitsZero() {
        for (String help : List.of("--help", "-h")) {
            String out = run("patch", help);
            assertTrue(out.startsWith("0\nusage: ./jlens patch --model M --clean P"), out);
            for (String flag : List.of("--clean", "--corrupted", "--act", "--by-pos", "--metric", "--backend",
                    "--verbose")) {
                assertTrue(out.contains(flag), "patch --help lacks " + flag + ":\n" + out);
            }
            assertTrue(out.contains("\nexamples:\n  ./jlens patch --model gpt2 --act z"), out);
        }
        // --help wins over the required flags it was given without, and over what follows it
        assertTrue(run("patch", "--model", "gpt2", "--help", "--bogus").startsWith("0\nusage: ./jlens patch "));
    }

    @Test
    void everyCommandOfTheUsageAnswersHelp() {
        String usage = run("--help");
        assertTrue(usage.startsWith("0\nusage: ./jlens <command> [options]"), usage);
        List<String> commands = usage.lines().filter(l -> l.matches("  [a-z][a-z-]*( .*)?"))
                .map(l -> l.strip().split(" ")[0]).filter(c -> !c.equals("test") && !c.equals("bench")).toList();
        assertEquals(List.of("run", "heads", "prompt", "patch", "generate", "top-activations", "export-activations",
                "patch-dataset", "tokenize", "logits", "verify", "gradients",
                "selfcheck"), commands, usage);
        for (String command : commands) {
            String out = run(command, "--help");
            assertTrue(out.startsWith("0\nusage: ./jlens " + command), out);
            assertTrue(out.contains("options for every command:\n") && out.contains("\nexamples:\n  ./jlens "
                    + command), out);
            assertEquals(out, run(command, "-h"), command + " -h is --help");
            Commands.Spec spec = Commands.find(command);
            for (String flag : spec.valued()) {
                assertTrue(out.contains(flag + " "), command + " --help does not show " + flag + ":\n" + out);
            }
            for (String flag : spec.switches()) {
                assertTrue(out.contains(flag + "]"), command + " --help does not show " + flag + ":\n" + out);
            }
        }
    }

    @Test
    void unknownOptionSuggestsTheNearestOne() {
        fails("logits: unknown option '--tokns'; did you mean --tokens? it takes", "logits", "--model",
                "tiny-random", "--tokns", "1,2");
        // nothing close: no guess, just the list
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Main.run(new String[] {"logits", "--frobnicate"}));
        assertTrue(e.getMessage().startsWith("logits: unknown option '--frobnicate'; it takes --backend, "), e
                .getMessage());
    }
}

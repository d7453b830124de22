// ./jlens logits and ./jlens verify: write logits as .npy, or compare them with reference logits.
package dev.jlens.model.cli;

import dev.jlens.model.HookedGpt2;
import dev.jlens.model.RunOptions;
import dev.jlens.model.tokenizer.PaddingSide;
import dev.jlens.model.tokenizer.TokenBatch;
import dev.jlens.tensor.Shape;
import dev.jlens.tensor.Tensor;
import dev.jlens.tensor.io.Npy;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * {@code logits} writes float32 logits [batch, pos, vocab] of the given token rows; {@code verify} compares them
 * with a reference .npy (e.g. from Hugging Face transformers, or scripts/reference/gpt2_numpy.py) and fails past
 * the tolerance. A processed model (center_unembed) moves each position's logits by a constant, so processed
 * logits are compared after subtracting every position's mean logit from both sides.
 *
 * <p>Rows of different lengths are right-padded to the longest and run with the attention mask, as Hugging Face's
 * {@code tokenizer(..., padding=True)} pads GPT-2 (right padding keeps each row's positions, so its logits are those
 * of the row alone): {@code logits} writes 0 at the pads and the mask [batch, pos] (float32, 1 real, 0 pad) to a
 * second file beside the logits, {@code F.mask.npy} for {@code --out F.npy}; {@code verify} compares the real
 * positions only, whatever the reference holds at the pads.
 */
final class LogitsCommands {
    private LogitsCommands() {}

    /** Token rows from repeated --tokens flags, right-padded with id 0 to the longest row. */
    static TokenBatch paddedRows(List<String> flags) {
        return TokenBatch.pad(Arrays.asList(parse(flags)), 0, PaddingSide.RIGHT);
    }

    private static int[][] parse(List<String> flags) {
        if (flags.isEmpty()) {
            throw new IllegalArgumentException("--tokens is required, e.g. --tokens 50256,464,3290");
        }
        return flags.stream().map(f -> Args.ids("--tokens", f)).toArray(int[][]::new);
    }

    static int logits(HookedGpt2 model, TokenBatch tokens, Path out, PrintStream log) {
        Tensor logits = forward(model, tokens);
        write(out, logits);
        log.println("wrote logits " + Shape.str(logits.shape()) + " to " + out);
        if (isPadded(tokens)) {
            Path maskFile = maskFile(out);
            write(maskFile, mask(tokens));
            log.println("wrote the mask [batch, pos] (1 real, 0 pad) to " + maskFile);
        }
        return 0;
    }

    /** F.npy -> F.mask.npy beside it (any other name: NAME.mask.npy). */
    static Path maskFile(Path logitsFile) {
        String name = logitsFile.getFileName().toString();
        String stem = name.endsWith(".npy") ? name.substring(0, name.length() - 4) : name;
        return logitsFile.resolveSibling(stem + ".mask.npy");
    }

    static int verify(HookedGpt2 model, TokenBatch tokens, Path referenceFile, double atol, boolean centred,
            PrintStream log) {
        Tensor reference;
        try {
            reference = Npy.read(referenceFile);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read reference logits: " + e.getMessage(), e);
        }
        Tensor logits = forward(model, tokens);
        if (!Arrays.equals(logits.shape(), reference.shape())) {
            throw new IllegalArgumentException("reference " + referenceFile + " has shape "
                    + Shape.str(reference.shape()) + " but the model's logits have shape " + Shape.str(logits.shape())
                    + (isPadded(tokens) ? " (rows right-padded to the longest)" : ""));
        }
        Tensor ours = zeroPads(centred ? centre(logits) : logits, tokens);
        Tensor theirs = zeroPads(centred ? centre(reference) : reference.copy(), tokens);
        double diff = ours.maxAbsDiff(theirs);
        Tensor argmaxOurs = logits.argmax(-1).reshape(-1);
        Tensor argmaxTheirs = reference.argmax(-1).reshape(-1);
        int[] mask = Arrays.stream(tokens.attentionMask()).flatMapToInt(Arrays::stream).toArray();
        int positions = 0;
        int agree = 0;
        for (int i = 0; i < mask.length; i++) {
            positions += mask[i];
            agree += mask[i] == 1 && argmaxOurs.get(i) == argmaxTheirs.get(i) ? 1 : 0;
        }
        boolean pass = diff <= atol && !Double.isNaN(diff);
        log.printf("max |logit diff| %.3e %s(atol %.1e)%n", diff, centred ? "after centring each position " : "",
                atol);
        log.printf("argmax agreement %d / %d positions%n", agree, positions);
        log.println(pass ? "verify passed" : "verify FAILED");
        return pass ? 0 : 1;
    }

    /** Logits [batch, pos, vocab]; padded rows run with the mask and get 0 at their pads. */
    private static Tensor forward(HookedGpt2 model, TokenBatch tokens) {
        if (!isPadded(tokens)) {
            return model.forward(tokens.ids());
        }
        Tensor logits = model.forward(tokens.ids(), RunOptions.defaults().withAttentionMask(tokens.attentionMask()))
                .logits();
        return zeroPads(logits, tokens);
    }

    /** Writes 0 at the (right) pads of x [batch, pos, ...] in place; returns x. */
    private static Tensor zeroPads(Tensor x, TokenBatch tokens) {
        for (int b = 0; b < tokens.batch(); b++) {
            int real = Arrays.stream(tokens.attentionMask()[b]).sum();
            x.select(0, b).narrow(0, real, tokens.length() - real).fill(0f);
        }
        return x;
    }

    private static boolean isPadded(TokenBatch tokens) {
        return Arrays.stream(tokens.attentionMask()).flatMapToInt(Arrays::stream).anyMatch(m -> m == 0);
    }

    /** The mask as float32 [batch, pos]: 1 at real tokens, 0 at pads. */
    private static Tensor mask(TokenBatch tokens) {
        float[] flat = new float[tokens.batch() * tokens.length()];
        for (int b = 0; b < tokens.batch(); b++) {
            for (int p = 0; p < tokens.length(); p++) {
                flat[b * tokens.length() + p] = tokens.attentionMask()[b][p];
            }
        }
        return Tensor.of(flat, tokens.batch(), tokens.length());
    }

    private static void write(Path file, Tensor t) {
        try {
            Npy.write(file, t);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    /** logits minus each position's mean over the vocabulary. */
    private static Tensor centre(Tensor logits) {
        return logits.sub(logits.reduce(dev.jlens.tensor.backend.ReduceOp.MEAN, -1, true));
    }
}

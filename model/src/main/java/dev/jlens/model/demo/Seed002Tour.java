// Seed 002's induction patching in Java: clean AA against corrupted AB, BA, BB and BC, patching each head's
// output, query, key, value and pattern at all positions, scored by the log-probability of the repeated A.
package dev.jlens.model.demo;

import dev.jlens.hooks.ActivationCache;
import dev.jlens.model.HookedGpt2;
import dev.jlens.model.patching.PatchMetric;
import dev.jlens.model.patching.Patching;
import dev.jlens.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * The seed's "Induction Patching" and "Changing the Corrupted Baseline": A, B, C are random sequences; the clean
 * prompt is BOS A A; the metric is induction_loss (mean log-probability of A[1:] at the second repeat, higher is
 * better, not normalised); get_act_patch_attn_head_all_pos_every for each corrupted prompt.
 */
public final class Seed002Tour {
    /** The corrupted prompts, named by their two halves. */
    public static final String[] CORRUPTIONS = {"AB", "BA", "BB", "BC"};

    /**
     * What the tour computes.
     *
     * @param clean     the metric on the clean prompts
     * @param corrupted the metric on each corrupted prompt, by name
     * @param patched   [5 (output, query, key, value, pattern), n_layers, n_heads] for each corrupted prompt
     */
    public record Result(double clean, Map<String, Double> corrupted, Map<String, Tensor> patched) {}

    private Seed002Tour() {}

    /** Prints the tour's numbers for {@code [induction-2l | MODEL.pth CONFIG.json]} (see {@link TourModel}). */
    public static void main(String[] args) {
        TourModel m = TourModel.fromArgs(args);
        Result r = run(m.model(), m.bos(), 4, Math.min(20, (m.model().cfg().nCtx() - 1) / 2), 0); // the seed's
        System.out.println("clean AA: " + r.clean() + "; corrupted: " + r.corrupted());
        r.patched().forEach((name, t) -> System.out.println(name + ", patching [output, query, key, value, "
                + "pattern] x [layer, head]\n" + t));
    }

    /** Runs the tour on {@code batch} prompts of BOS ({@code bos}) and two random halves of {@code seqLen}. */
    public static Result run(HookedGpt2 model, int bos, int batch, int seqLen, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int vocab = model.cfg().dVocab();
        Map<Character, int[][]> halves = Map.of('A', SeedTokens.random(batch, seqLen, vocab, bos, random),
                'B', SeedTokens.random(batch, seqLen, vocab, bos, random),
                'C', SeedTokens.random(batch, seqLen, vocab, bos, random));
        int[][] a = halves.get('A');
        int[][] clean = SeedTokens.bosThen(bos, a, a);
        int[] read = IntStream.range(seqLen + 1, 2 * seqLen).toArray(); // the positions predicting A[1:]
        PatchMetric inductionLoss = PatchMetric.reading(read, logits -> logProbability(logits, a));
        Map<String, Double> baselines = new LinkedHashMap<>();
        Map<String, Tensor> patched = new LinkedHashMap<>();
        ActivationCache cleanCache = Patching.cleanCache(model, clean, clean); // every corruption has clean's shape
        for (String name : CORRUPTIONS) {
            int[][] corrupted = SeedTokens.bosThen(bos, halves.get(name.charAt(0)), halves.get(name.charAt(1)));
            baselines.put(name, (double) inductionLoss.apply(model.forward(corrupted).narrow(1, read[0], read.length)));
            patched.put(name, Patching.attnHeadAllPosEvery(model, corrupted, cleanCache, inductionLoss, true));
        }
        double cleanScore = inductionLoss.apply(model.forward(clean).narrow(1, read[0], read.length));
        return new Result(cleanScore, baselines, patched);
    }

    /** induction_loss: mean over b, j of log_softmax(logits[b, j])[a[b][j + 1]], logits [batch, seqLen - 1, vocab]. */
    private static float logProbability(Tensor logits, int[][] a) {
        Tensor logProbs = logits.logSoftmax(-1);
        double sum = 0;
        for (int b = 0; b < a.length; b++) {
            for (int j = 0; j + 1 < a[b].length; j++) {
                sum += logProbs.get(b, j, a[b][j + 1]);
            }
        }
        return (float) (sum / (a.length * (a[0].length - 1)));
    }
}

// Dataset patching: one activation-patching sweep per prompt pair, then the mean and standard error over pairs.
package dev.jlens.model.jobs;

import dev.jlens.model.HookedGpt2;
import dev.jlens.model.LogitMetric;
import dev.jlens.model.analysis.LogitMetrics;
import dev.jlens.model.jobs.PromptPairs.Pair;
import dev.jlens.model.patching.AttributionPatching;
import dev.jlens.model.patching.PatchMetric;
import dev.jlens.model.patching.PatchType;
import dev.jlens.model.patching.Patching;
import dev.jlens.tensor.Tensor;
import dev.jlens.tensor.io.Npy;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.DoubleUnaryOperator;

/**
 * For each pair of a JSONL ({"clean", "corrupted", "answers": [correct, incorrect]}): the IOI seed's metric, the
 * logit difference of the answers at the last position normalised to 0 = corrupted, 1 = clean, through the sweep
 * {@link PatchType#of of act} with the exact fast loop (or TL's naive loop, or attribution patching's first-order
 * estimates, {@link AttributionPatching}). Writes each pair's result to
 * {@code DIR/shards/shard-NNNNNN.npy} (the job's resumable unit; line order), and {@code DIR/mean.npy} and
 * {@code DIR/stderr.npy}: the elementwise mean over pairs and its standard error, sd / sqrt(n) with the n - 1
 * sample deviation (NaN for one pair). Pairs must give results of one shape (same token count for sweeps by
 * position).
 */
public final class DatasetPatching {
    /** Job kind in the manifest. */
    public static final String JOB = "dataset-patching";

    /**
     * Settings.
     *
     * @param act         resid_pre, resid_mid, attn_out, mlp_out, z, q, k, v or pattern
     * @param byPos       head sweeps by position instead of all positions at once
     * @param naive       TL's naive loop instead of the exact fast loop
     * @param attribution attribution patching's estimates instead of exact patching
     * @param overwrite   replace a folder holding another job's results
     */
    public record Options(String act, boolean byPos, boolean naive, boolean attribution, boolean overwrite)
            implements Serializable {
        /** Options of exact patching (fast or naive loop). */
        public Options(String act, boolean byPos, boolean naive, boolean overwrite) {
            this(act, byPos, naive, false, overwrite);
        }

        /** Refuses two loops at once. */
        public Options {
            if (naive && attribution) {
                throw new IllegalArgumentException("dataset patching: give --naive (exact, TL's loop) or "
                        + "--attribution (estimates), not both");
            }
        }
    }

    /**
     * Where the sweeps run: computes each pair (index i in the list) not done in the job folder, stores it with
     * {@link #saveResult} and marks i done. The local engine runs them in order on this thread; the Spark module's on
     * executors.
     */
    @FunctionalInterface
    public interface PairEngine {
        /** Sweeps the pairs of {@code pairs} not done in {@code dir}. */
        void runAll(List<Pair> pairs, Options o, JobDir dir);
    }

    /**
     * The outcome.
     *
     * @param type    the sweep
     * @param lines   the pairs' line numbers, in order
     * @param results per pair, the normalised sweep result (TL's axes)
     * @param mean    elementwise mean over pairs
     * @param stderr  elementwise standard error of the mean
     */
    public record Result(PatchType type, List<Integer> lines, List<Tensor> results, Tensor mean, Tensor stderr) {}

    private DatasetPatching() {}

    /** Runs the sweep for every pair of {@code pairsFile} into {@code out}, on this thread. */
    public static Result run(HookedGpt2 model, Path pairsFile, Options o, Path out) {
        return run(model, PromptPairs.read(pairsFile), pairsFile.toString(), o, out, (pairs, options, dir) -> {
            for (int i = 0; i < pairs.size(); i++) {
                if (!dir.isDone(i)) {
                    saveResult(dir, i, sweep(model, pairs.get(i), options));
                    dir.markDone(i);
                }
            }
        });
    }

    /**
     * Runs the sweep for every pair of {@code pairs} (named {@code name} in the manifest and messages) into {@code
     * out}, the sweeps on {@code engine}; the mean and standard error are computed here.
     */
    public static Result run(HookedGpt2 model, List<Pair> pairs, String name, Options o, Path out,
            PairEngine engine) {
        PatchType type = PatchType.of(o.act(), o.byPos());
        JobDir dir = JobDir.open(out, JOB, "model=" + model.cfg().modelName() + "\npairs=" + name + "\nsweep="
                + type + "\nnaive=" + o.naive() + (o.attribution() ? "\nattribution=true" : ""), o.overwrite());
        engine.runAll(pairs, o, dir);
        List<Tensor> results = new ArrayList<>();
        for (int i = 0; i < pairs.size(); i++) {
            results.add(load(dir.shardFile(i, ".npy")));
            if (!Arrays.equals(results.get(i).shape(), results.getFirst().shape())) {
                throw new IllegalArgumentException(name + " line " + pairs.get(i).line() + " gives a result of "
                        + "shape " + results.get(i).shapeString() + " but line " + pairs.getFirst().line() + " gives "
                        + results.getFirst().shapeString() + "; pairs of a sweep by position need one token count");
            }
        }
        Tensor[] ms = meanAndStderr(results);
        save(out.resolve("mean.npy"), ms[0]);
        save(out.resolve("stderr.npy"), ms[1]);
        return new Result(type, pairs.stream().map(Pair::line).toList(), results, ms[0], ms[1]);
    }

    /** One pair's normalised sweep with {@code o}'s settings; runs on any JVM holding the model. */
    public static Tensor sweep(HookedGpt2 model, Pair pair, Options o) {
        PatchType type = PatchType.of(o.act(), o.byPos());
        return o.attribution() ? attributionSweep(model, pair, type) : sweep(model, pair, type, !o.naive());
    }

    /** Stores pair {@code index}'s result in the job folder (atomically); the caller then marks it done. */
    public static void saveResult(JobDir dir, int index, Tensor result) {
        save(dir.shardFile(index, ".npy"), result);
    }

    /** One pair's normalised sweep. */
    static Tensor sweep(HookedGpt2 model, Pair pair, PatchType type, boolean fast) {
        Scored s = score(model, pair);
        DoubleUnaryOperator norm = s.normalised();
        PatchMetric metric = PatchMetric.reading(new int[] {-1},
                logits -> (float) norm.applyAsDouble(LogitMetrics.logitDiff(logits, s.answers())));
        return Patching.actPatch(model, s.clean(), s.corrupted(), metric, type, fast);
    }

    /** One pair's normalised sweep estimated by attribution patching. */
    static Tensor attributionSweep(HookedGpt2 model, Pair pair, PatchType type) {
        Scored s = score(model, pair);
        s.normalised(); // refuses equal baselines, naming the line
        LogitMetric metric = LogitMetric.normalised(LogitMetric.logitDiff(s.clean()[0].length - 1, s.answers()),
                s.cleanScore(), s.corruptedScore());
        return AttributionPatching.actPatch(model, s.clean(), s.corrupted(), metric, type);
    }

    /** A pair's tokens, answers [1][correct, incorrect] and the logit differences of its two unpatched runs. */
    private record Scored(Pair pair, int[][] clean, int[][] corrupted, int[][] answers, double cleanScore,
            double corruptedScore) {
        /** v -> (v - corrupted) / (clean - corrupted); equal baselines are refused, naming the line. */
        DoubleUnaryOperator normalised() {
            try {
                return LogitMetrics.normalized(cleanScore, corruptedScore);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("line " + pair.line() + ": " + e.getMessage(), e);
            }
        }
    }

    private static Scored score(HookedGpt2 model, Pair pair) {
        int[][] clean = model.toTokens(pair.clean());
        int[][] corrupted = model.toTokens(pair.corrupted());
        if (clean[0].length != corrupted[0].length) {
            throw new IllegalArgumentException("line " + pair.line() + ": the clean prompt has " + clean[0].length
                    + " tokens and the corrupted one " + corrupted[0].length + "; they must match");
        }
        int[][] answers = {{answer(model, pair, pair.correct()), answer(model, pair, pair.incorrect())}};
        return new Scored(pair, clean, corrupted, answers, LogitMetrics.logitDiff(model.forward(clean), answers),
                LogitMetrics.logitDiff(model.forward(corrupted), answers));
    }

    private static int answer(HookedGpt2 model, Pair pair, String text) {
        try {
            return model.toSingleToken(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("line " + pair.line() + ": answer '" + text + "': " + e.getMessage(),
                    e);
        }
    }

    /** [mean, stderr] elementwise over {@code results} (all one shape), in float64 then rounded to float32. */
    static Tensor[] meanAndStderr(List<Tensor> results) {
        int n = results.size();
        int numel = results.getFirst().numel();
        double[] sum = new double[numel];
        for (Tensor t : results) {
            float[] v = t.toArray();
            for (int i = 0; i < numel; i++) {
                sum[i] += v[i];
            }
        }
        float[] mean = new float[numel];
        double[] sq = new double[numel];
        for (int i = 0; i < numel; i++) {
            mean[i] = (float) (sum[i] / n);
        }
        for (Tensor t : results) {
            float[] v = t.toArray();
            for (int i = 0; i < numel; i++) {
                double d = v[i] - sum[i] / n;
                sq[i] += d * d;
            }
        }
        float[] se = new float[numel];
        for (int i = 0; i < numel; i++) {
            se[i] = n < 2 ? Float.NaN : (float) Math.sqrt(sq[i] / (n - 1) / n);
        }
        int[] shape = results.getFirst().shape();
        return new Tensor[] {Tensor.of(mean, shape), Tensor.of(se, shape)};
    }

    private static void save(Path file, Tensor t) {
        AtomicFiles.write(file, tmp -> Npy.write(tmp, t));
    }

    private static Tensor load(Path file) {
        try {
            return Npy.read(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }
}

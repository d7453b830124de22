// Per-feature running statistics of activations: count, sum, max, fraction active and a log2 histogram.
package dev.jlens.model.jobs;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Arrays;

/**
 * Statistics of each feature over the positions seen. The histogram has {@value #BINS} bins on a signed log2
 * scale: bin {@value #ZERO_BIN} holds |v| &lt; 2^-10; bin 17 + e holds positive v with floor(log2 v) = e - 10 (e from 0
 * to 15, the last open-ended: v >= 32), and bin 15 - e the negative mirror. Sums are doubles accumulated in
 * position order, and shards are merged in shard order, so the same shards give the same bits.
 */
public final class FeatureStats {
    /** Histogram bins per feature. */
    public static final int BINS = 33;
    /** The bin of values near zero (|v| &lt; 2^-10). */
    public static final int ZERO_BIN = 16;
    private static final int MIN_EXP = -10;
    private static final int MAX_EXP = 5;

    private final int features;
    private long count;            // positions seen (the same for every feature)
    private final double[] sum;    // [features]
    private final float[] max;     // [features]
    private final long[] active;   // [features] values > 0
    private final long[] hist;     // [features, BINS]

    /** Empty statistics of {@code features} features. */
    public FeatureStats(int features) {
        this.features = features;
        this.sum = new double[features];
        this.max = new float[features];
        Arrays.fill(max, Float.NEGATIVE_INFINITY);
        this.active = new long[features];
        this.hist = new long[Math.multiplyExact(features, BINS)];
    }

    /** The bin of {@code v} (see the class comment). */
    public static int bin(float v) {
        float a = Math.abs(v);
        if (a < 0x1p-10f) {
            return ZERO_BIN;
        }
        int e = Math.clamp(Math.getExponent(a), MIN_EXP, MAX_EXP) - MIN_EXP;
        return v > 0 ? ZERO_BIN + 1 + e : ZERO_BIN - 1 - e;
    }

    /** The lower edge of positive bin {@code ZERO_BIN + 1 + e}, 2^(e - 10); negative bins mirror it. */
    public static float binEdge(int e) {
        return Math.scalb(1f, e + MIN_EXP);
    }

    /** Adds one position: {@code values[offset + f]} is feature f's activation. */
    public void add(float[] values, int offset) {
        count++;
        for (int f = 0; f < features; f++) {
            float v = values[offset + f];
            sum[f] += v;
            if (v > max[f] || Float.isNaN(v)) {
                max[f] = v;
            }
            if (v > 0) {
                active[f]++;
            }
            hist[f * BINS + bin(v)]++;
        }
    }

    /** Adds {@code other}'s positions (same features). */
    public void merge(FeatureStats other) {
        if (other.features != features) {
            throw new IllegalArgumentException("cannot merge statistics of " + other.features + " features into "
                    + features);
        }
        count += other.count;
        for (int f = 0; f < features; f++) {
            sum[f] += other.sum[f];
            max[f] = Float.isNaN(max[f]) || Float.compare(max[f], other.max[f]) >= 0 ? max[f] : other.max[f];
            active[f] += other.active[f];
        }
        for (int i = 0; i < hist.length; i++) {
            hist[i] += other.hist[i];
        }
    }

    /** Positions seen. */
    public long count() {
        return count;
    }

    /** Mean activation of {@code f}. */
    public double mean(int f) {
        return sum[f] / count;
    }

    /** Largest activation of {@code f}. */
    public float max(int f) {
        return max[f];
    }

    /** Fraction of positions where {@code f} is above zero. */
    public double fracActive(int f) {
        return (double) active[f] / count;
    }

    /** The histogram of {@code f}: {@value #BINS} counts (see the class comment). */
    public long[] histogram(int f) {
        return Arrays.copyOfRange(hist, f * BINS, (f + 1) * BINS);
    }

    void write(DataOutputStream out) throws IOException {
        out.writeInt(features);
        out.writeLong(count);
        for (int f = 0; f < features; f++) {
            out.writeDouble(sum[f]);
            out.writeFloat(max[f]);
            out.writeLong(active[f]);
        }
        for (long h : hist) {
            out.writeLong(h);
        }
    }

    static FeatureStats read(DataInputStream in) throws IOException {
        FeatureStats s = new FeatureStats(in.readInt());
        s.count = in.readLong();
        for (int f = 0; f < s.features; f++) {
            s.sum[f] = in.readDouble();
            s.max[f] = in.readFloat();
            s.active[f] = in.readLong();
        }
        for (int i = 0; i < s.hist.length; i++) {
            s.hist[i] = in.readLong();
        }
        return s;
    }
}

// The k best (value, context, pos) of each feature: one bounded min-heap per feature in flat arrays.
package dev.jlens.model.jobs;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/**
 * Exact top-k per feature under a total order, so any split of the work merges to the same result: a larger value
 * wins (as {@link Float#compare}: NaN above everything, 0.0 above -0.0); on equal values the smaller context, then
 * the smaller position. Memory: features x k entries, whatever the corpus length. Not thread-safe.
 */
public final class TopK {
    private final int features;
    private final int k;
    private final float[] value;  // [features, k] heap slots; slot 0 of a feature holds its worst kept entry
    private final int[] context;  // [features, k]
    private final int[] pos;      // [features, k]
    private final int[] size;     // [features]

    /** An empty top-k for {@code features} features keeping {@code k} entries each. */
    public TopK(int features, int k) {
        if (k < 1) {
            throw new IllegalArgumentException("k must be at least 1, got " + k);
        }
        this.features = features;
        this.k = k;
        this.value = new float[Math.multiplyExact(features, k)];
        this.context = new int[features * k];
        this.pos = new int[features * k];
        this.size = new int[features];
    }

    /** Number of features. */
    public int features() {
        return features;
    }

    /** Entries kept per feature at most. */
    public int k() {
        return k;
    }

    /** True when (v1, c1, p1) ranks above (v2, c2, p2). */
    static boolean better(float v1, int c1, int p1, float v2, int c2, int p2) {
        int byValue = Float.compare(v1, v2);
        if (byValue != 0) {
            return byValue > 0;
        }
        return c1 != c2 ? c1 < c2 : p1 < p2;
    }

    /** Offers one activation of {@code feature}; kept if it ranks among the k best so far. */
    public void offer(int feature, float v, int c, int p) {
        int base = feature * k;
        int n = size[feature];
        if (n < k) {
            int i = n;
            size[feature] = n + 1;
            while (i > 0) { // sift up: the worst entry rises to slot 0
                int parent = (i - 1) / 2;
                if (!better(value[base + parent], context[base + parent], pos[base + parent], v, c, p)) {
                    break;
                }
                move(base, parent, i);
                i = parent;
            }
            put(base, i, v, c, p);
        } else if (Float.compare(v, value[base]) >= 0 && better(v, c, p, value[base], context[base], pos[base])) {
            siftDown(base, v, c, p);
        }
    }

    private void siftDown(int base, float v, int c, int p) {
        int i = 0;
        while (true) {
            int child = 2 * i + 1;
            if (child >= k) {
                break;
            }
            int right = child + 1;
            if (right < k && better(value[base + child], context[base + child], pos[base + child],
                    value[base + right], context[base + right], pos[base + right])) {
                child = right; // the worse child
            }
            if (!better(v, c, p, value[base + child], context[base + child], pos[base + child])) {
                break;
            }
            move(base, child, i);
            i = child;
        }
        put(base, i, v, c, p);
    }

    private void move(int base, int from, int to) {
        put(base, to, value[base + from], context[base + from], pos[base + from]);
    }

    private void put(int base, int slot, float v, int c, int p) {
        value[base + slot] = v;
        context[base + slot] = c;
        pos[base + slot] = p;
    }

    /** Adds every entry of {@code other} (same features and k); the result is the top-k of both. */
    public void merge(TopK other) {
        if (other.features != features || other.k != k) {
            throw new IllegalArgumentException("cannot merge top-" + other.k + " of " + other.features
                    + " features into top-" + k + " of " + features);
        }
        for (int f = 0; f < features; f++) {
            int base = f * k;
            for (int i = 0; i < other.size[f]; i++) {
                offer(f, other.value[base + i], other.context[base + i], other.pos[base + i]);
            }
        }
    }

    /** The entries of {@code feature}, best first. */
    public Entry[] sorted(int feature) {
        int base = feature * k;
        Entry[] out = new Entry[size[feature]];
        for (int i = 0; i < out.length; i++) {
            out[i] = new Entry(value[base + i], context[base + i], pos[base + i]);
        }
        java.util.Arrays.sort(out, (a, b) -> better(a.value, a.context, a.pos, b.value, b.context, b.pos) ? -1
                : better(b.value, b.context, b.pos, a.value, a.context, a.pos) ? 1 : 0);
        return out;
    }

    /** One kept activation: its value and its address (context, position). */
    public record Entry(float value, int context, int pos) {}

    void write(DataOutputStream out) throws IOException {
        out.writeInt(features);
        out.writeInt(k);
        for (int f = 0; f < features; f++) {
            out.writeInt(size[f]);
            for (int i = f * k; i < f * k + size[f]; i++) {
                out.writeFloat(value[i]);
                out.writeInt(context[i]);
                out.writeInt(pos[i]);
            }
        }
    }

    static TopK read(DataInputStream in) throws IOException {
        TopK t = new TopK(in.readInt(), in.readInt());
        for (int f = 0; f < t.features; f++) {
            int n = in.readInt();
            for (int i = 0; i < n; i++) {
                t.offer(f, in.readFloat(), in.readInt(), in.readInt());
            }
        }
        return t;
    }
}

// TopK against a full sort, with ties, and merges of any split equal to one pass.
package dev.jlens.model.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TopKTest {
    @Test // values from a small set force ties on value (then context, then pos decide)
    void keepsTheKBestUnderTheTotalOrderAndMergesExactly() {
        Random rnd = new Random(7);
        int features = 5;
        int k = 7;
        List<List<TopK.Entry>> offered = new ArrayList<>();
        for (int f = 0; f < features; f++) {
            offered.add(new ArrayList<>());
        }
        TopK whole = new TopK(features, k);
        TopK[] parts = {new TopK(features, k), new TopK(features, k), new TopK(features, k)};
        for (int i = 0; i < 3000; i++) {
            int f = rnd.nextInt(features);
            float v = (rnd.nextInt(9) - 4) * 0.5f;
            TopK.Entry e = new TopK.Entry(i % 97 == 0 ? Float.NaN : v, rnd.nextInt(50), rnd.nextInt(20));
            offered.get(f).add(e);
            whole.offer(f, e.value(), e.context(), e.pos());
            parts[rnd.nextInt(3)].offer(f, e.value(), e.context(), e.pos());
        }
        TopK merged = new TopK(features, k);
        for (TopK p : parts) {
            merged.merge(p);
        }
        Comparator<TopK.Entry> order = Comparator.comparing(TopK.Entry::value, (a, b) -> Float.compare(b, a))
                .thenComparingInt(TopK.Entry::context).thenComparingInt(TopK.Entry::pos);
        for (int f = 0; f < features; f++) {
            List<TopK.Entry> exact = offered.get(f).stream().sorted(order).limit(k).toList();
            assertEquals(exact, List.of(whole.sorted(f)), "feature " + f);
            assertEquals(exact, List.of(merged.sorted(f)), "feature " + f + " merged from three parts");
        }
    }

    @Test
    void keepsFewerWhenFewerAreOffered() {
        TopK t = new TopK(2, 4);
        t.offer(1, 3f, 0, 0);
        t.offer(1, 5f, 0, 1);
        assertEquals(List.of(new TopK.Entry(5f, 0, 1), new TopK.Entry(3f, 0, 0)), List.of(t.sorted(1)));
        assertEquals(0, t.sorted(0).length);
    }
}

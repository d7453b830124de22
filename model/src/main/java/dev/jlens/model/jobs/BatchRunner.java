// Runs one batch of contexts with hooks that copy each feature source's values out, stopping where none is left.
package dev.jlens.model.jobs;

import dev.jlens.hooks.FwdHook;
import dev.jlens.model.HookedGpt2;
import dev.jlens.model.ReturnType;
import dev.jlens.model.RunOptions;
import dev.jlens.model.dataset.Context;
import java.util.ArrayList;
import java.util.List;

/**
 * A hooked forward over a batch of contexts that returns, per source, the feature values [batch * ctx_len,
 * features]. Run-scoped hooks, so any number of threads share the model. No logits are computed, and the pass stops
 * after the last block a hook reads (TL's stop_at_layer), which changes no hooked value.
 */
final class BatchRunner {
    private final HookedGpt2 model;
    private final List<FeatureSource> sources;
    private final Integer stopAt; // null: a hook sits after the blocks

    BatchRunner(HookedGpt2 model, List<FeatureSource> sources) {
        for (FeatureSource s : sources) {
            s.check(model);
        }
        this.model = model;
        this.sources = List.copyOf(sources);
        int last = -1;
        boolean outside = false;
        for (FeatureSource s : sources) {
            if (s.hook().startsWith("blocks.")) {
                last = Math.max(last, model.hookPoint(s.hook()).layer());
            } else {
                outside |= !s.hook().startsWith("hook_");
            }
        }
        this.stopAt = outside || last + 1 >= model.cfg().nLayers() ? null : last + 1;
    }

    List<FeatureSource> sources() {
        return sources;
    }

    /**
     * One source's values for a batch.
     *
     * @param values [batch * ctx_len, features], row-major
     * @param shape  the activation's shape, [batch, ctx_len, ...] (before any matrix)
     */
    record Captured(float[] values, int[] shape) {}

    /** Feature values per source for {@code batch} (contexts of equal length): [batch * ctx_len, features]. */
    float[][] run(List<Context> batch) {
        Captured[] captured = capture(batch);
        float[][] values = new float[captured.length][];
        for (int i = 0; i < captured.length; i++) {
            values[i] = captured[i].values();
        }
        return values;
    }

    /** The values and activation shapes of every source for {@code batch}. */
    Captured[] capture(List<Context> batch) {
        int[][] tokens = new int[batch.size()][];
        int[][] mask = new int[batch.size()][];
        boolean padded = false;
        for (int b = 0; b < tokens.length; b++) {
            Context c = batch.get(b);
            tokens[b] = c.tokens();
            mask[b] = new int[c.tokens().length];
            java.util.Arrays.fill(mask[b], 0, c.length(), 1);
            padded |= c.length() < c.tokens().length;
        }
        Captured[] values = new Captured[sources.size()];
        List<FwdHook> hooks = new ArrayList<>();
        for (int i = 0; i < sources.size(); i++) {
            int at = i;
            FeatureSource s = sources.get(i);
            hooks.add(FwdHook.of(s.hook(), (act, hook) -> {
                values[at] = new Captured(s.values(act), act.shape());
                return null;
            }));
        }
        RunOptions options = RunOptions.defaults().returning(ReturnType.NONE).withAttentionMask(padded ? mask : null);
        model.runWithHooks(tokens, hooks, stopAt == null ? options : options.stoppingAt(stopAt));
        return values;
    }
}

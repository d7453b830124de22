// An identity point in the forward pass where hooks observe or replace an activation (TL hook_points.HookPoint).
package dev.jlens.hooks;

import dev.jlens.tensor.Shape;
import dev.jlens.tensor.Tensor;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A named activation site. With no hooks, {@link #forward} returns its input untouched and allocates nothing.
 * Hooks come from two places: persistent hooks ({@link #addHook}, the registry's addHook / addPermaHook), which
 * belong to the model and apply to every run on every thread, and the hooks of the calling thread's open run scopes
 * ({@code runWithHooks}, {@code runWithCache}, {@code model.hooks(...)}), which apply to that thread's runs only.
 * Persistent hooks run first, then the scopes' from the outermost; each sees what the previous returned, and a
 * replacement must keep the activation's shape. Safe to share between threads: adding or removing a persistent hook
 * while other threads run is allowed, and a run in progress sees it from the next hook point it reaches.
 *
 * <p>Backward hooks ({@link HookDir#BWD}) are persistent too and run in every gradient run: each sees the gradient
 * arriving at the hook point, persistent ones first, then the run's own, and the last one that returns a tensor
 * decides what flows on to the ops before it (PyTorch full backward hooks, which TransformerLens uses: every hook
 * of a module gets the same grad_output, the last non-None return wins). They never touch a forward without a
 * gradient.
 */
public final class HookPoint {
    /** One persistent hook. */
    private record Entry(HookFn fn, boolean permanent) {}

    private final List<Entry> hooks = new CopyOnWriteArrayList<>(); // persistent: model-wide
    private final List<Entry> bwdHooks = new CopyOnWriteArrayList<>(); // persistent backward hooks: model-wide
    private String name = "<unnamed hook point>";

    /** A hook point without hooks, unnamed until a registry names it. */
    public HookPoint() {}

    /** The dotted TransformerLens name, e.g. {@code blocks.3.attn.hook_pattern}; set by the registry. */
    public String name() {
        return name;
    }

    void setName(String name) {
        this.name = name;
    }

    /** The block index in {@code blocks.{L}.…}; throws for hook points outside a block. */
    public int layer() {
        String[] parts = name.split("\\.");
        if (parts.length < 2 || !parts[0].equals("blocks")) {
            throw new IllegalStateException("hook point " + name + " is not inside a block, so it has no layer");
        }
        return Integer.parseInt(parts[1]);
    }

    /** True when a run on this thread would call a hook here (a persistent hook, or one of its open scopes). */
    public boolean hasHooks() {
        if (!hooks.isEmpty()) {
            return true;
        }
        RunHooks run = RunHooks.current();
        return run != null && run.hooks(this);
    }

    /** Runs the hooks on {@code activation}; returns what the next op must consume. */
    public Tensor forward(Tensor activation) {
        RunHooks run = RunHooks.current();
        boolean scoped = run != null && run.hooks(this);
        if (hooks.isEmpty() && !scoped) {
            return activation;
        }
        Tensor current = activation;
        for (Entry e : hooks) { // a snapshot: concurrent adds and removes do not disturb this loop
            current = apply(e.fn(), current);
        }
        if (scoped) {
            for (HookFn fn : run.on(this)) {
                current = apply(fn, current);
            }
        }
        return current;
    }

    /** True when a persistent backward hook is attached here (a gradient run then marks this hook point). */
    public boolean hasBackwardHooks() {
        return !bwdHooks.isEmpty();
    }

    /**
     * Runs the persistent backward hooks, then {@code runHooks}, each on {@code arriving} (d metric / d activation
     * here); returns the last replacement (same shape), or null when every hook only observed.
     */
    public Tensor backward(Tensor arriving, List<HookFn> runHooks) {
        Tensor last = null;
        for (Entry e : bwdHooks) { // a snapshot, as in forward
            last = checked("backward hook", e.fn().apply(arriving, this), arriving, "gradient", last);
        }
        for (HookFn fn : runHooks) {
            last = checked("backward hook", fn.apply(arriving, this), arriving, "gradient", last);
        }
        return last;
    }

    private Tensor apply(HookFn fn, Tensor current) {
        return checked("hook", fn.apply(current, this), current, "activation", current);
    }

    /** {@code returned} when it is a replacement of {@code seen}'s shape, {@code otherwise} when it is null. */
    private Tensor checked(String kind, Tensor returned, Tensor seen, String what, Tensor otherwise) {
        if (returned == null) {
            return otherwise;
        }
        if (!Arrays.equals(returned.shape(), seen.shape())) {
            throw new IllegalStateException(kind + " on " + name + " returned shape " + Shape.str(returned.shape())
                    + " but the " + what + " has shape " + Shape.str(seen.shape())
                    + "; return null to observe or a tensor of the same shape to replace");
        }
        return returned;
    }

    /** Adds a persistent, temporary hook (removed by {@code resetHooks}); close the handle to remove it alone. */
    public HookHandle addHook(HookFn fn) {
        return add(fn, false, HookDir.FWD);
    }

    /** Adds a persistent, temporary hook for pass {@code dir} (TL add_hook(hook, dir)), removed like those. */
    public HookHandle addHook(HookFn fn, HookDir dir) {
        return add(fn, false, dir);
    }

    /** Adds a persistent hook for pass {@code dir}: permanent ones survive {@code resetHooks(false)}. */
    HookHandle add(HookFn fn, boolean permanent, HookDir dir) {
        if (fn == null) {
            throw new IllegalArgumentException("hook function for " + name + " is null");
        }
        List<Entry> list = dir == HookDir.BWD ? bwdHooks : hooks;
        Entry e = new Entry(fn, permanent);
        list.add(e);
        return () -> list.removeIf(x -> x == e);
    }

    /** Removes the persistent non-permanent hooks of both passes, or all of them when {@code includingPermanent}. */
    public void removeHooks(boolean includingPermanent) {
        hooks.removeIf(e -> includingPermanent || !e.permanent());
        bwdHooks.removeIf(e -> includingPermanent || !e.permanent());
    }

    @Override
    public String toString() {
        return "HookPoint(" + name + ", " + hooks.size() + " persistent hooks, " + bwdHooks.size() + " backward)";
    }
}

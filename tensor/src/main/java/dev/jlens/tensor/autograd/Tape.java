// The record of one run for reverse-mode gradients: ops on marked activations, replayed backwards (PyTorch autograd).
package dev.jlens.tensor.autograd;

import dev.jlens.tensor.Shape;
import dev.jlens.tensor.Tensor;
import dev.jlens.tensor.backend.Backend;
import dev.jlens.tensor.backend.Backends;
import dev.jlens.tensor.storage.Storage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * One run's tape. Run the forward with {@link #recorder()} current ({@code Backends.use}); {@link #mark} names the
 * activations gradients are wanted for (hook points) and makes ops that read them, and ops that read those ops'
 * outputs, be recorded; every other op (weights, masks) runs unrecorded. {@link #backward} then replays the
 * record in reverse from a scalar output. Only what the backward reads is kept: each recorded op's inputs and
 * output. Used by one thread; good for one backward.
 */
public final class Tape {
    private final Backend backend;
    private final Recorder recorder;
    private final Set<Storage> tracked = Collections.newSetFromMap(new IdentityHashMap<>()); // depend on a mark
    private final Set<Storage> read = Collections.newSetFromMap(new IdentityHashMap<>());    // read by a record
    private final List<Step> steps = new ArrayList<>();
    private final Set<String> marked = new LinkedHashSet<>();
    private GradientSink sink;
    private boolean replaying;
    private boolean used;

    /** A tape recording ops that run on {@code backend}. */
    public Tape(Backend backend) {
        this.backend = backend;
        this.recorder = new Recorder(backend, this);
    }

    /** The backend to make current while the recorded forward runs: {@code backend} plus the recording. */
    public Backend recorder() {
        return recorder;
    }

    /** Names {@code activation} {@code name}: its gradient is reported at {@link #backward}, and ops on it recorded. */
    public void mark(String name, Tensor activation) {
        marked.add(name);
        tracked.add(activation.storage());
        int[] shape = activation.shape();
        steps.add(grads -> {
            Tensor g = grads.of(activation);
            Tensor seen = g == null ? Tensor.zeros(shape) : g.copy();
            Tensor replaced = sink.at(name, seen);
            if (replaced != null) {
                if (!Arrays.equals(replaced.shape(), shape)) {
                    throw new IllegalStateException("backward hook on " + name + " returned shape "
                            + Shape.str(replaced.shape()) + " but the gradient has shape " + Shape.str(shape)
                            + "; return null to observe or a tensor of the same shape to replace");
                }
                grads.zero(activation);
                grads.add(activation, replaced);
            }
        });
    }

    /** True when an activation was marked {@code name} during the recorded forward. */
    public boolean marked(String name) {
        return marked.contains(name);
    }

    /**
     * Replays the record from {@code output} (one element; d output / d output = 1), calling {@code sink} at every
     * mark, latest first. An output that depends on no mark gives zero gradients everywhere.
     */
    public void backward(Tensor output, GradientSink gradientSink) {
        if (output.numel() != 1) {
            throw new IllegalArgumentException("backward needs a scalar output (one element), got shape "
                    + Shape.str(output.shape()) + "; reduce it first (e.g. mean or sum)");
        }
        if (used) {
            throw new IllegalStateException("this tape was already replayed; record a new run for another backward");
        }
        used = true;
        replaying = true;
        sink = gradientSink;
        try (Backends.Scope on = Backends.use(backend)) {
            Grads grads = new Grads();
            if (tracked(output)) {
                grads.add(output, Tensor.full(1f, output.shape()));
            }
            for (int i = steps.size() - 1; i >= 0; i--) {
                steps.get(i).run(grads);
            }
        } finally {
            steps.clear();
            tracked.clear();
            read.clear();
        }
    }

    /** True when t's elements depend on a marked activation. */
    boolean tracked(Tensor t) {
        return tracked.contains(t.storage());
    }

    /** True while ops are to be recorded: not during the backward's own ops. */
    boolean recording() {
        return !replaying;
    }

    /**
     * Records an op that made {@code out} from {@code inputs}: at replay, {@code backward} gets d output / d out
     * (when any reached it) and adds its inputs' gradients.
     */
    void recordOp(Tensor out, BiConsumer<Tensor, Grads> backward, Tensor... inputs) {
        for (Tensor t : inputs) {
            read.add(t.storage());
        }
        tracked.add(out.storage());
        steps.add(grads -> {
            Tensor g = grads.of(out);
            if (g != null) {
                backward.accept(g, grads);
                grads.drop(out.storage());
            }
        });
    }

    /** Refuses an in-place write into a tensor a recorded op has read (its backward may need the old values). */
    void checkWrite(Tensor dst) {
        if (read.contains(dst.storage())) {
            throw new IllegalStateException("an in-place write (copyFrom / fill) into a tensor " + dst.shapeString()
                    + " that a recorded op already read would make the gradients wrong; write into a copy, or"
                    + " return a replacement from the hook");
        }
    }

    /** Records an in-place write (checked by {@link #checkWrite}) into a tensor whose gradient matters. */
    void recordWrite(Step step) {
        steps.add(step);
    }

    /** Marks dst as depending on a mark (a copy from a tracked tensor). */
    void track(Tensor dst) {
        tracked.add(dst.storage());
    }
}

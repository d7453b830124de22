// Hooks that belong to runs on one thread (runWithHooks, runWithCache, with-model.hooks scopes), not to the model.
package dev.jlens.hooks;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * One scope's hooks by hook point, chained to the scope it was opened in. The open scopes of a thread form a stack
 * ({@link #current}); a forward pass runs on its caller's thread (kernel worker threads never run hooks), so a run
 * sees exactly the hooks its caller opened, and another thread's run of the same model sees none of them. Immutable
 * once built.
 */
final class RunHooks {
    private static final ThreadLocal<RunHooks> CURRENT = new ThreadLocal<>();

    private final RunHooks parent; // the scope this one was opened in, or null
    private final Map<HookPoint, List<HookFn>> byPoint;
    private final Thread owner = Thread.currentThread();

    private RunHooks(RunHooks parent, Map<HookPoint, List<HookFn>> byPoint) {
        this.parent = parent;
        this.byPoint = byPoint;
    }

    /** The innermost open scope of this thread, or null. */
    static RunHooks current() {
        return CURRENT.get();
    }

    /** Opens a scope on this thread holding {@code fns} (hook point -> hooks in order); close it to end it. */
    static HookHandle open(Map<HookPoint, List<HookFn>> fns) {
        RunHooks scope = new RunHooks(CURRENT.get(), new IdentityHashMap<>(fns));
        CURRENT.set(scope);
        return scope::close;
    }

    private void close() {
        if (Thread.currentThread() != owner) {
            throw new IllegalStateException("a hook scope must be closed on the thread that opened it ("
                    + owner.getName() + "), not on " + Thread.currentThread().getName());
        }
        RunHooks top = CURRENT.get();
        if (top == this) {
            restore(parent);
        } else if (top != null && top.encloses(this)) { // closed before a scope opened inside it: drop both
            restore(parent);
        }
    }

    private static void restore(RunHooks scope) {
        if (scope == null) {
            CURRENT.remove();
        } else {
            CURRENT.set(scope);
        }
    }

    private boolean encloses(RunHooks inner) {
        for (RunHooks s = this; s != null; s = s.parent) {
            if (s == inner) {
                return true;
            }
        }
        return false;
    }

    /** True when this scope or an enclosing one hooks {@code point}. */
    boolean hooks(HookPoint point) {
        for (RunHooks s = this; s != null; s = s.parent) {
            if (s.byPoint.containsKey(point)) {
                return true;
            }
        }
        return false;
    }

    /** The hooks on {@code point}, outermost scope first, each scope's in registration order. */
    List<HookFn> on(HookPoint point) {
        List<HookFn> out = new ArrayList<>();
        collect(this, point, out);
        return out;
    }

    private static void collect(RunHooks s, HookPoint point, List<HookFn> out) {
        if (s == null) {
            return;
        }
        collect(s.parent, point, out);
        List<HookFn> fns = s.byPoint.get(point);
        if (fns != null) {
            out.addAll(fns);
        }
    }
}

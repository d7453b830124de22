// TL's HookedRootModule: names every HookPoint of a component tree, attaches and removes hooks, caches acts.
package dev.jlens.hooks;

import dev.jlens.tensor.Tensor;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The hook points of one model, by full name in registration order, and the hook management of TransformerLens'
 * HookedRootModule: persistent hooks ({@link #addHook} until {@link #resetHooks}, {@link #addPermaHook}), which are
 * model-wide, and {@link #hooks}, a scope whose hooks apply to the runs of the thread that opened it until it closes
 * (even when the forward pass threw), so threads sharing the model never see each other's hooks. Unknown names are
 * errors that suggest the nearest real names.
 */
public final class HookRegistry {
    private final Map<String, HookPoint> hookDict;

    private HookRegistry(Map<String, HookPoint> hookDict) {
        this.hookDict = Collections.unmodifiableMap(hookDict);
    }

    /** Walks {@code root}'s fields (TL setup()), naming each HookPoint by its dotted snake_case path. */
    public static HookRegistry setup(HookedModule root) {
        Map<String, HookPoint> found = new LinkedHashMap<>();
        walk(root, "", found, Collections.newSetFromMap(new IdentityHashMap<>()));
        return new HookRegistry(found);
    }

    /** Every hook point by full name, in the order the walk met them. */
    public Map<String, HookPoint> hookDict() {
        return hookDict;
    }

    /** The hook point called {@code name}; unknown names throw with the nearest known names. */
    public HookPoint hookPoint(String name) {
        HookPoint hp = hookDict.get(name);
        if (hp == null) {
            throw new IllegalArgumentException("no hook point named '" + name + "'; nearest: "
                    + Suggest.nearest(name, hookDict.keySet(), 3));
        }
        return hp;
    }

    /** Adds a temporary hook at one hook point; it stays until {@link #resetHooks} or the handle is closed. */
    public HookHandle addHook(String name, HookFn fn) {
        return addHook(name, fn, HookDir.FWD);
    }

    /** Adds a temporary hook at every hook point whose name passes {@code filter}. */
    public HookHandle addHook(NameFilter filter, HookFn fn) {
        return addHook(filter, fn, HookDir.FWD);
    }

    /** Adds a temporary hook for pass {@code dir} at one hook point (TL add_hook(name, hook, dir)). */
    public HookHandle addHook(String name, HookFn fn, HookDir dir) {
        return hookPoint(name).add(fn, false, dir);
    }

    /** Adds a temporary hook for pass {@code dir} at every hook point whose name passes {@code filter}. */
    public HookHandle addHook(NameFilter filter, HookFn fn, HookDir dir) {
        List<HookHandle> handles = matching(filter).stream().map(hp -> hp.add(fn, false, dir)).toList();
        return () -> handles.forEach(HookHandle::close);
    }

    /** Adds a permanent hook: it survives {@code resetHooks(false)}. */
    public HookHandle addPermaHook(String name, HookFn fn) {
        return addPermaHook(name, fn, HookDir.FWD);
    }

    /** Adds a permanent hook for pass {@code dir} (TL add_perma_hook(name, hook, dir)). */
    public HookHandle addPermaHook(String name, HookFn fn, HookDir dir) {
        return hookPoint(name).add(fn, true, dir);
    }

    /** Removes every temporary hook of both passes, and the permanent ones too when {@code includingPermanent}. */
    public void resetHooks(boolean includingPermanent) {
        hookDict.values().forEach(hp -> hp.removeHooks(includingPermanent));
    }

    /**
     * Attaches {@code fwdHooks} to this thread's runs of the model for the life of the returned scope (TL's
     * {@code with model.hooks(...)}); closing it, on the same thread, removes exactly these hooks, even after an
     * exception. Scopes nest. Other threads' runs do not see them. Every name is checked before anything attaches.
     */
    public HookHandle hooks(List<FwdHook> fwdHooks) {
        Map<HookPoint, List<HookFn>> byPoint = new IdentityHashMap<>();
        for (FwdHook h : fwdHooks) {
            for (HookPoint hp : h.name() != null ? List.of(hookPoint(h.name())) : matching(h.filter())) {
                byPoint.computeIfAbsent(hp, k -> new ArrayList<>()).add(h.fn());
            }
        }
        return RunHooks.open(byPoint);
    }

    /**
     * A scope that stores the activation of every hook point passing {@code filter} into {@code sink}, keyed by
     * full name in firing order; {@code removeBatchDim} stores element 0 of a batch of one.
     */
    public HookHandle caching(NameFilter filter, Map<String, Tensor> sink, boolean removeBatchDim) {
        return hooks(List.of(FwdHook.of(filter, (act, hook) -> {
            sink.put(hook.name(), removeBatchDim ? ActivationCache.dropBatch(hook.name(), act) : act);
            return null;
        })));
    }

    private List<HookPoint> matching(NameFilter filter) {
        return hookDict.values().stream().filter(hp -> filter.test(hp.name())).toList();
    }

    private static void walk(Object module, String prefix, Map<String, HookPoint> out, java.util.Set<Object> seen) {
        if (!seen.add(module)) {
            throw new IllegalStateException("component " + module.getClass().getSimpleName() + " at '" + prefix
                    + "' is reachable twice in the module tree");
        }
        for (Field f : fields(module.getClass())) {
            Object value = read(f, module);
            String path = prefix + snakeCase(f.getName());
            if (value instanceof HookPoint hp) {
                if (!seen.add(hp)) {
                    throw new IllegalStateException("hook point " + hp.name() + " is also reachable as " + path);
                }
                hp.setName(path);
                out.put(path, hp);
            } else if (value instanceof HookedModule child) {
                walk(child, path + ".", out, seen);
            } else if (value instanceof List<?> list) {
                for (int i = 0; i < list.size(); i++) {
                    if (list.get(i) instanceof HookedModule child) {
                        walk(child, path + "." + i + ".", out, seen);
                    }
                }
            }
        }
    }

    /** Instance fields, superclass fields first, each in declaration order. */
    private static List<Field> fields(Class<?> type) {
        List<Field> out = new ArrayList<>();
        if (type.getSuperclass() != null && type.getSuperclass() != Object.class) {
            out.addAll(fields(type.getSuperclass()));
        }
        for (Field f : type.getDeclaredFields()) {
            if (!Modifier.isStatic(f.getModifiers()) && !f.isSynthetic()) {
                out.add(f);
            }
        }
        return out;
    }

    private static Object read(Field f, Object owner) {
        try {
            f.setAccessible(true);
            return f.get(owner);
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IllegalStateException("cannot read field " + f + " while naming hook points: " + e, e);
        }
    }

    /** hookResidPre -> hook_resid_pre, lnFinal -> ln_final, ln1 -> ln1, hookQInput -> hook_q_input. */
    static String snakeCase(String camel) {
        StringBuilder s = new StringBuilder();
        for (char c : camel.toCharArray()) {
            if (Character.isUpperCase(c)) {
                if (!s.isEmpty()) {
                    s.append('_');
                }
                s.append(Character.toLowerCase(c));
            } else {
                s.append(c);
            }
        }
        return s.toString();
    }
}

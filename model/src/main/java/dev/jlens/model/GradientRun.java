// One forward recorded on a Tape, a scalar metric of its logits, and the backward: TL's metric(logits).backward()
// with bwd hooks and run_with_cache(incl_bwd=True).
package dev.jlens.model;

import dev.jlens.hooks.ActivationCache;
import dev.jlens.hooks.FwdHook;
import dev.jlens.hooks.HookFn;
import dev.jlens.hooks.HookHandle;
import dev.jlens.hooks.HookPoint;
import dev.jlens.hooks.NameFilter;
import dev.jlens.model.config.Gpt2Config;
import dev.jlens.tensor.Tensor;
import dev.jlens.tensor.autograd.Tape;
import dev.jlens.tensor.backend.Backends;
import dev.jlens.tensor.storage.DeviceStorage;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs the forward with a {@link Tape} current, marking hook_embed and hook_pos_embed (the inputs) and every hook
 * point whose gradient is kept or backward-hooked; the forward hooks given run first, so a mark sees what the next
 * op consumes. Marked hook points always fire, so a wanted hook_pattern or ln hook takes the unfused path, as in
 * TransformerLens. Then d metric / d activation flows back through every op; backward hooks see, and may replace,
 * the gradient arriving at their hook point, latest hook point first. Runs with nothing marked pay nothing.
 */
public final class GradientRun {
    private GradientRun() {}

    /**
     * d metric(logits) / d activation for every hook passing {@code keep}; every name in {@code required} must be
     * reached by the run (else the error says why); {@code fwdHooks} apply to the forward, {@code bwdHooks}
     * (TL's bwd_hooks: a null return observes, a tensor of the same shape replaces) to the backward after the
     * model's persistent backward hooks ({@link HookPoint#backward}: each sees the gradient arriving at its hook
     * point, the last replacement flows on). A kept gradient is the one arriving at its hook point, before any
     * hook there replaced it (TL's incl_bwd cache hook gets grad_output, whatever other hooks return).
     */
    public static Gradients run(HookedGpt2 model, int[][] tokens, RunOptions options, LogitMetric metric,
            NameFilter keep, List<String> required, List<FwdHook> fwdHooks, List<FwdHook> bwdHooks) {
        required.forEach(model::hookPoint); // unknown names fail here, with suggestions
        checkHost(model);
        Tape tape = new Tape(model.backend());
        List<FwdHook> hooks = new ArrayList<>(fwdHooks);
        hooks.add(FwdHook.of(name -> isInput(name) || keep.test(name) || hooked(model, bwdHooks, name), (act, hook) -> {
            tape.mark(hook.name(), act);
            return null;
        }));
        ModelOutput out;
        Tensor value;
        try (Backends.Scope on = Backends.use(tape.recorder()); HookHandle scope = model.hooks(hooks)) {
            out = model.forward(tokens, options);
            Tensor result = out.logits() != null ? out.logits() : out.residual();
            if (result == null) {
                throw new IllegalArgumentException("a gradient run differentiates a metric of the logits, but this"
                        + " run returns none (return type " + options.returnType() + ")");
            }
            value = metric.apply(result);
        }
        for (String name : required) {
            if (!tape.marked(name)) {
                throw new IllegalArgumentException("no gradient for " + name + ": " + whyNotReached(model.cfg(),
                        name, options));
            }
        }
        Map<String, Tensor> grads = new LinkedHashMap<>();
        tape.backward(value, (name, arriving) -> {
            if (keep.test(name)) {
                grads.merge(name, arriving, Tensor::add);
            }
            List<HookFn> runHooks = bwdHooks.stream().filter(h -> h.filter().test(name)).map(FwdHook::fn).toList();
            return model.hookPoint(name).backward(arriving, runHooks);
        });
        return new Gradients(out, value.item(), grads);
    }

    /**
     * TL's run_with_cache(incl_bwd=True) with {@code metric} as the scalar: the activations passing {@code names}
     * under their names and their gradients under name + "_grad", as TransformerLens' cache keys them.
     */
    public static CachedRun withCache(HookedGpt2 model, int[][] tokens, NameFilter names, boolean removeBatchDim,
            RunOptions options, LogitMetric metric) {
        Map<String, Tensor> acts = new LinkedHashMap<>();
        FwdHook cache = FwdHook.of(names, (act, hook) -> {
            acts.put(hook.name(), act);
            return null;
        });
        Gradients g = run(model, tokens, options, metric, names, List.of(), List.of(cache), List.of());
        g.gradients().forEach((name, grad) -> acts.put(name + "_grad", grad));
        ActivationCache all = new ActivationCache(acts, model.cfg().nLayers(), true);
        return new CachedRun(g.output(), removeBatchDim ? all.removeBatchDim() : all);
    }

    private static boolean isInput(String name) {
        return name.equals("hook_embed") || name.equals("hook_pos_embed");
    }

    /** True when a persistent backward hook of the model or one of the run's is on hook {@code name}. */
    private static boolean hooked(HookedGpt2 model, List<FwdHook> hooks, String name) {
        return model.hookPoint(name).hasBackwardHooks() || hooks.stream().anyMatch(h -> h.filter().test(name));
    }

    private static void checkHost(HookedGpt2 model) {
        if (model.backend().zeros(1).storage() instanceof DeviceStorage) {
            throw new UnsupportedOperationException("gradients are not yet implemented on the " + model.backend()
                    .name() + " backend; run the gradient on a CPU copy of the model (model.to(cpu backend))");
        }
    }

    /** Why a run with {@code o} never reached hook {@code name}. */
    static String whyNotReached(Gpt2Config cfg, String name, RunOptions o) {
        if (name.startsWith("blocks.")) {
            int layer = Integer.parseInt(name.split("\\.")[1]);
            Integer stop = o.stopAtLayer();
            int end = stop == null ? cfg.nLayers() : stop < 0 ? cfg.nLayers() + stop : stop;
            if (layer >= end) {
                return "the run stops before block " + layer + " (stop_at_layer " + stop + ")";
            }
            if (layer < o.startAtLayer()) {
                return "the run starts at block " + o.startAtLayer() + " (start_at_layer), after it";
            }
        } else if (isInput(name) && o.startAtLayer() > 0) {
            return "the run starts at block " + o.startAtLayer() + " from a given residual, so no embedding runs";
        }
        String flag = name.endsWith("attn.hook_result") ? "use_attn_result"
                : name.endsWith("hook_attn_in") ? "use_attn_in"
                : name.matches(".*hook_[qkv]_input") ? "use_split_qkv_input"
                : name.endsWith("hook_mlp_in") ? "use_hook_mlp_in" : null;
        return flag != null ? "it is an optional hook point and this model's config has " + flag + " off"
                : "the forward did not pass through it";
    }
}

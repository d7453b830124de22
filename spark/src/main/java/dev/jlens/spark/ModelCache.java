// One model per executor JVM, loaded on first use and shared by every task thread of that JVM.
package dev.jlens.spark;

import dev.jlens.model.HookedGpt2;
import dev.jlens.model.pretrained.Pretrained;
import dev.jlens.model.weights.ProcessingOptions;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The per-JVM model singleton: keyed by name and processing, loaded by the first task that asks (others wait) from
 * the built-in models, a folder every node can read, or the Hugging Face cache. HookedGpt2 is thread-safe with
 * run-scoped hooks, so concurrent tasks share it.
 */
final class ModelCache {
    private static final Map<String, HookedGpt2> MODELS = new ConcurrentHashMap<>();

    private ModelCache() {}

    /** The model {@code name}, loaded once per JVM. */
    static HookedGpt2 get(String name, boolean noProcessing) {
        return MODELS.computeIfAbsent(key(name, noProcessing), k -> Pretrained.load(name,
                noProcessing ? ProcessingOptions.none() : ProcessingOptions.defaults(), System.getenv()));
    }

    /** Registers an already loaded model (the driver's, which local-mode executors then share). */
    static void put(String name, boolean noProcessing, HookedGpt2 model) {
        MODELS.putIfAbsent(key(name, noProcessing), model);
    }

    private static String key(String name, boolean noProcessing) {
        return name + (noProcessing ? " (no processing)" : "");
    }
}

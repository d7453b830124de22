// run_with_cache's pair: the output and the activation cache.
package dev.jlens.model;

import dev.jlens.hooks.ActivationCache;

/**
 * The result of {@code runWithCache}: the forward's output and the activations it cached.
 *
 * @param output what the forward returned
 * @param cache  the activations the names filter kept
 */
public record CachedRun(ModelOutput output, ActivationCache cache) {}

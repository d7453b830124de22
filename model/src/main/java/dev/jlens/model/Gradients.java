// The result of a gradient run: the forward's output, the metric, and d metric / d activation by hook name.
package dev.jlens.model;

import dev.jlens.hooks.Suggest;
import dev.jlens.tensor.Tensor;
import java.util.Map;

/**
 * A gradient run's result: the forward's output, the metric's value and the gradients it asked for.
 *
 * @param output    what the forward returned
 * @param metric    the metric's value
 * @param gradients d metric / d activation by full hook name, each in the activation's TL shape; an activation
 *                  that fired more than once in the run (ln1's hooks feed q, k and v) holds the sum, its total
 *                  derivative
 */
public record Gradients(ModelOutput output, float metric, Map<String, Tensor> gradients) {
    /** The gradient at hook {@code name}; unknown names suggest the nearest kept ones. */
    public Tensor get(String name) {
        Tensor g = gradients.get(name);
        if (g == null) {
            throw new IllegalArgumentException("no gradient kept for '" + name + "'; kept: "
                    + Suggest.nearest(name, gradients.keySet(), 3));
        }
        return g;
    }
}

/**
 * Runnable mirrors of the seed notebooks on the built-in models, which the README's tour quotes and a test runs,
 * so that the tour cannot rot. May import: every {@code dev.jlens.model} package except cli, hooks, tensor.
 */
package dev.jlens.model.demo;

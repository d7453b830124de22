/**
 * The corpus jobs on Apache Spark (optional module {@code jlens-spark}): top-activations, activation export and
 * dataset patching, their shards (or prompt pairs) run as Spark tasks; each executor JVM loads the model once and
 * shares it between its task threads, and the driver stores the tasks' results in order, so the outputs are the
 * local engine's (plus {@code top.parquet}). May import: the model module's public API, Spark, the JDK. Nothing in the
 * core modules may import this package.
 */
package dev.jlens.spark;

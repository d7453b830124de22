/**
 * The corpus jobs on Apache Spark (optional module {@code jlens-spark}): the top-activations job's shards run as Spark
 * tasks, each executor JVM loads the model once and shares it between its task threads, and the driver merges the
 * shards in order into the same outputs as the local engine, plus {@code top.parquet}. May import: the model module's
 * public API, Spark, the JDK. Nothing in the core modules may import this package.
 */
package dev.jlens.spark;

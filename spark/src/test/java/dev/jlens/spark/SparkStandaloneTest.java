// A real Spark standalone cluster on loopback: a master and two workers as separate JVMs; the job equals local.
package dev.jlens.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jlens.model.HookedGpt2;
import dev.jlens.model.builtin.BuiltinModels;
import dev.jlens.model.dataset.Corpus;
import dev.jlens.model.jobs.ActivationExport;
import dev.jlens.model.jobs.FeatureSource;
import dev.jlens.model.jobs.TopActivations;
import dev.jlens.tensor.Tensor;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Starts {@code org.apache.spark.deploy.master.Master} and two {@code Worker}s (one core each) as child JVMs on
 * 127.0.0.1, submits the top-activations job from this JVM as the driver (its executors are JVMs the workers
 * launch, loading induction-2l themselves), and compares top.jsonl (with a matrix that reaches the executors as a
 * broadcast) and exported safetensors shards with the local engine's, byte for byte. The
 * executors get this JVM's classpath (Spark and jlens) and jlens' two JVM flags.
 */
class SparkStandaloneTest {
    private static final String FLAGS = "--add-modules=jdk.incubator.vector --enable-native-access=ALL-UNNAMED";

    @TempDir
    Path dir;

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private Process start(String name, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-modules=jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED", "-Xmx512m", "-cp",
                System.getProperty("java.class.path")));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve(name + ".log")
                .toFile());
        Map<String, String> env = pb.environment();
        env.put("SPARK_HOME", dir.toString());     // workers build executor commands from here
        env.put("SPARK_TESTING", "1");             // ...without requiring $SPARK_HOME/jars
        env.put("SPARK_SCALA_VERSION", "2.13");
        env.put("JAVA_HOME", System.getProperty("java.home"));
        return pb.start();
    }

    @Test
    void aMasterAndTwoWorkersGiveTheLocalEnginesBytes() throws Exception {
        HookedGpt2 model = BuiltinModels.load("induction-2l");
        Path corpus = Path.of("../model/src/test/resources/corpora/fortunes-wisdom.jsonl");
        SparkJob job = new SparkJob("induction-2l", false, List.of("blocks.1.attn.hook_z"), 4, 64, false, 4, 32, 3, 2,
                false);
        int port = freePort();
        String master = "spark://127.0.0.1:" + port;
        List<Process> cluster = new ArrayList<>();
        SparkSession spark = null;
        try {
            cluster.add(start("master", "org.apache.spark.deploy.master.Master", "--host", "127.0.0.1", "--port",
                    Integer.toString(port), "--webui-port", Integer.toString(freePort())));
            for (int w = 0; w < 2; w++) {
                cluster.add(start("worker" + w, "org.apache.spark.deploy.worker.Worker", "--host", "127.0.0.1",
                        "--cores", "1", "--memory", "1g", "--webui-port", Integer.toString(freePort()),
                        "--work-dir", dir.resolve("work" + w).toString(), master));
            }
            spark = SparkSession.builder().master(master).appName("jlens-standalone-test")
                    .config("spark.ui.enabled", "false").config("spark.driver.host", "127.0.0.1")
                    .config("spark.executor.memory", "768m").config("spark.cores.max", "2")
                    .config("spark.executor.extraClassPath", System.getProperty("java.class.path"))
                    .config("spark.executor.extraJavaOptions", FLAGS).getOrCreate();
            float[] w = new float[model.cfg().dModel() * 2];
            for (int i = 0; i < w.length; i++) {
                w[i] = (float) Math.sin(i);
            }
            List<FeatureSource> probe = List.of(FeatureSource.projected("blocks.0.hook_resid_post",
                    Tensor.of(w, model.cfg().dModel(), 2), "probe"));
            TopActivations.run(model, new Corpus(corpus, "text", false), job.options(probe), dir.resolve("local"));
            SparkTopActivations.run(spark, model, job, probe, new Corpus(corpus, "text", false),
                    dir.resolve("cluster"), 4);
            assertArrayEquals(Files.readAllBytes(dir.resolve("local/top.jsonl")),
                    Files.readAllBytes(dir.resolve("cluster/top.jsonl")), "top-activations with a broadcast matrix");
            ActivationExport.Options export = new ActivationExport.Options(List.of("blocks.1.attn.hook_z"), 64, false,
                    new int[] {-1}, 4, 32, 1, false);
            ActivationExport.run(model, new Corpus(corpus, "text", false), export, dir.resolve("local-export"));
            SparkActivationExport.run(spark, model, "induction-2l", false, export, new Corpus(corpus, "text", false),
                    dir.resolve("cluster-export"), 4);
            for (String f : List.of("export.json", "shards/shard-000000.safetensors",
                    "shards/shard-000008.safetensors")) {
                assertArrayEquals(Files.readAllBytes(dir.resolve("local-export").resolve(f)),
                        Files.readAllBytes(dir.resolve("cluster-export").resolve(f)), f);
            }
            assertEquals(2, spark.sparkContext().getExecutorMemoryStatus().size() - 1, "two executors besides the "
                    + "driver");
        } finally {
            if (spark != null) {
                spark.stop();
            }
            for (Process p : cluster) {
                p.destroy();
                p.waitFor(10, TimeUnit.SECONDS);
                p.destroyForcibly();
            }
        }
    }
}

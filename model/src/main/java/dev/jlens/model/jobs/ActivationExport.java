// The activation-export job: chosen hooks' activations over a corpus, with token ids, to sharded safetensors.
package dev.jlens.model.jobs;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.jlens.model.HookedGpt2;
import dev.jlens.model.dataset.Context;
import dev.jlens.model.dataset.ContextStream;
import dev.jlens.model.dataset.DocumentSource;
import dev.jlens.model.dataset.TokenProgress;
import dev.jlens.model.weights.SafeTensorsFile;
import dev.jlens.model.weights.SafeTensorsWriter;
import dev.jlens.tensor.Tensor;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * Streams activations to {@code DIR/shards/shard-NNNNNN.safetensors}, one file per shard of contexts, readable by
 * Python's safetensors or plain numpy. Each file holds {@code tokens} [n, ctx_len] and {@code length} [n] (the real
 * tokens of each context), both float32 (token ids are exact below 2^24), and one float32 tensor per hook named as
 * the hook, [n, positions, ...] (the activation's trailing dims); its metadata gives {@code first_context} (the file
 * holds contexts first_context .. first_context + n - 1). {@code DIR/export.json} lists the files, the hooks'
 * shapes and the settings. Resumable as every job here: a rerun skips finished shards. Options are serializable, so
 * another engine (the Spark module) can ship them with the shards.
 */
public final class ActivationExport {
    /** Job kind in the manifest. */
    public static final String JOB = "activation-export";
    private static final JsonFactory JSON = new JsonFactory();
    private static final String SUFFIX = ".safetensors";

    /**
     * Settings of one export.
     *
     * @param hooks         full hook names
     * @param ctxLen        tokens per context (BOS included)
     * @param padded        one padded context per document instead of TL's concatenation
     * @param positions     the positions to keep (negative counts from ctx_len), or null for all
     * @param batch         contexts per forward pass
     * @param shardContexts contexts per file (a multiple of batch)
     * @param threads       worker threads
     * @param overwrite     replace a folder holding another job's results
     */
    public record Options(List<String> hooks, int ctxLen, boolean padded, int[] positions, int batch,
            int shardContexts, int threads, boolean overwrite) implements Serializable {
        /** Checks the settings and resolves negative positions. */
        public Options {
            hooks = List.copyOf(hooks);
            if (hooks.isEmpty()) {
                throw new IllegalArgumentException("name at least one hook (--hooks)");
            }
            if (batch < 1 || shardContexts < batch || shardContexts % batch != 0) {
                throw new IllegalArgumentException("shard size " + shardContexts + " must be a multiple of the batch "
                        + batch);
            }
            if (positions != null) {
                positions = positions.clone();
                for (int i = 0; i < positions.length; i++) {
                    int p = positions[i] < 0 ? positions[i] + ctxLen : positions[i];
                    if (p < 0 || p >= ctxLen) {
                        throw new IllegalArgumentException("position " + positions[i] + " is outside a context of "
                                + ctxLen + " tokens");
                    }
                    positions[i] = p;
                }
            }
        }

        String describe(HookedGpt2 model, DocumentSource corpus) {
            return "model=" + model.cfg().modelName() + "\ncorpus=" + corpus.describe() + "\nhooks="
                    + String.join(",", hooks) + "\nctx_len=" + ctxLen
                    + "\npadded=" + padded + "\npositions=" + Arrays.toString(positions) + "\nbatch=" + batch
                    + "\nshard=" + shardContexts;
        }
    }

    /**
     * What an export wrote.
     *
     * @param dir      the output folder
     * @param contexts contexts exported
     * @param shards   safetensors files
     * @param resumed  shards found done from an earlier run
     */
    public record Result(Path dir, int contexts, int shards, int resumed) {}

    private ActivationExport() {}

    /** The embedded engine: o.threads() worker threads sharing {@code model}, each writing its shards' files. */
    public static ShardEngine<Options> local(HookedGpt2 model) {
        return (contexts, o, dir) -> {
            BatchRunner runner = runner(model, o);
            try (TokenProgress progress = TokenProgress.auto(JOB)) {
                return LocalEngine.run(contexts, o.shardContexts(), o.threads(), dir, (shard, list) ->
                        AtomicFiles.write(dir.shardFile(shard, SUFFIX), shardWriter(runner, o, list)::write),
                        progress);
            }
        };
    }

    /** Runs the export into {@code out} on the local engine (see the class comment). */
    public static Result run(HookedGpt2 model, DocumentSource corpus, Options o, Path out) {
        return run(model, corpus, o, out, local(model));
    }

    /**
     * Runs the export into {@code out}, the shards on {@code engine} (which stores each with {@link #saveShard});
     * the index is written here.
     */
    public static Result run(HookedGpt2 model, DocumentSource corpus, Options o, Path out,
            ShardEngine<Options> engine) {
        runner(model, o); // checks the hook names before the folder is touched
        JobDir dir = JobDir.open(out, JOB, o.describe(model, corpus), o.overwrite());
        int resumed = dir.doneCount();
        int[][] trailing = new int[o.hooks().size()][];
        ContextStream contexts = o.padded() ? ContextStream.padded(corpus, model.tokenizer(), o.ctxLen())
                : ContextStream.concatenated(corpus, model.tokenizer(), o.ctxLen());
        int shards;
        try (contexts) {
            shards = engine.runAll(contexts, o, dir);
        }
        if (shards == 0) {
            throw new IllegalArgumentException("corpus " + corpus.describe() + " holds no context of " + o.ctxLen()
                    + " tokens (" + contexts.documents() + " documents, " + contexts.tokens() + " tokens)");
        }
        try (SafeTensorsFile first = SafeTensorsFile.open(dir.shardFile(0, SUFFIX))) {
            for (int h = 0; h < trailing.length; h++) {
                int[] shape = first.entry(o.hooks().get(h)).shape();
                trailing[h] = Arrays.copyOfRange(shape, 2, shape.length);
            }
        }
        writeIndex(out.resolve("export.json"), model, o, contexts.contexts(), shards, trailing, dir);
        return new Result(out, contexts.contexts(), shards, resumed);
    }

    /**
     * One shard's safetensors file as bytes (what {@link #saveShard} stores). Runs on any JVM holding the model;
     * batches of o.batch() contexts in order, so the bytes do not depend on where it runs.
     */
    public static byte[] exportShard(HookedGpt2 model, Options o, List<Context> shard) {
        try {
            Path tmp = Files.createTempFile("jlens-export", SUFFIX);
            try {
                shardWriter(runner(model, o), o, shard).write(tmp);
                return Files.readAllBytes(tmp);
            } finally {
                Files.delete(tmp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot stage an export shard in the temporary folder: " + e.getMessage(),
                    e);
        }
    }

    /** Stores shard {@code shard}'s file in the job folder (atomically); the caller then marks it done. */
    public static void saveShard(JobDir dir, int shard, byte[] file) {
        AtomicFiles.write(dir.shardFile(shard, SUFFIX), tmp -> Files.write(tmp, file));
    }

    private static BatchRunner runner(HookedGpt2 model, Options o) {
        return new BatchRunner(model, o.hooks().stream().map(FeatureSource::units).toList());
    }

    /** The safetensors content of one shard: tokens, lengths and each hook's activations at the kept positions. */
    private static SafeTensorsWriter shardWriter(BatchRunner runner, Options o, List<Context> shard) {
        int n = shard.size();
        int kept = o.positions() == null ? o.ctxLen() : o.positions().length;
        float[] tokens = new float[n * o.ctxLen()];  // [n, ctx_len]
        float[] lengths = new float[n];              // [n]
        float[][] acts = new float[o.hooks().size()][];
        int[][] shapes = new int[o.hooks().size()][];
        for (int from = 0; from < n; from += o.batch()) {
            List<Context> batch = shard.subList(from, Math.min(n, from + o.batch()));
            BatchRunner.Captured[] captured = runner.capture(batch);
            for (int h = 0; h < captured.length; h++) {
                int width = captured[h].values().length / (batch.size() * o.ctxLen()); // elements per position
                if (acts[h] == null) {
                    acts[h] = new float[n * kept * width];
                    int[] s = captured[h].shape();
                    shapes[h] = new int[s.length];
                    System.arraycopy(s, 0, shapes[h], 0, s.length);
                    shapes[h][0] = n;
                    shapes[h][1] = kept;
                }
                for (int b = 0; b < batch.size(); b++) {
                    for (int i = 0; i < kept; i++) {
                        int p = o.positions() == null ? i : o.positions()[i];
                        System.arraycopy(captured[h].values(), (b * o.ctxLen() + p) * width, acts[h],
                                ((from + b) * kept + i) * width, width);
                    }
                }
            }
            for (int b = 0; b < batch.size(); b++) {
                Context c = batch.get(b);
                for (int p = 0; p < o.ctxLen(); p++) {
                    tokens[(from + b) * o.ctxLen() + p] = c.tokens()[p];
                }
                lengths[from + b] = c.length();
            }
        }
        SafeTensorsWriter w = new SafeTensorsWriter().metadata("format", "np")
                .metadata("first_context", Integer.toString(shard.getFirst().index()))
                .add("tokens", Tensor.of(tokens, n, o.ctxLen())).add("length", Tensor.of(lengths, n));
        for (int h = 0; h < acts.length; h++) {
            w.add(o.hooks().get(h), Tensor.of(acts[h], shapes[h]));
        }
        return w;
    }

    private static void writeIndex(Path file, HookedGpt2 model, Options o, int contexts, int shards, int[][] trailing,
            JobDir dir) {
        try (JsonGenerator g = JSON.createGenerator(file.toFile(), JsonEncoding.UTF8).useDefaultPrettyPrinter()) {
            g.writeStartObject();
            g.writeStringField("job", JOB);
            g.writeStringField("model", model.cfg().modelName());
            g.writeNumberField("ctx_len", o.ctxLen());
            g.writeBooleanField("padded", o.padded());
            g.writeFieldName("positions");
            if (o.positions() == null) {
                g.writeNull();
            } else {
                g.writeArray(o.positions(), 0, o.positions().length);
            }
            g.writeNumberField("contexts", contexts);
            g.writeStringField("dtype", "F32");
            g.writeObjectFieldStart("hooks");
            for (int h = 0; h < trailing.length; h++) {
                g.writeFieldName(o.hooks().get(h));
                g.writeArray(trailing[h], 0, trailing[h].length);
            }
            g.writeEndObject();
            g.writeArrayFieldStart("shards");
            for (int s = 0; s < shards; s++) {
                g.writeStartObject();
                g.writeStringField("file", dir.dir().relativize(dir.shardFile(s, SUFFIX)).toString());
                g.writeNumberField("first_context", s * o.shardContexts());
                g.writeNumberField("contexts", Math.min(o.shardContexts(), contexts - s * o.shardContexts()));
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }
}

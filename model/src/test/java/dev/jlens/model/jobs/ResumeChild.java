// A separate JVM for the resume test: runs the top-activations job that the test kills part-way through.
package dev.jlens.model.jobs;

import dev.jlens.model.builtin.BuiltinModels;
import dev.jlens.model.dataset.Corpus;
import java.nio.file.Path;

/** {@code main(corpus, out)} runs {@link TopActivationsTest#resumableOptions()} on induction-2l. */
public final class ResumeChild {
    private ResumeChild() {}

    /** Runs the job; args: corpus file, output folder. */
    public static void main(String[] args) {
        TopActivations.run(BuiltinModels.load("induction-2l"), Corpus.of(Path.of(args[0])),
                TopActivationsTest.resumableOptions(), Path.of(args[1]));
    }
}

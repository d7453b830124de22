// GPT-2 encode speed as CPU time of the encoding thread, which a busy shared machine disturbs less than wall time:
// the same 64 KiB of seeded text as benchmarks' TokenizerBenchmark (text=prose), 300 warm-up encodes, then the
// minimum and median CPU ms of 200 timed encodes. For an A/B of two builds, alternate their jars, e.g.
//   for r in 1 2 3; do for j in /tmp/old.jar model/target/jlens.jar; do
//     $JAVA_HOME/bin/java -cp $j scripts/reference/tokenizers/EncodeCpuTime.java $j; done; done
import dev.jlens.model.tokenizer.Gpt2Tokenizer;
import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.SplittableRandom;

public class EncodeCpuTime {
    private static final String[] WORDS = {"the", " the", " of", " and", " to", " in", " is", " tokenizer", " John",
        " Mary", "'s", "'ll", " 2024", " 3.14", ",", ".", "\n", "\n\n", "  ", " model", " attention", " head",
        " Hello", " world", "!", " (", ")", " induction", " layer", " residual", " stream", " don't", " we've"};

    public static void main(String[] args) {
        Gpt2Tokenizer tok = Gpt2Tokenizer.gpt2();
        SplittableRandom rnd = new SplittableRandom(7);
        StringBuilder sb = new StringBuilder(1 << 16);
        while (sb.length() < (1 << 16)) {
            sb.append(WORDS[rnd.nextInt(WORDS.length)]);
        }
        String text = sb.toString();
        var bean = ManagementFactory.getThreadMXBean();
        long sink = 0;
        for (int i = 0; i < 300; i++) {
            sink += tok.encode(text).length;
        }
        double[] ms = new double[200];
        for (int i = 0; i < ms.length; i++) {
            long t0 = bean.getCurrentThreadCpuTime();
            sink += tok.encode(text).length;
            ms[i] = (bean.getCurrentThreadCpuTime() - t0) / 1e6;
        }
        Arrays.sort(ms);
        System.out.printf("%s: min %.3f  median %.3f CPU ms per 64 KiB encode (%d)%n", args.length > 0 ? args[0] : "",
                ms[0], ms[ms.length / 2], sink % 10);
    }
}

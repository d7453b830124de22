// Job inputs from Spark DataFrames: a string column as a corpus, rows of prompt pairs as a patching dataset.
package dev.jlens.spark;

import dev.jlens.model.dataset.DocumentReader;
import dev.jlens.model.dataset.DocumentSource;
import dev.jlens.model.jobs.PromptPairs.Pair;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/** Reads DataFrames on the driver, in the frame's order, for the jobs of this module. */
public final class SparkCorpus {
    private SparkCorpus() {}

    /**
     * The table at {@code path} read by Spark: Parquet when the path (a file or a folder of parts) ends in
     * {@code .parquet}, JSON lines otherwise.
     */
    public static Dataset<Row> read(SparkSession spark, String path) {
        return path.endsWith(".parquet") ? spark.read().parquet(path) : spark.read().json(path);
    }

    /**
     * The documents of a string column of {@code frame}, in the frame's order, streamed to the driver one partition
     * at a time ({@code toLocalIterator}), a null as an empty document; {@code name} tells corpora apart in the job
     * manifest.
     */
    public static DocumentSource column(Dataset<Row> frame, String column, String name) {
        Dataset<Row> docs = frame.select(column);
        return new DocumentSource() {
            @Override
            public DocumentReader open() {
                Iterator<Row> rows = docs.toLocalIterator();
                return DocumentReader.of(new Iterator<>() {
                    @Override
                    public boolean hasNext() {
                        return rows.hasNext();
                    }

                    @Override
                    public String next() {
                        Row r = rows.next();
                        return r.isNullAt(0) ? "" : r.getString(0);
                    }
                });
            }

            @Override
            public String describe() {
                return name + " (column " + column + ")";
            }
        };
    }

    /**
     * The prompt pairs of {@code frame}'s columns clean, corrupted (strings) and answers (an array of two strings),
     * row r numbered r + 1; a missing column, a null or an answers array not of two is an error naming the row.
     */
    static List<Pair> pairs(Dataset<Row> frame, String name) {
        List<Pair> pairs = new ArrayList<>();
        int line = 0;
        for (Iterator<Row> rows = frame.select("clean", "corrupted", "answers").toLocalIterator(); rows.hasNext(); ) {
            Row r = rows.next();
            line++;
            List<Object> answers = r.isNullAt(2) ? List.of() : r.getList(2);
            if (r.isNullAt(0) || r.isNullAt(1) || answers.size() != 2) {
                throw new IllegalArgumentException(name + " row " + line + ": needs clean, corrupted and answers "
                        + "[correct, incorrect]");
            }
            pairs.add(new Pair(line, r.getString(0), r.getString(1), String.valueOf(answers.get(0)),
                    String.valueOf(answers.get(1))));
        }
        if (pairs.isEmpty()) {
            throw new IllegalArgumentException("prompt pairs " + name + " hold no pair");
        }
        return pairs;
    }
}

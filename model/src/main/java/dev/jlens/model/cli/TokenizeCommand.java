// ./jlens tokenize: the ids and string tokens of a text, as a table or as JSON, with a model's tokenizer or a
// tokenizer.json on its own.
package dev.jlens.model.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.jlens.model.tokenizer.Gpt2Tokenizer;
import java.io.IOException;
import java.io.PrintStream;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

/** Prints the token ids of a text (BOS prepended when asked) with each token's string. */
final class TokenizeCommand {
    private TokenizeCommand() {}

    /** The tokenizer of --tokenizer F; refuses --model beside it and a path that is not a file. */
    static Gpt2Tokenizer file(String path, boolean modelToo) {
        if (modelToo) {
            throw new IllegalArgumentException("tokenize: give --model or --tokenizer, not both");
        }
        Path file = Path.of(path);
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("tokenize: --tokenizer " + path + " is not a file");
        }
        return Gpt2Tokenizer.fromTokenizerJson(file);
    }

    static int run(Gpt2Tokenizer tokenizer, String text, boolean prependBos, boolean json, PrintStream out) {
        int[] body = tokenizer.encode(text);
        int[] ids = new int[body.length + (prependBos ? 1 : 0)];
        if (prependBos) {
            ids[0] = tokenizer.bosTokenId();
        }
        System.arraycopy(body, 0, ids, prependBos ? 1 : 0, body.length);
        if (json) {
            out.println(json(tokenizer, ids));
            return 0;
        }
        out.printf("%d tokens%n", ids.length);
        for (int i = 0; i < ids.length; i++) {
            out.printf("%4d  %6d  '%s'%n", i, ids[i], tokenizer.tokenString(ids[i]).replace("\n", "\\n"));
        }
        return 0;
    }

    private static String json(Gpt2Tokenizer tokenizer, int[] ids) {
        StringWriter w = new StringWriter();
        try (JsonGenerator g = new JsonFactory().createGenerator(w)) {
            g.writeStartObject();
            g.writeArrayFieldStart("ids");
            for (int id : ids) {
                g.writeNumber(id);
            }
            g.writeEndArray();
            g.writeArrayFieldStart("str_tokens");
            for (int id : ids) {
                g.writeString(tokenizer.tokenString(id));
            }
            g.writeEndArray();
            g.writeEndObject();
        } catch (IOException e) {
            throw new IllegalStateException("writing JSON to a string failed", e);
        }
        return w.toString();
    }
}

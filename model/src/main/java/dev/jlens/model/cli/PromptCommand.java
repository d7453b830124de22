// ./jlens prompt: TL's test_prompt printout for a prompt and its expected answer.
package dev.jlens.model.cli;

import dev.jlens.model.HookedGpt2;
import dev.jlens.model.analysis.TestPrompt;
import dev.jlens.model.plot.BarChart;
import dev.jlens.model.plot.Labels;
import java.io.PrintStream;
import java.util.List;

/**
 * Prints what {@code utils.test_prompt(prompt, answer, model, top_k=K)} prints: the tokenized prompt and answer,
 * the answer's rank, logit and probability at each answer position, the top-K tokens, and the ranks. Several
 * --answer flags compare their first tokens, as TL does with a list of answers. With a plot folder it draws the
 * top-K next-token probabilities after the prompt as bars, the answer's rank in the title.
 */
final class PromptCommand {
    private PromptCommand() {}

    static int run(HookedGpt2 model, String prompt, List<String> answers, int topK, boolean prependBos,
            boolean prependSpace, PlotDir plots, PrintStream out) {
        TestPrompt.Result result = TestPrompt.run(model, prompt, answers,
                new TestPrompt.Options(prependSpace, prependBos, topK, true), out);
        if (plots != null && topK > 0) {
            TestPrompt.Step first = result.steps().getFirst(); // the prediction right after the prompt
            List<String> tokens = first.top().stream().map(t -> "'" + Labels.visible(t.token()) + "'").toList();
            double[] probs = first.top().stream().mapToDouble(TestPrompt.TokenScore::prob).toArray();
            TestPrompt.TokenScore answer = first.answers().getFirst();
            plots.write(BarChart.of(tokens, probs, "Top " + topK + " next tokens; answer '"
                    + Labels.visible(answer.token()) + "' has rank " + answer.rank() + String.format(
                            java.util.Locale.ROOT, ", prob %.2f%%", 100 * answer.prob()), "probability"),
                    "prompt_top_tokens", "top " + topK + " next-token probabilities");
        }
        return 0;
    }
}

// Prompts of different lengths through the analyses: head ablation on a left-padded batch equals ablating each
// prompt alone; detect_head on texts of different lengths averages their own scores (TL runs each alone).
package dev.jlens.model.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jlens.model.HookedGpt2;
import dev.jlens.model.builtin.InductionModel;
import dev.jlens.model.builtin.TinyRandom;
import dev.jlens.model.tokenizer.PaddingSide;
import dev.jlens.model.tokenizer.TokenBatch;
import dev.jlens.tensor.Tensor;
import java.util.List;
import java.util.function.ToDoubleFunction;
import org.junit.jupiter.api.Test;

class PaddedAnalysisTest {
    private static final List<String> PROMPTS = List.of("The cat sat on the mat and then", "Hello there");
    private static final int TOKEN = 262; // " the"

    @Test
    void headAblationOfALeftPaddedBatchSumsTheAblationsOfEachPromptAlone() {
        HookedGpt2 model = TinyRandom.load();
        // a metric linear in the rows: sum over rows of the last position's logit of " the"
        ToDoubleFunction<Tensor> metric = logits -> {
            double sum = 0;
            for (int b = 0; b < logits.size(0); b++) {
                sum += logits.get(b, logits.size(1) - 1, TOKEN);
            }
            return sum;
        };
        TokenBatch batch = model.toTokens(PROMPTS, true, PaddingSide.LEFT);
        Tensor padded = Ablation.eachHead(model, batch.ids(), batch.attentionMask(), Ablation.zero(), metric);
        Tensor alone = Tensor.zeros(padded.shape());
        for (String prompt : PROMPTS) {
            alone = alone.add(Ablation.eachHead(model, model.toTokens(prompt), Ablation.zero(), metric));
        }
        // sums of fp32 logits computed in different batch shapes: 1e-4 absolute, as logits (DESIGN.md)
        assertTrue(padded.allclose(alone, 0, 1e-4), "max diff " + padded.maxAbsDiff(alone));
        assertTrue(alone.maxAbsDiff(Tensor.zeros(alone.shape())) > 1e-2, "the ablations must move the metric");
    }

    @Test
    void detectHeadOnTextsOfDifferentLengthsAveragesEachTextAlone() {
        HookedGpt2 model = InductionModel.load();
        List<String> texts = List.of(" one two three four one two three four", " red blue red blue red blue green");
        Tensor both = HeadDetector.detect(model, texts, DetectionPattern.PREVIOUS_TOKEN_HEAD,
                HeadDetector.Options.defaults());
        Tensor first = HeadDetector.detect(model, texts.get(0), DetectionPattern.PREVIOUS_TOKEN_HEAD,
                HeadDetector.Options.defaults());
        Tensor second = HeadDetector.detect(model, texts.get(1), DetectionPattern.PREVIOUS_TOKEN_HEAD,
                HeadDetector.Options.defaults());
        assertTrue(both.allclose(first.add(second).scale(0.5f), 1e-6, 1e-6));
        assertEquals(InductionModel.PREV_TOKEN_HEAD, (int) both.select(0, InductionModel.PREV_TOKEN_LAYER)
                .argmax(0).item(), "the planted previous-token head ranks first in its layer");
    }
}

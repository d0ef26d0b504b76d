package org.loupe.train.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.loupe.core.images.ImageSource;
import org.loupe.core.images.ImageTensors;
import org.loupe.core.images.SourceImage;
import org.loupe.core.model.HookKind;
import org.loupe.core.model.HookedModel;
import org.loupe.core.model.Hooks;
import org.loupe.core.registry.LoupeRegistry;
import org.loupe.djl.LoupeEngine;
import org.loupe.models.BundledModels;
import org.loupe.models.seqcnn.SeqCnn;
import org.loupe.models.seqcnn.SeqCnnConfig;
import org.loupe.train.DemoTraining;
import org.loupe.train.SupervisedTraining;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;

/** The shipped demo models are accurate on images they never saw; training learns and saves what it learned. */
class DemoModelsTest {

    /** A held-out sample drawn with a seed neither training nor the training record's evaluation used. */
    static final long FRESH_SEED = 31_337L;

    @TempDir
    Path dir;

    @Test
    void demoModelsReach95PercentOnAFreshHeldOutSample() throws Exception {
        LoupeRegistry registry = new LoupeRegistry();
        for (String id : DemoTraining.MODELS) {
            try (HookedModel model = registry.openModel(id, null); ImageSource test = registry.openImages(DemoTraining.shapes("test", 400), FRESH_SEED)) {
                double accuracy = SupervisedTraining.accuracy(model, test, 100);
                System.out.printf(Locale.ROOT, "%s: %.2f%% on 400 fresh held-out Loupe Shapes images%n", id, 100 * accuracy);
                assertTrue(accuracy >= 0.95, id + " accuracy " + accuracy);
                assertEquals(List.of("circle", "square", "triangle", "star", "cross", "ring", "crescent", "heart"), model.labels());
            }
        }
        try (HookedModel vit = registry.openModel("demo-vit", null)) {
            assertTrue(vit.hookPoints().stream().anyMatch(p -> p.kind() == HookKind.ATTENTION && p.name().equals("blocks.0.attn.probs")));
            assertEquals("builtin:demo-vit", vit.info().source());
        }
        assertEquals("demo-cnn", registry.defaultModel().orElseThrow().id());
    }

    @Test
    void trainingFitsABatchAndSavesWhatItLearned() throws Exception {
        String json = new String(BundledModels.resource("demo-cnn.json"), StandardCharsets.UTF_8);
        SeqCnnConfig config = SeqCnnConfig.parse(json, "demo-cnn.json");
        LoupeRegistry registry = new LoupeRegistry();
        List<SourceImage> batch = new ArrayList<>();
        registry.openImages(DemoTraining.shapes("train", 32), 5).forEach(batch::add);
        try (NDManager m = LoupeEngine.get().newBaseManager()) {
            LoupeEngine.get().setRandomSeed(3);
            SeqCnn.Built built = SeqCnn.build(config, m, "demo-cnn.json");
            NDArray x = ImageTensors.toInput(m, batch.stream().map(SourceImage::image).toList(), config.input());
            double before = loss(built, m, x, batch, config.labels());
            // the same 32 images every epoch: training must fit them
            var s = new SupervisedTraining.Settings(25, 32, 32, 3e-3f, 0f, 1, 0, 0f);
            List<SupervisedTraining.Epoch> h = SupervisedTraining.train(built.block(), m, config.input(), config.labels(),
                    seed -> registry.openImages(DemoTraining.shapes("train", 32), 5), s, null, line -> { });
            double after = loss(built, m, x, batch, config.labels());
            assertTrue(after < 0.5 * before, "loss on the batch went from " + before + " to " + after);
            assertTrue(h.get(h.size() - 1).accuracy() > h.get(0).accuracy(), "training accuracy rises: " + h);

            built.weights().save(dir.resolve("demo-cnn.safetensors"));
            Files.writeString(dir.resolve("demo-cnn.json"), json);
            NDArray logits = built.block().forward(new ParameterStore(m, false), new NDList(x), false).singletonOrThrow();
            try (HookedModel saved = registry.openModel(dir.resolve("demo-cnn.json").toString(), null)) {
                NDArray reloaded = saved.forward(x, Hooks.none()).output();
                assertTrue(logits.sub(reloaded).abs().max().getFloat() < 1e-5, "the saved model computes what was trained");
            }
        }
    }

    private static double loss(SeqCnn.Built built, NDManager m, NDArray x, List<SourceImage> batch, List<String> labels) {
        NDArray logits = built.block().forward(new ParameterStore(m, false), new NDList(x), false).singletonOrThrow();
        NDArray logp = logits.logSoftmax(1);
        double sum = 0;
        for (int i = 0; i < batch.size(); i++) {
            sum -= logp.getFloat(i, labels.indexOf(batch.get(i).label()));
        }
        return sum / batch.size();
    }
}

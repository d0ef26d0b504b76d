package org.loupe.train;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.SubMonitor;
import org.loupe.core.images.ImageSource;
import org.loupe.core.model.HookedModel;
import org.loupe.core.model.ModelLoadException;
import org.loupe.core.registry.LoupeRegistry;
import org.loupe.djl.LoupeEngine;
import org.loupe.models.BundledModels;
import org.loupe.models.seqcnn.SeqCnn;
import org.loupe.models.seqcnn.SeqCnnConfig;
import org.loupe.models.vit.VitArchitecture;
import org.loupe.models.vit.VitConfig;
import org.loupe.models.vit.VitConvention;
import org.loupe.models.vit.VitNames;
import org.loupe.models.WeightBinder;
import org.loupe.core.model.InputSpec;
import org.loupe.core.model.Normalization;

import ai.djl.nn.Block;

import ai.djl.ndarray.NDManager;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/**
 * The reproducible training of Loupe's demo models on Loupe Shapes: {@code loupe train demo-cnn
 * --out DIR}. Writes the weights (safetensors, PyTorch names), the config, and a training record
 * with the settings, every epoch and the held-out accuracy.
 *
 * @since 0.1
 */
public final class DemoTraining {

    /** Held-out images are drawn from the test split with this seed, never used for training. */
    public static final long TEST_SEED = 20_261_127L;
    /** Image size of the demo models. */
    public static final int SIZE = 64;

    /**
     * What a training run produced.
     *
     * @param config   the written config (or sidecar)
     * @param weights  the written weights
     * @param accuracy held-out accuracy
     * @param history  the epochs
     */
    public record Outcome(Path config, Path weights, double accuracy, List<SupervisedTraining.Epoch> history) {
    }

    private DemoTraining() {
    }

    /** The demo models. */
    public static final List<String> MODELS = List.of("demo-cnn", "demo-vit");

    /**
     * The demo ViT's size: 64x64 input in 4x4 patches (256 tokens and a class token), width 96,
     * 4 blocks of 4 heads, MLP 192, 8 classes, timm names.
     */
    public static final VitConfig VIT = new VitConfig(new VitNames(VitConvention.TIMM, "", false), 3, 4, 16, 96, 4, 4, 192, 0, 8, 1e-6f);

    /** Default settings of each demo model. */
    public static SupervisedTraining.Settings defaults(String model) {
        return switch (model) {
            case "demo-cnn" -> new SupervisedTraining.Settings(12, 8000, 64, 3e-3f, 1e-4f, 1, 0, 0f);
            case "demo-vit" -> new SupervisedTraining.Settings(30, 8000, 64, 5e-4f, 0f, 1, 2, 1f);
            default -> throw new IllegalArgumentException("no demo model '" + model + "'; demo models: " + String.join(", ", MODELS));
        };
    }

    /** A network ready to train and how to save it. */
    private record Trainable(Block block, WeightBinder weights, InputSpec input, List<String> labels) {
    }

    private static Trainable build(String model, String json, NDManager manager) throws ModelLoadException {
        if (model.equals("demo-cnn")) {
            SeqCnnConfig config = SeqCnnConfig.parse(json, model + ".json");
            SeqCnn.Built built = SeqCnn.build(config, manager, model + ".json");
            return new Trainable(built.block(), built.weights(), config.input(), config.labels());
        }
        JsonObject sidecar = JsonParser.parseString(json).getAsJsonObject();
        List<String> labels = new java.util.ArrayList<>();
        sidecar.getAsJsonArray("labels").forEach(e -> labels.add(e.getAsString()));
        VitArchitecture.Fresh fresh = VitArchitecture.fresh(VIT, manager);
        return new Trainable(fresh.block(), fresh.weights(), new InputSpec(3, 64, 64, new Normalization(1f,
                new float[] {0.5f, 0.5f, 0.5f}, new float[] {0.25f, 0.25f, 0.25f})), labels);
    }

    /** The Loupe Shapes spec of {@code count} images of a split. */
    public static String shapes(String split, int count) {
        return "loupe-shapes:split=" + split + ",count=" + count + ",size=" + SIZE;
    }

    /** Trains {@code model} with {@code s} and writes it into {@code outDir}. */
    public static Outcome train(LoupeRegistry registry, String model, Path outDir, SupervisedTraining.Settings s, int testImages,
            IProgressMonitor monitor, Consumer<String> log) throws ModelLoadException, IOException {
        defaults(model);
        SubMonitor sm = SubMonitor.convert(monitor, "Training " + model, 10);
        Files.createDirectories(outDir);
        String json = new String(BundledModels.resource(model + ".json"), StandardCharsets.UTF_8);
        long t0 = System.nanoTime();
        Path weights = outDir.resolve(model + ".safetensors");
        List<SupervisedTraining.Epoch> history;
        try (NDManager manager = LoupeEngine.get().newBaseManager()) {
            LoupeEngine.get().setRandomSeed((int) s.seed());
            Trainable built = build(model, json, manager);
            log.accept(String.format(Locale.ROOT, "training %s: %d epochs x %d fresh images, batch %d, lr %.4g, seed %d", model, s.epochs(),
                    s.imagesPerEpoch(), s.batchSize(), s.learningRate(), s.seed()));
            history = SupervisedTraining.train(built.block(), manager, built.input(), built.labels(),
                    seed -> registry.openImages(shapes("train", s.imagesPerEpoch()), seed), s, sm.split(8), log);
            built.weights().save(weights);
        }
        Path configFile = outDir.resolve(model + ".json");
        Files.writeString(configFile, json, StandardCharsets.UTF_8);
        double accuracy;
        try (HookedModel trained = registry.openModel(configFile.toString(), sm.split(1));
                ImageSource test = registry.openImages(shapes("test", testImages), TEST_SEED)) {
            accuracy = SupervisedTraining.accuracy(trained, test, 100);
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        log.accept(String.format(Locale.ROOT, "held-out accuracy %.2f%% on %d test images (seed %d); %.0f s in all", 100 * accuracy,
                testImages, TEST_SEED, seconds));
        writeRecord(outDir.resolve(model + ".training.json"), model, s, testImages, history, accuracy, seconds);
        return new Outcome(configFile, weights, accuracy, history);
    }

    private static void writeRecord(Path file, String model, SupervisedTraining.Settings s, int testImages,
            List<SupervisedTraining.Epoch> history, double accuracy, double seconds) throws IOException {
        JsonObject o = new JsonObject();
        o.addProperty("model", model);
        o.addProperty("dataset", shapes("train", s.imagesPerEpoch()) + " (a fresh seed per epoch)");
        o.add("settings", JsonParser.parseString(new GsonBuilder().create().toJson(s)));
        JsonArray epochs = new JsonArray();
        for (SupervisedTraining.Epoch e : history) {
            epochs.add(JsonParser.parseString(new GsonBuilder().create().toJson(e)));
        }
        o.add("epochs", epochs);
        o.addProperty("test", shapes("test", testImages) + " seed " + TEST_SEED);
        o.addProperty("heldOutAccuracy", accuracy);
        o.addProperty("seconds", seconds);
        Files.writeString(file, new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create().toJson(o), StandardCharsets.UTF_8);
    }
}

package org.loupe.analysis.attribution.tests;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.loupe.core.analysis.AnalysisException;
import org.loupe.core.analysis.Selection;
import org.loupe.core.images.ImageSource;
import org.loupe.core.images.ImageTensors;
import org.loupe.core.images.SourceImage;
import org.loupe.core.model.HookedModel;
import org.loupe.core.registry.LoupeRegistry;
import org.loupe.core.result.CompositeResult;
import org.loupe.core.run.AnalysisRequest;
import org.loupe.core.run.AnalysisRunner;
import org.loupe.core.store.RunStore;
import org.loupe.testing.Oracle;
import org.loupe.testing.TestImages;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/** What the attribution tests share: the two small models, image folders, runs through the {@link AnalysisRunner}. */
final class Fixture {

    /** A smooth sequential CNN (tanh), 3x16x16 in, 4 classes: seeded weights written by {@code oracle/seqcnn.py}. */
    static final String CONFIG = """
            {"architecture": "sequential-cnn", "name": "Attribution CNN", "labels": ["a", "b", "c", "d"],
             "input": {"channels": 3, "height": 16, "width": 16, "mean": [0.5, 0.4, 0.3], "std": [0.25, 0.3, 0.2]},
             "layers": [{"name": "conv1", "type": "conv2d", "out_channels": 6, "kernel": 3, "padding": 1},
                        {"name": "bn1", "type": "batchnorm2d"}, {"name": "tanh1", "type": "tanh"},
                        {"name": "pool1", "type": "avgpool2d", "kernel": 2},
                        {"name": "conv2", "type": "conv2d", "out_channels": 8, "kernel": 3, "padding": 1},
                        {"name": "tanh2", "type": "tanh"}, {"name": "gap", "type": "global_avgpool"},
                        {"name": "flatten", "type": "flatten"}, {"name": "fc", "type": "linear", "out_features": 4}]}
            """;

    /** The region rows [Y0, Y1), columns [X0, X1) the planted model's output depends on. */
    static final int Y0 = 2;
    static final int Y1 = 8;
    static final int X0 = 3;
    static final int X1 = 10;

    /** One 3x3 convolution, then a linear layer that reads only the planted region, tanh, and 3 classes. */
    static final String PLANTED = """
            {"architecture": "sequential-cnn", "name": "Planted CNN", "labels": ["a", "b", "c"],
             "input": {"channels": 3, "height": 16, "width": 16},
             "layers": [{"name": "conv1", "type": "conv2d", "out_channels": 4, "kernel": 3, "padding": 1},
                        {"name": "relu1", "type": "relu"}, {"name": "flatten", "type": "flatten"},
                        {"name": "fc1", "type": "linear", "out_features": 6}, {"name": "tanh1", "type": "tanh"},
                        {"name": "fc2", "type": "linear", "out_features": 3}]}
            """;

    final LoupeRegistry registry = new LoupeRegistry();
    final Path dir;

    Fixture(Path dir) {
        this.dir = dir;
    }

    /** The folder holding {@code attribution-cnn.json}, its weights (npz and safetensors), made once per build. */
    static Path oracleModel() throws Exception {
        Path work = Oracle.work("attribution");
        Path config = write(work.resolve("config").resolve("attribution-cnn.json"), CONFIG);
        Oracle.run(work.resolve("attribution-cnn_ref.npz"), "seqcnn.py", config.toString(), work.toString());
        return work.resolve("attribution-cnn.json");
    }

    /** The planted model's JSON (weights beside it). */
    static Path plantedModel() throws Exception {
        Path work = Oracle.work("attribution-planted");
        Path config = write(work.resolve("config").resolve("planted-cnn.json"), PLANTED);
        Oracle.run(work.resolve("planted-cnn.safetensors"), "attribution.py", "planted", config.toString(), work.toString(),
                String.valueOf(Y0), String.valueOf(Y1), String.valueOf(X0), String.valueOf(X1));
        return work.resolve("planted-cnn.json");
    }

    /** A CNN of the zoo (oracle/zoo_cnn.py's seeded weights), generated once and shared with the zoo tests. */
    static HookedModel zoo(String arch) throws Exception {
        Path dir = Oracle.work("zoo");
        Oracle.run(dir.resolve(arch + "_ref.npz"), "zoo_cnn.py", arch, dir.toString(), Oracle.scripts().resolve("lucent_inceptionv1.py").toString());
        return new LoupeRegistry().openModel(dir.resolve(arch + ".safetensors").toString(), null);
    }

    private static Path write(Path file, String text) throws IOException {
        Files.createDirectories(file.getParent());
        if (!Files.exists(file) || !Files.readString(file).equals(text)) {
            Files.writeString(file, text);
        }
        return file;
    }

    /** A folder of {@code count} random-pixel PNG images of {@code size x size}, drawn with {@code seed}. */
    Path randomImages(String name, int count, int size, long seed) throws IOException {
        return TestImages.random(dir.resolve(name), count, size, seed);
    }

    /** The preprocessed input of {@code spec}'s images, in memory PyTorch owns. */
    NDArray input(NDManager m, HookedModel model, String spec) throws Exception {
        List<SourceImage> out = new ArrayList<>();
        try (ImageSource s = registry.openImages(spec, 0)) {
            s.forEach(out::add);
        }
        try (NDArray x = ImageTensors.toInput(m, out.stream().map(SourceImage::image).toList(), model.inputSpec())) {
            return x.duplicate();
        }
    }

    /** Runs {@code analysis} on {@code images} with {@code params}; the result. */
    CompositeResult run(String analysis, HookedModel model, String images, Map<String, String> params) throws AnalysisException {
        var run = new AnalysisRunner(registry, new RunStore(dir.resolve("runs"))).run(new AnalysisRequest(analysis, model,
                new Selection(null, null, images), params, 0), null);
        return (CompositeResult) run.result();
    }
}

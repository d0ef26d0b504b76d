package org.loupe.analysis.units.tests;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.eclipse.core.runtime.IProgressMonitor;
import org.loupe.core.analysis.AnalysisException;
import org.loupe.core.analysis.Selection;
import org.loupe.core.images.ImageSource;
import org.loupe.core.images.ImageTensors;
import org.loupe.core.images.SourceImage;
import org.loupe.core.model.HookedModel;
import org.loupe.core.registry.LoupeRegistry;
import org.loupe.core.result.CompositeResult;
import org.loupe.core.result.ImageGridResult;
import org.loupe.core.result.Result;
import org.loupe.core.result.TableResult;
import org.loupe.core.result.TextResult;
import org.loupe.core.run.AnalysisRequest;
import org.loupe.core.run.AnalysisRunner;
import org.loupe.core.store.RunStore;
import org.loupe.testing.TestImages;
import org.loupe.models.io.Safetensors;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/** What the unit-explorer tests share: image folders, planted models, runs through the {@link AnalysisRunner}, result parts. */
final class Fixture {

    final LoupeRegistry registry = new LoupeRegistry();
    final Path dir;

    Fixture(Path dir) {
        this.dir = dir;
    }

    /** A folder of {@code count} random-pixel PNG images of {@code size x size}, drawn with {@code seed}. */
    Path randomImages(String name, int count, int size, long seed) throws IOException {
        return TestImages.random(dir.resolve(name), count, size, seed);
    }

    /** The images of {@code spec}, in order. */
    List<SourceImage> images(String spec) throws Exception {
        List<SourceImage> out = new ArrayList<>();
        try (ImageSource s = registry.openImages(spec, 0)) {
            s.forEach(out::add);
        }
        return out;
    }

    /** The preprocessed input of {@code spec}'s images, as the analyses make it. */
    NDArray input(NDManager m, HookedModel model, String spec) throws Exception {
        return ImageTensors.toInput(m, images(spec).stream().map(SourceImage::image).toList(), model.inputSpec());
    }

    /** Writes {@code values} as raw little-endian float32 (for the oracle). */
    static void writeFloats(Path file, float[] values) throws IOException {
        TestImages.writeFloats(file, values);
    }

    /** A sequential CNN from {@code json} (a config) and {@code tensors} (name, shape and values), opened. */
    HookedModel planted(String name, String json, Map<String, float[]> tensors, Map<String, long[]> shapes) throws Exception {
        Files.writeString(dir.resolve(name + ".json"), json);
        Safetensors.write(dir.resolve(name + ".safetensors"), tensors, shapes);
        return registry.openModel(dir.resolve(name + ".json").toString(), null);
    }

    /** Runs {@code analysis} at {@code layer}{@code :unit} on {@code images} with {@code params}; the result. */
    CompositeResult run(String analysis, HookedModel model, String layer, Integer unit, String images, Map<String, String> params,
            IProgressMonitor monitor) throws AnalysisException {
        var run = new AnalysisRunner(registry, new RunStore(dir.resolve("runs"))).run(new AnalysisRequest(analysis, model,
                new Selection(layer, unit, images), params, 0), monitor);
        return (CompositeResult) run.result();
    }

    /** {@link #run} without a unit or a monitor. */
    CompositeResult run(String analysis, HookedModel model, String layer, String images, Map<String, String> params) throws AnalysisException {
        return run(analysis, model, layer, null, images, params, null);
    }

    /** The table of {@code result} whose title starts with {@code title}. */
    static TableResult table(CompositeResult result, String title) {
        for (Result r : result.parts()) {
            if (r instanceof TableResult t && t.title().startsWith(title)) {
                return t;
            }
        }
        throw new AssertionError("no table '" + title + "' in " + result.parts().stream().map(Object::toString).toList());
    }

    /** The image grid of {@code result} whose title starts with {@code title}. */
    static ImageGridResult grid(CompositeResult result, String title) {
        for (Result r : result.parts()) {
            if (r instanceof ImageGridResult g && g.title().startsWith(title)) {
                return g;
            }
        }
        throw new AssertionError("no image grid '" + title + "' in " + result.parts().stream().map(Object::toString).toList());
    }

    /** The summary text of {@code result}. */
    static String summary(CompositeResult result) {
        return result.parts().stream().filter(r -> r instanceof TextResult).map(r -> ((TextResult) r).text()).findFirst().orElseThrow();
    }

    /** The column {@code name} of {@code table}, as numbers. */
    static double[] column(TableResult table, String name) {
        int c = table.columns().indexOf(name);
        if (c < 0) {
            throw new AssertionError("no column '" + name + "' in " + table.columns());
        }
        return table.rows().stream().mapToDouble(r -> ((Number) r.get(c)).doubleValue()).toArray();
    }

    /** The rows of a dataset-example table for one side ("top" or "bottom"), in table order. */
    static List<List<Object>> side(TableResult table, String side) {
        return table.rows().stream().filter(r -> r.get(1).equals(side)).toList();
    }
}

package org.loupe.analysis.causal.tests;

import java.io.IOException;
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
import org.loupe.core.result.Result;
import org.loupe.core.result.TableResult;
import org.loupe.core.run.AnalysisRequest;
import org.loupe.core.run.AnalysisRunner;
import org.loupe.core.store.RunStore;
import org.loupe.testing.TestImages;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/** What the causal-analysis tests share: image folders, runs through the {@link AnalysisRunner}, reading result parts. */
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

    /** {@code all} split into {@code n} rows of equal length (logits of a batch). */
    static float[][] rows(float[] all, int n) {
        int k = all.length / n;
        float[][] out = new float[n][k];
        for (int i = 0; i < n; i++) {
            System.arraycopy(all, i * k, out[i], 0, k);
        }
        return out;
    }

    /** Writes {@code values} as raw little-endian float32 (for the oracle). */
    static void writeFloats(Path file, float[] values) throws IOException {
        TestImages.writeFloats(file, values);
    }

    /** Runs {@code analysis} at {@code layer} on {@code images} with {@code params}; the result. */
    CompositeResult run(String analysis, HookedModel model, String layer, String images, Map<String, String> params) throws AnalysisException {
        var run = new AnalysisRunner(registry, new RunStore(dir.resolve("runs"))).run(new AnalysisRequest(analysis, model,
                new Selection(layer, null, images), params, 0), null);
        return (CompositeResult) run.result();
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

    /** The column {@code name} of {@code table}, as numbers. */
    static double[] column(TableResult table, String name) {
        int c = table.columns().indexOf(name);
        if (c < 0) {
            throw new AssertionError("no column '" + name + "' in " + table.columns());
        }
        return table.rows().stream().mapToDouble(r -> ((Number) r.get(c)).doubleValue()).toArray();
    }

    /** The per-step values of a sweep's ranked table, by step index. */
    static double[] byIndex(TableResult table, String name, int count) {
        double[] index = column(table, "index");
        double[] v = column(table, name);
        double[] out = new double[count];
        java.util.Arrays.fill(out, Double.NaN);
        for (int i = 0; i < index.length; i++) {
            out[(int) index[i]] = v[i];
        }
        return out;
    }

    /** Asserts {@code |actual - expected| <= tol * max(1, max|expected|)} element-wise (as org.loupe.testing.Close, for doubles). */
    static void assertClose(double[] expected, double[] actual, double tol, String what) {
        float[] e = new float[expected.length];
        float[] a = new float[actual.length];
        for (int i = 0; i < e.length; i++) {
            e[i] = (float) expected[i];
        }
        for (int i = 0; i < a.length; i++) {
            a[i] = (float) actual[i];
        }
        org.loupe.testing.Close.assertClose(e, a, tol, what);
    }
}

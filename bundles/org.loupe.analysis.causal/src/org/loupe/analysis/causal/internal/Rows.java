package org.loupe.analysis.causal.internal;

import java.util.ArrayList;
import java.util.List;

import org.loupe.core.analysis.AnalysisContext;
import org.loupe.core.analysis.AnalysisException;
import org.loupe.core.images.ImageSource;
import org.loupe.core.images.ImageTensors;
import org.loupe.core.images.RasterImage;
import org.loupe.core.images.SourceImage;
import org.loupe.core.model.InputSpec;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;

/** Small helpers the causal analyses share: reading the image set, logits rows, batches of rows. */
public final class Rows {

    private Rows() {
    }

    /**
     * Every image of the run's image source, in order (the analyses pass over the set more than once).
     *
     * @throws AnalysisException if there is none, naming the source and what was skipped
     */
    public static List<SourceImage> images(AnalysisContext ctx) throws AnalysisException {
        ImageSource source = ctx.images();
        List<SourceImage> out = new ArrayList<>();
        for (SourceImage s : source) {
            ctx.checkCanceled();
            out.add(s);
        }
        if (out.isEmpty()) {
            throw new AnalysisException("No image could be read from " + source.describe()
                    + (source.problems().isEmpty() ? "" : ": " + String.join("; ", source.problems())));
        }
        return out;
    }

    /** The preprocessed input of images {@code from} (inclusive) to {@code to} (exclusive). */
    public static NDArray input(NDManager m, List<SourceImage> images, int from, int to, InputSpec spec) {
        List<RasterImage> raster = images.subList(from, to).stream().map(SourceImage::image).toList();
        return ImageTensors.toInput(m, raster, spec);
    }

    /** The rows of {@code logits} {@code [N, ...]} as arrays of class scores. */
    public static float[][] logits(NDArray logits) {
        int n = (int) logits.getShape().get(0);
        float[] all = logits.toFloatArray();
        int k = all.length / n;
        float[][] out = new float[n][];
        for (int i = 0; i < n; i++) {
            out[i] = java.util.Arrays.copyOfRange(all, i * k, (i + 1) * k);
        }
        return out;
    }

    /** {@code a} repeated {@code times} times along the batch axis: row {@code t * N + i} is row {@code i}. */
    public static NDArray tile(NDArray a, int times) {
        long[] repeats = new long[a.getShape().dimension()];
        java.util.Arrays.fill(repeats, 1);
        repeats[0] = times;
        return a.tile(repeats);
    }

    /** The rows {@code indices} of {@code a}, in that order, as a new array in {@code a}'s manager. */
    public static NDArray gather(NDArray a, int[] indices) {
        NDList rows = new NDList(indices.length);
        try {
            for (int i : indices) {
                rows.add(a.get(new NDIndex("{}:{}", i, i + 1)));
            }
            return rows.size() == 1 ? rows.get(0).duplicate() : NDArrays.concat(rows, 0);
        } finally {
            rows.close();
        }
    }
}

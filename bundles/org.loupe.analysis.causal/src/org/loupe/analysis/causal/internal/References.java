package org.loupe.analysis.causal.internal;

import java.util.List;
import java.util.Random;

import org.loupe.analysis.causal.Replacement;
import org.loupe.core.analysis.AnalysisContext;
import org.loupe.core.analysis.AnalysisException;
import org.loupe.core.images.SourceImage;
import org.loupe.core.model.HookedModel;
import org.loupe.core.model.Intervention;
import org.loupe.core.model.Interventions;
import org.loupe.core.model.Scalars;
import org.loupe.core.model.Sites;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;

/**
 * What ablated sites are replaced by, for each image: nothing (zero), the layer's mean activation
 * over the image set, or the activation of another image of the set (a donor drawn with the run's
 * seed, never the image itself). Mean and resampled references take one pass over the images up to
 * the layer.
 */
public final class References {

    private final Replacement replacement;
    private final NDArray values;
    private final int[] donors;

    private References(Replacement replacement, NDArray values, int[] donors) {
        this.replacement = replacement;
        this.values = values;
        this.donors = donors;
    }

    /**
     * The references of {@code replacement} at the layer of {@code passes} over {@code images}, kept
     * in the run's manager.
     *
     * @throws AnalysisException if resampling is asked for with fewer than two images
     */
    public static References of(Replacement replacement, LayerPasses passes, List<SourceImage> images, int batch, AnalysisContext ctx)
            throws AnalysisException {
        if (replacement == Replacement.ZERO) {
            return new References(replacement, null, null);
        }
        int n = images.size();
        if (replacement == Replacement.RESAMPLE && n < 2) {
            throw new AnalysisException("Resample ablation takes each image's replacement from another image, and there is only one; give at least two images");
        }
        HookedModel model = ctx.model();
        NDManager run = ctx.manager();
        NDList parts = new NDList();
        NDArray sum = null;
        for (int from = 0; from < n; from += batch) {
            ctx.checkCanceled();
            int to = Math.min(n, from + batch);
            try (NDManager m = run.newSubManager()) {
                NDArray act = passes.activation(Rows.input(m, images, from, to, model.inputSpec()));
                if (replacement == Replacement.MEAN) {
                    NDArray s = act.sum(new int[] {0}, true);
                    NDArray total = sum == null ? s : sum.add(s);
                    total.attach(run);
                    if (sum != null) {
                        sum.close();
                    }
                    sum = total;
                } else {
                    NDArray kept = act.duplicate();
                    kept.attach(run);
                    parts.add(kept);
                }
            }
        }
        if (replacement == Replacement.MEAN) {
            NDArray mean = Scalars.div(sum, n);
            sum.close();
            return new References(replacement, mean, null);
        }
        NDArray all = NDArrays.concat(parts, 0);
        parts.close();
        Random random = new Random(ctx.seed());
        int[] donors = new int[n];
        for (int i = 0; i < n; i++) {
            int j = random.nextInt(n - 1);
            donors[i] = j >= i ? j + 1 : j;
        }
        return new References(replacement, all, donors);
    }

    /** The replacement. */
    public Replacement replacement() {
        return replacement;
    }

    /** The image whose activation replaces image {@code i}'s (resampling), or -1. */
    public int donor(int i) {
        return donors == null ? -1 : donors[i];
    }

    /**
     * The reference for images {@code from} to {@code to}, repeated {@code tiles} times along the
     * batch (rows {@code t * (to - from) + b}), in {@code m}; null for zero ablation. A mean is one
     * row that broadcasts.
     */
    public NDArray forRows(NDManager m, int from, int to, int tiles) {
        if (replacement == Replacement.ZERO) {
            return null;
        }
        if (replacement == Replacement.MEAN) {
            return values;
        }
        int[] idx = new int[to - from];
        for (int i = from; i < to; i++) {
            idx[i - from] = donors[i];
        }
        NDArray rows = Rows.gather(values, idx);
        rows.attach(m);
        if (tiles == 1) {
            return rows;
        }
        NDArray tiled = Rows.tile(rows, tiles);
        rows.close();
        return tiled;
    }

    /** The intervention replacing {@code sites} by {@code reference} ({@link #forRows}). */
    public Intervention intervention(Sites sites, NDArray reference) {
        return reference == null ? Interventions.zero(sites) : Interventions.replace(reference, sites);
    }
}

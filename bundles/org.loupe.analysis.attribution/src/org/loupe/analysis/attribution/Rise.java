package org.loupe.analysis.attribution;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

import org.loupe.analysis.attribution.internal.Budget;
import org.loupe.analysis.attribution.internal.Perturbed;
import org.loupe.analysis.quality.PixelMap;
import org.loupe.core.model.HookedModel;

import ai.djl.ndarray.NDArray;

/**
 * RISE (Petsiuk et al.): random masks, each a {@code grid x grid} field of cells kept with
 * probability {@code keep}, upsampled bilinearly to {@code (grid + 1)} cells of
 * {@code ceil(H / grid)} pixels and cropped at a random shift; the image is shown through each
 * mask (the baseline where it is hidden) and the map is the sum of the masks weighted by the class
 * probability, divided by {@code masks x keep}. Seeded; needs no gradients, so it works on
 * black-box models. Masks are batched per forward pass under the memory budget.
 *
 * @param masks    the number of masks, at least 1
 * @param grid     cells per side of a mask, at least 1
 * @param keep     the probability a cell is kept, in (0, 1]
 * @param seed     the masks' seed
 * @param baseline what shows where a mask hides the image
 * @param memoryMb the memory one pass may use
 *
 * @since 0.1
 */
public record Rise(int masks, int grid, double keep, long seed, Baseline baseline, int memoryMb) implements InputAttribution, Batched {

    /** Checks the values. */
    public Rise {
        if (masks < 1 || grid < 1) {
            throw new IllegalArgumentException("RISE needs at least 1 mask and a grid of at least 1 cell, got " + masks + " masks, grid " + grid);
        }
        if (!(keep > 0 && keep <= 1)) {
            throw new IllegalArgumentException("RISE's keep probability must be in (0, 1], got " + keep);
        }
    }

    @Override
    public String name() {
        return String.format(Locale.ROOT, "RISE (%d masks, grid %d, keep %.2f)", masks, grid, keep);
    }

    @Override
    public boolean needsGradients() {
        return false;
    }

    /** The masks for an {@code h x w} input, {@code masks * h * w} values in [0, 1] (1: the image shows). */
    public float[] masks(int h, int w) {
        Random random = new Random(seed);
        int ch = (h + grid - 1) / grid;
        int cw = (w + grid - 1) / grid;
        float[] out = new float[masks * h * w];
        for (int m = 0; m < masks; m++) {
            float[] cells = new float[grid * grid];
            for (int k = 0; k < cells.length; k++) {
                cells[k] = random.nextDouble() < keep ? 1f : 0f;
            }
            PixelMap up = new PixelMap(grid, grid, cells).resize((grid + 1) * cw, (grid + 1) * ch);
            int dx = random.nextInt(cw);
            int dy = random.nextInt(ch);
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    out[(m * h + y) * w + x] = up.get(x + dx, y + dy);
                }
            }
        }
        return out;
    }

    @Override
    public NDArray attribute(HookedModel model, NDArray input, int[] classes, Progress progress) {
        long[] s = input.getShape().getShape();
        int n = (int) s[0];
        int c = (int) s[1];
        int h = (int) s[2];
        int w = (int) s[3];
        float[] all = masks(h, w);
        int perPass = Math.min(masks, rowsPerPass(model));
        int passes = n * ((masks + perPass - 1) / perPass);
        int done = 0;
        NDArray b = baseline.of(input, model.inputSpec());
        List<float[]> maps = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            double[] sum = new double[h * w];
            try (NDArray xi = input.get("{}:{}", i, i + 1); NDArray bi = b.get("{}:{}", i, i + 1)) {
                for (int m0 = 0; m0 < masks; m0 += perPass) {
                    int k = Math.min(perPass, masks - m0);
                    float[] hide = new float[k * h * w];
                    for (int e = 0; e < hide.length; e++) {
                        hide[e] = 1 - all[m0 * h * w + e];
                    }
                    float[] scores = Perturbed.scores(model, xi, bi, hide, k, classes[i], true);
                    for (int j = 0; j < k; j++) {
                        int off = (m0 + j) * h * w;
                        for (int e = 0; e < h * w; e++) {
                            sum[e] += scores[j] * all[off + e];
                        }
                    }
                    progress.passes(++done, passes);
                }
            }
            float[] map = new float[h * w];
            for (int e = 0; e < h * w; e++) {
                map[e] = (float) (sum[e] / (masks * keep));
            }
            maps.add(map);
        }
        b.close();
        return Perturbed.attribution(input.getManager(), maps, c, h, w);
    }

    @Override
    public int rowsPerPass(HookedModel model) {
        return Budget.rows(model, memoryMb, false);
    }

    @Override
    public Reduction reduction() {
        return Reduction.MEAN;
    }
}

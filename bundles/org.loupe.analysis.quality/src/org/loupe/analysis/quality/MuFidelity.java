package org.loupe.analysis.quality;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * MuFidelity (Bhatt et al. 2020), as Xplique computes it: {@code samples} random subsets of a
 * {@code grid x grid} partition of the image, each cell removed (set to the baseline, all
 * channels) when a uniform draw is {@code <= subsetFraction} (Xplique keeps a cell when the draw
 * is {@code > subset_percent}); cells are mapped to pixels by nearest-neighbour scaling. For each
 * subset, the drop of the class score {@code f(x) - f(x_S)} and the map's sum over the removed
 * pixels; the metric is their Spearman rank correlation (0 where it is undefined, as Xplique),
 * in [-1, 1], higher is better. The subsets of one image go through the classifier as one batch.
 *
 * @since 0.1
 */
public final class MuFidelity {

    /**
     * The settings.
     *
     * @param grid           cells per side (Xplique: 9)
     * @param subsetFraction the chance a cell is removed, in (0, 1) (Xplique: 0.2)
     * @param samples        random subsets per image, at least 2 (Xplique: 200)
     * @param baseline       the value removed pixels take in the model's input space (Xplique: 0)
     */
    public record Settings(int grid, double subsetFraction, int samples, float baseline) {

        /** Validates. */
        public Settings {
            if (grid < 1) {
                throw new IllegalArgumentException("the grid of MuFidelity has at least 1 cell per side, got " + grid);
            }
            if (!(subsetFraction > 0 && subsetFraction < 1)) {
                throw new IllegalArgumentException("the subset fraction of MuFidelity (chance a cell is removed) must be in (0, 1), got " + subsetFraction);
            }
            if (samples < 2) {
                throw new IllegalArgumentException("MuFidelity correlates over subsets and needs at least 2 samples, got " + samples);
            }
        }
    }

    private MuFidelity() {
    }

    /** Draws the subsets: {@code keep[s][cell]} is true where cell {@code cell} of subset {@code s} stays. */
    public static boolean[][] subsets(Settings settings, Random random) {
        boolean[][] keep = new boolean[settings.samples()][settings.grid() * settings.grid()];
        for (boolean[] k : keep) {
            for (int c = 0; c < k.length; c++) {
                k[c] = random.nextDouble() > settings.subsetFraction();
            }
        }
        return keep;
    }

    /** The MuFidelity of one image with subsets drawn from {@code random}. */
    public static double score(Classifier classifier, ImageArray image, PixelMap map, int target, Settings settings, Random random) {
        return score(classifier, image, map, target, settings, subsets(settings, random));
    }

    /**
     * The MuFidelity of one image with the given subsets ({@code keep[s][cy * grid + cx]}).
     *
     * @throws IllegalArgumentException if a subset does not have {@code grid * grid} cells
     */
    public static double score(Classifier classifier, ImageArray image, PixelMap map, int target, Settings settings, boolean[][] keep) {
        int g = settings.grid();
        PixelMap m = Ranking.atImageSize(map, image);
        int h = image.height();
        int w = image.width();
        int pixels = image.pixels();
        List<ImageArray> batch = new ArrayList<>(keep.length + 1);
        batch.add(image);
        double[] removedMass = new double[keep.length];
        for (int s = 0; s < keep.length; s++) {
            if (keep[s].length != g * g) {
                throw new IllegalArgumentException("subset " + s + " has " + keep[s].length + " cells, the grid " + g * g);
            }
            float[] v = image.copyValues();
            double mass = 0;
            for (int y = 0; y < h; y++) {
                int cy = nearest(y, h, g);
                for (int x = 0; x < w; x++) {
                    if (!keep[s][cy * g + nearest(x, w, g)]) {
                        int p = y * w + x;
                        mass += m.values()[p];
                        for (int c = 0; c < image.channels(); c++) {
                            v[c * pixels + p] = settings.baseline();
                        }
                    }
                }
            }
            removedMass[s] = mass;
            batch.add(image.with(v));
        }
        double[] scores = classifier.score(batch, target);
        double[] drop = new double[keep.length];
        for (int s = 0; s < keep.length; s++) {
            drop[s] = scores[0] - scores[s + 1];
        }
        double r = Similarity.spearman(drop, removedMass);
        return Double.isNaN(r) ? 0 : r;
    }

    /** The cell of pixel {@code i} of {@code size} in a nearest-neighbour upscaling of {@code cells} cells (TensorFlow's and PyTorch's {@code nearest}: {@code floor(i * cells / size)}). */
    static int nearest(int i, int size, int cells) {
        return Math.min(cells - 1, (int) Math.floor((double) i * cells / size));
    }
}

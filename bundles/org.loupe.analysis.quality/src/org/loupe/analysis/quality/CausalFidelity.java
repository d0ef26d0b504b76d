package org.loupe.analysis.quality;

import java.util.ArrayList;
import java.util.List;

/**
 * Deletion and insertion (Petsiuk et al. 2018), as Xplique's {@code CausalFidelity} defines them:
 * the pixels are ranked by the map (most relevant first); at {@code steps + 1} levels
 * {@code k_s = trunc(s * (K / steps))} ({@code K = floor(maxFraction * H * W)}, exactly NumPy's
 * {@code linspace(0, K, steps + 1, dtype=int32)}) the first {@code k_s} pixels (all channels) are flipped:
 * deletion starts from the image and sets them to the baseline, insertion starts from the
 * baseline and puts the image's values back. The model's score of the class after each step is
 * the curve; its trapezoid area over the unit interval, {@code mean((c[s] + c[s+1]) / 2)}, is the
 * metric: lower is better for deletion, higher for insertion. All steps of one image go through
 * the classifier as one batch.
 *
 * @since 0.1
 */
public final class CausalFidelity {

    /** Which way the pixels move. */
    public enum Mode {
        /** From the image to the baseline, most relevant pixels first; a good map makes the score fall fast (low area). */
        DELETION,
        /** From the baseline to the image, most relevant pixels first; a good map makes the score rise fast (high area). */
        INSERTION
    }

    /**
     * One image's curve.
     *
     * @param flipped how many pixels were flipped at each step ({@code steps + 1} values from 0)
     * @param scores  the class score at each step
     */
    public record Curve(int[] flipped, double[] scores) {

        /** The trapezoid area under the curve over [0, 1], Xplique's {@code mean(c[:-1] + c[1:]) * 0.5}. */
        public double auc() {
            return trapezoid(scores);
        }
    }

    /**
     * The settings.
     *
     * @param mode        deletion or insertion
     * @param steps       perturbation steps, 1 to the number of pixels (Xplique: 10)
     * @param maxFraction the fraction of pixels flipped at the last step, in (0, 1] (Xplique: 1)
     * @param baseline    the value flipped pixels take in the model's input space (Xplique: 0)
     */
    public record Settings(Mode mode, int steps, double maxFraction, float baseline) {

        /** Validates the fraction and the steps (the steps against the image at {@link #curve}). */
        public Settings {
            if (!(maxFraction > 0 && maxFraction <= 1)) {
                throw new IllegalArgumentException("the largest fraction of pixels perturbed must be in (0, 1], got " + maxFraction);
            }
            if (steps < 1) {
                throw new IllegalArgumentException("steps must be at least 1 (the curve has steps + 1 points), got " + steps);
            }
        }
    }

    private CausalFidelity() {
    }

    /** The mean of {@code (c[s] + c[s+1]) / 2}: the trapezoid area of a curve on equally spaced points over [0, 1]. */
    public static double trapezoid(double[] c) {
        if (c.length < 2) {
            throw new IllegalArgumentException("a curve needs at least two points, got " + c.length);
        }
        double s = 0;
        for (int i = 0; i + 1 < c.length; i++) {
            s += (c[i] + c[i + 1]) * 0.5;
        }
        return s / (c.length - 1);
    }

    /**
     * The curve of one image.
     *
     * @param classifier the scorer
     * @param image      the image
     * @param map        its map (resampled to the image if coarser)
     * @param target     the class scored
     * @param settings   mode, steps, fraction, baseline
     * @throws IllegalArgumentException if there are more steps than pixels to flip
     */
    public static Curve curve(Classifier classifier, ImageArray image, PixelMap map, int target, Settings settings) {
        PixelMap m = Ranking.atImageSize(map, image);
        int pixels = image.pixels();
        int max = (int) Math.floor(pixels * settings.maxFraction());
        if (settings.steps() > max) {
            throw new IllegalArgumentException("steps must be between 1 and the number of pixels perturbed (" + max + " for a " + image.width() + "x"
                    + image.height() + " image), got " + settings.steps());
        }
        int[] order = Ranking.mostRelevantFirst(m);
        int[] flipped = new int[settings.steps() + 1];
        List<ImageArray> batch = new ArrayList<>(flipped.length);
        boolean deletion = settings.mode() == Mode.DELETION;
        for (int s = 0; s <= settings.steps(); s++) {
            flipped[s] = s == settings.steps() ? max : (int) (s * ((double) max / settings.steps()));
            float[] v = deletion ? image.copyValues() : filled(image.values().length, settings.baseline());
            for (int j = 0; j < flipped[s]; j++) {
                int p = order[j];
                for (int c = 0; c < image.channels(); c++) {
                    int i = c * pixels + p;
                    v[i] = deletion ? settings.baseline() : image.values()[i];
                }
            }
            batch.add(image.with(v));
        }
        return new Curve(flipped, classifier.score(batch, target));
    }

    static float[] filled(int n, float value) {
        float[] v = new float[n];
        java.util.Arrays.fill(v, value);
        return v;
    }
}

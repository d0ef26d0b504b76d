package org.loupe.analysis.quality;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * ROAD, RemOve And Debias (Rong et al. 2022), as Quantus computes it: for each percentage
 * {@code p} the first {@code floor(p / 100 * H * W)} pixels of the map's ranking are removed by
 * {@link NoisyLinearImputer noisy linear imputation}, and the image counts 1 if the model still
 * predicts the class (its highest score), else 0. Quantus removes the most relevant pixels first
 * (MoRF: a good map makes the accuracy fall fast, so a low mean is better); Rong et al. also
 * remove the least relevant first (LeRF: a good map keeps the accuracy up, high is better). The
 * curve's mean over the percentages is the summary. All percentages of one image go through the
 * classifier as one batch.
 *
 * @since 0.1
 */
public final class Road {

    /** Quantus' default percentages, 1 to 99 in steps of 2. */
    public static int[] quantusPercentages() {
        int[] p = new int[50];
        for (int i = 0; i < p.length; i++) {
            p[i] = 1 + 2 * i;
        }
        return p;
    }

    /**
     * The settings.
     *
     * @param percentages       the percentages of pixels removed, each in [0, 100)
     * @param mostRelevantFirst MoRF (true, Quantus) or LeRF
     * @param noise             standard deviation of the imputation noise (Quantus: 0.01)
     */
    public record Settings(int[] percentages, boolean mostRelevantFirst, double noise) {

        /** Validates. */
        public Settings {
            if (percentages.length == 0) {
                throw new IllegalArgumentException("ROAD needs at least one percentage of pixels to remove");
            }
            for (int p : percentages) {
                if (p < 0 || p >= 100) {
                    throw new IllegalArgumentException("ROAD's percentages of pixels removed must be in [0, 100), got " + p);
                }
            }
            if (!(noise >= 0)) {
                throw new IllegalArgumentException("ROAD's imputation noise is a standard deviation, >= 0; got " + noise);
            }
        }
    }

    private Road() {
    }

    /**
     * One image's curve: 1 where the class is still predicted after removing each percentage, else 0.
     *
     * @param target the class that should stay predicted
     */
    public static double[] curve(Classifier classifier, ImageArray image, PixelMap map, int target, Settings settings, Random random) {
        PixelMap m = Ranking.atImageSize(map, image);
        int[] order = settings.mostRelevantFirst() ? Ranking.mostRelevantFirst(m) : Ranking.leastRelevantFirst(m);
        List<ImageArray> batch = new ArrayList<>();
        for (int p : settings.percentages()) {
            int k = (int) (image.pixels() * p / 100.0);
            boolean[] removed = new boolean[image.pixels()];
            for (int j = 0; j < k; j++) {
                removed[order[j]] = true;
            }
            batch.add(NoisyLinearImputer.impute(image, removed, settings.noise(), random));
        }
        float[][] scores = classifier.scores(batch);
        double[] correct = new double[scores.length];
        for (int i = 0; i < scores.length; i++) {
            correct[i] = Classifier.argmax(scores[i]) == target ? 1 : 0;
        }
        return correct;
    }
}

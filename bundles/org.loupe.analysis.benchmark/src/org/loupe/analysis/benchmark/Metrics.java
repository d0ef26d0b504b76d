package org.loupe.analysis.benchmark;

import java.util.List;
import java.util.Random;

import org.loupe.analysis.quality.CausalFidelity;
import org.loupe.analysis.quality.MuFidelity;
import org.loupe.analysis.quality.PixelMap;
import org.loupe.analysis.quality.PointingGame;
import org.loupe.analysis.quality.RelevanceMass;
import org.loupe.analysis.quality.Road;

/**
 * The quality metrics of {@code org.loupe.analysis.quality} as {@link ImageMetric}s.
 *
 * @since 0.1
 */
public final class Metrics {

    private Metrics() {
    }

    private record Simple(String name, List<String> columns, boolean[] higherIsBetter, boolean needsMask, List<String> curveNames, double[] curveX,
            String curveXLabel, Scorer scorer) implements ImageMetric {
        @Override
        public Scored score(Sample sample, PixelMap map, Random random) {
            return scorer.score(sample, map, random);
        }
    }

    private interface Scorer {
        ImageMetric.Scored score(ImageMetric.Sample sample, PixelMap map, Random random);
    }

    /** The pointing game, strict (Quantus' default), in percent of images. */
    public static ImageMetric pointingGame() {
        return new Simple("pointing game", List.of("pointing game %"), new boolean[] {true}, true, List.of(), new double[0], "",
                (s, m, r) -> new ImageMetric.Scored(new double[] {100 * PointingGame.hit(m, s.mask())}, new double[0][]));
    }

    /** Relevance mass accuracy, of the map's positive part. */
    public static ImageMetric relevanceMass() {
        return new Simple("relevance mass", List.of("relevance mass"), new boolean[] {true}, true, List.of(), new double[0], "",
                (s, m, r) -> new ImageMetric.Scored(new double[] {RelevanceMass.accuracy(m, s.mask())}, new double[0][]));
    }

    /** Deletion or insertion with {@code settings}. */
    public static ImageMetric causal(CausalFidelity.Settings settings) {
        boolean deletion = settings.mode() == CausalFidelity.Mode.DELETION;
        String name = deletion ? "deletion" : "insertion";
        double[] x = new double[settings.steps() + 1];
        for (int i = 0; i < x.length; i++) {
            x[i] = settings.maxFraction() * i / settings.steps();
        }
        return new Simple(name, List.of(name + " AUC"), new boolean[] {!deletion}, false, List.of("score of the class"), x,
                "fraction of pixels " + (deletion ? "deleted" : "inserted"), (s, m, r) -> {
                    CausalFidelity.Curve c = CausalFidelity.curve(s.classifier(), s.image(), m, s.target(), settings);
                    return new ImageMetric.Scored(new double[] {c.auc()}, new double[][] {c.scores()});
                });
    }

    /** MuFidelity with {@code settings}. */
    public static ImageMetric muFidelity(MuFidelity.Settings settings) {
        return new Simple("MuFidelity", List.of("MuFidelity"), new boolean[] {true}, false, List.of(), new double[0], "",
                (s, m, r) -> new ImageMetric.Scored(new double[] {MuFidelity.score(s.classifier(), s.image(), m, s.target(), settings, r)}, new double[0][]));
    }

    /** ROAD at {@code percentages} with imputation noise {@code noise}, most relevant first and least relevant first. */
    public static ImageMetric road(int[] percentages, double noise) {
        Road.Settings morf = new Road.Settings(percentages, true, noise);
        Road.Settings lerf = new Road.Settings(percentages, false, noise);
        double[] x = new double[percentages.length];
        for (int i = 0; i < x.length; i++) {
            x[i] = percentages[i];
        }
        return new Simple("ROAD", List.of("ROAD MoRF accuracy", "ROAD LeRF accuracy"), new boolean[] {false, true}, false,
                List.of("most relevant first", "least relevant first"), x, "% of pixels removed", (s, m, r) -> {
                    double[] a = Road.curve(s.classifier(), s.image(), m, s.target(), morf, r);
                    double[] b = Road.curve(s.classifier(), s.image(), m, s.target(), lerf, r);
                    return new ImageMetric.Scored(new double[] {mean(a), mean(b)}, new double[][] {a, b});
                });
    }

    /** Percentages {@code step/2, 3 step/2, ...} below 100: an evenly spaced subset of Quantus' 1, 3, ..., 99 when {@code step} is even. */
    public static int[] percentages(int step) {
        if (step < 1 || step > 99) {
            throw new IllegalArgumentException("the ROAD percentage step must be between 1 and 99, got " + step);
        }
        int first = Math.max(1, step / 2);
        int n = 0;
        for (int p = first; p < 100; p += step) {
            n++;
        }
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            out[i] = first + i * step;
        }
        return out;
    }

    static double mean(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x;
        }
        return s / v.length;
    }
}

package org.loupe.analysis.quality;

import java.util.Arrays;
import java.util.Comparator;

/**
 * How alike two maps (or two score vectors) are: Spearman's rank correlation, Quantus' default
 * similarity of the model-randomisation check and the correlation of Xplique's MuFidelity.
 *
 * @since 0.1
 */
public final class Similarity {

    private Similarity() {
    }

    /**
     * Spearman's rank correlation of {@code a} and {@code b} (the Pearson correlation of their
     * ranks, ties given their mean rank, as SciPy's {@code spearmanr}); NaN if either is constant.
     *
     * @throws IllegalArgumentException if the lengths differ or are below 2
     */
    public static double spearman(double[] a, double[] b) {
        if (a.length != b.length || a.length < 2) {
            throw new IllegalArgumentException("rank correlation needs two series of one length of at least 2, got " + a.length + " and " + b.length);
        }
        return pearson(ranks(a), ranks(b));
    }

    /** {@link #spearman(double[], double[])} of two float maps. */
    public static double spearman(float[] a, float[] b) {
        return spearman(toDouble(a), toDouble(b));
    }

    /** The Pearson correlation; NaN if either series is constant. */
    public static double pearson(double[] a, double[] b) {
        double ma = Arrays.stream(a).average().orElse(0);
        double mb = Arrays.stream(b).average().orElse(0);
        double sab = 0;
        double saa = 0;
        double sbb = 0;
        for (int i = 0; i < a.length; i++) {
            double da = a[i] - ma;
            double db = b[i] - mb;
            sab += da * db;
            saa += da * da;
            sbb += db * db;
        }
        return saa == 0 || sbb == 0 ? Double.NaN : sab / Math.sqrt(saa * sbb);
    }

    /** Ranks from 1, ties given their mean rank. */
    static double[] ranks(double[] v) {
        Integer[] idx = new Integer[v.length];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = i;
        }
        Arrays.sort(idx, Comparator.comparingDouble(i -> v[i]));
        double[] r = new double[v.length];
        int i = 0;
        while (i < idx.length) {
            int j = i;
            while (j + 1 < idx.length && v[idx[j + 1]] == v[idx[i]]) {
                j++;
            }
            double mean = (i + j) / 2.0 + 1;
            for (int k = i; k <= j; k++) {
                r[idx[k]] = mean;
            }
            i = j + 1;
        }
        return r;
    }

    static double[] toDouble(float[] v) {
        double[] d = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            d[i] = v[i];
        }
        return d;
    }
}

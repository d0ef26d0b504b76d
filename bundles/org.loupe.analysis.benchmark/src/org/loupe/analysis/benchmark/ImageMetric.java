package org.loupe.analysis.benchmark;

import java.util.List;
import java.util.Random;

import org.loupe.analysis.quality.Classifier;
import org.loupe.analysis.quality.ImageArray;
import org.loupe.analysis.quality.Mask;
import org.loupe.analysis.quality.PixelMap;

/**
 * One explanation-quality metric scored image by image, so that the metric analyses and the
 * benchmark run every metric the same way. Made by {@link Metrics}.
 *
 * @since 0.1
 */
public interface ImageMetric {

    /**
     * One image to score a map on.
     *
     * @param image      the model's input
     * @param mask       the object mask at the image's size, or null if the image has none
     * @param target     the class explained (the predicted one)
     * @param classifier the model's class scores
     */
    record Sample(ImageArray image, Mask mask, int target, Classifier classifier) {
    }

    /**
     * What a metric gave on one image.
     *
     * @param values one value per {@link #columns()} column
     * @param curves one curve per {@link #curveNames()} name, each over {@link #curveX()}
     */
    record Scored(double[] values, double[][] curves) {
    }

    /** The metric's name ("deletion"). */
    String name();

    /** The table columns it fills, each with its direction ("deletion AUC (lower is better)"). */
    List<String> columns();

    /** Whether each column is better when higher (same order as {@link #columns()}). */
    boolean[] higherIsBetter();

    /** Whether the metric needs the object mask. */
    boolean needsMask();

    /** The names of the curves it returns (may be empty). */
    default List<String> curveNames() {
        return List.of();
    }

    /** The x values of the curves, with their label. */
    default double[] curveX() {
        return new double[0];
    }

    /** The label of the curves' x axis. */
    default String curveXLabel() {
        return "";
    }

    /**
     * Scores one map (at the image's size) on one sample.
     *
     * @throws IllegalArgumentException if the settings do not fit the image
     */
    Scored score(Sample sample, PixelMap map, Random random);
}

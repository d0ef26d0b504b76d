package org.loupe.stimuli.synth;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

import org.loupe.core.analysis.ParameterBinder;
import org.loupe.core.images.ImageSource;
import org.loupe.core.images.ImageSourceFactory;
import org.loupe.core.images.SourceImage;

/**
 * The common machinery of Loupe's synthetic stimuli: {@code count} images of {@code size} pixels,
 * image {@code i} drawn from its own random stream of the seed ({@link Seeds}), with the
 * parameters listed in {@code vary} drawn at random for each image ({@link Variation}) and all
 * others fixed. A subclass only says how to draw one image from fully determined parameters.
 *
 * <p>Each image's ground truth holds every parameter as used for that image (drawn values
 * included; {@code count} and {@code vary} left out), {@code index}, and what the stimulus adds
 * (derived geometry, a figure mask).
 *
 * @param <P> the parameter record
 *
 * @since 0.1
 */
public abstract class StimulusSource<P extends Record & StimulusParameters> implements ImageSourceFactory<P> {

    /** The random-stream domain of stimulus images (see {@link Seeds#stream}). */
    private static final long DOMAIN = 1;

    /** A short name of the stimulus kind, used in image names ({@code curve-3}). */
    protected abstract String kind();

    /** One line describing the stimulus with these parameters. */
    protected abstract String describe(P p);

    /**
     * The range each number is drawn from when {@code vary} names it without a range; a
     * parameter missing here is drawn from its allowed range if that is finite.
     */
    protected Map<String, double[]> drawRanges(P p) {
        return Map.of();
    }

    /**
     * Draws one image.
     *
     * @param p      the parameters of this image (varied ones already drawn)
     * @param random the image's random stream, for textures and noise
     */
    protected abstract Drawn draw(P p, SplittableRandom random);

    @Override
    public ImageSource open(P p, long seed) {
        Variation<P> variation = Variation.parse(parametersType(), p, drawRanges(p));
        String what = p.count() + " " + describe(p) + (variation.isEmpty() ? "" : "; varying " + variation) + " (seed " + seed + ")";
        return new IndexedSource(what, p.count(), i -> {
            SplittableRandom random = Seeds.stream(seed, DOMAIN, i);
            P q = variation.draw(p, random);
            Drawn d = draw(q, random);
            Map<String, Object> truth = new LinkedHashMap<>(ParameterBinder.toMap(q));
            truth.remove("count");
            truth.remove("vary");
            truth.putAll(d.truth());
            truth.put("index", i);
            return new SourceImage(kind() + "-" + i, d.image(), d.label(), truth);
        });
    }
}

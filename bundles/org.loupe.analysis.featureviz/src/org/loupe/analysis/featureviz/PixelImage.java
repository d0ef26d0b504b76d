package org.loupe.analysis.featureviz;

import java.util.List;
import java.util.Random;


import org.loupe.core.model.Owned;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * Lucent's pixel parameterisation: the image's values themselves are the leaf, initialised from
 * a normal distribution with standard deviation 0.01 (before {@link ValidRgb}'s sigmoid).
 *
 * @since 0.1
 */
public final class PixelImage implements ImageParam {

    /** Lucent's initial standard deviation. */
    public static final double SD = 0.01;

    private final NDArray values;

    /** Takes {@code values} {@code [N, C, H, W]} as the leaf (not copied). */
    public PixelImage(NDArray values) {
        if (values.getShape().dimension() != 4) {
            throw new IllegalArgumentException("a pixel image is [N, C, H, W], got " + values.getShape());
        }
        this.values = values;
    }

    /** Noise with standard deviation {@link #SD}, drawn from {@code random}. */
    public static PixelImage noise(NDManager manager, int batch, int channels, int height, int width, Random random) {
        return new PixelImage(Owned.floats(manager, Noise.gaussian(random, batch * channels * height * width, SD),
                new Shape(batch, channels, height, width)));
    }

    @Override
    public List<NDArray> leaves() {
        return List.of(values);
    }

    @Override
    public NDArray render() {
        return values;
    }

    @Override
    public long[] shape() {
        return values.getShape().getShape();
    }
}

package org.loupe.analysis.featureviz;

import java.util.List;


import org.loupe.core.model.Owned;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;

/**
 * Lucent's {@code to_valid_rgb}: optionally decorrelates colour (multiplies each pixel's three
 * values by Lucent's {@code color_correlation_svd_sqrt}, normalised by its largest column norm:
 * {@code x @ C^T}), then maps into [0, 1] with a sigmoid. Decorrelation applies to 3-channel
 * images only.
 *
 * @since 0.1
 */
public final class ValidRgb implements ImageParam {

    /** Lucent's (and Lucid's) square root of ImageNet's colour correlation. */
    public static final float[][] COLOR_CORRELATION_SVD_SQRT = {{0.26f, 0.09f, 0.02f}, {0.27f, 0.00f, -0.05f}, {0.27f, -0.09f, 0.03f}};

    private final ImageParam inner;
    private final NDArray colour;

    /** Wraps {@code inner}; with {@code decorrelate}, its values are taken as decorrelated colour. */
    public ValidRgb(ImageParam inner, boolean decorrelate) {
        this.inner = inner;
        if (decorrelate && inner.shape()[1] != 3) {
            throw new IllegalArgumentException("colour decorrelation needs 3 channels, the image has " + inner.shape()[1]
                    + "; turn decorrelation off for grayscale models");
        }
        this.colour = decorrelate ? Owned.floats(inner.leaves().get(0).getManager(), transposed(normalisedTransposed()), new Shape(3, 3)) : null;
    }

    /** {@code C^T / max column norm of C}, row by row: the matrix pixels {@code [.., 3]} are multiplied by. */
    public static float[] normalisedTransposed() {
        float[][] c = COLOR_CORRELATION_SVD_SQRT;
        double max = 0;
        for (int j = 0; j < 3; j++) {
            double n = 0;
            for (int i = 0; i < 3; i++) {
                n += (double) c[i][j] * c[i][j];
            }
            max = Math.max(max, Math.sqrt(n));
        }
        float norm = (float) max;
        float[] t = new float[9];
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                t[i * 3 + j] = c[j][i] / norm;
            }
        }
        return t;
    }

    private static float[] transposed(float[] m) {
        float[] t = new float[9];
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                t[i * 3 + j] = m[j * 3 + i];
            }
        }
        return t;
    }

    /**
     * Applies the colour decorrelation to a batch {@code [N, 3, H, W]} (no sigmoid): each pixel's
     * colour {@code c} becomes {@code c @ C^T}, computed as {@code C @ [N, 3, H*W]} on the planar
     * batch, so that no permuted copy is made in either direction (the permuted form cost as much
     * as a tenth of a ResNet-18 step).
     */
    public NDArray decorrelate(NDArray x) {
        if (colour == null) {
            return x;
        }
        Shape s = x.getShape();
        NDArray out = colour.matMul(x.reshape(s.get(0), 3, s.get(2) * s.get(3)));
        out.attach(x.getManager()); // a result belongs to its left operand's manager: the step's, not the run-long matrix's
        return out.reshape(s);
    }

    @Override
    public List<NDArray> leaves() {
        return inner.leaves();
    }

    @Override
    public NDArray render() {
        return Activation.sigmoid(decorrelate(inner.render()));
    }

    @Override
    public long[] shape() {
        return inner.shape();
    }
}

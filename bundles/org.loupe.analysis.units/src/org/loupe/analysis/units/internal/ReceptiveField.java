package org.loupe.analysis.units.internal;

import java.util.List;
import java.util.Random;

import org.loupe.core.model.Gradients;
import org.loupe.core.model.HookKind;
import org.loupe.core.model.HookPoint;
import org.loupe.core.model.HookedModel;
import org.loupe.core.model.Hooks;
import org.loupe.core.model.InputSpec;
import org.loupe.core.model.Range;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * The receptive field of a conv hook point's positions, in model-input pixels, computed from the
 * architecture itself: the input pixels that the centre position's activation depends on are
 * those with a non-zero gradient (taken over two random inputs, so that max pools and ReLUs do
 * not hide any: a pixel reaches the centre through every channel of every layer in between, and its
 * gradient is zero only where all of those paths are switched off on both inputs; ResNet-50's
 * {@code layer2}, {@code layer3} and {@code layer4} get the same fields from 2 inputs as from 8). The
 * pass stops at the hook point, so a shallow layer's field costs a shallow pass. Every position's field is the centre's, moved by the hook point's stride. Where
 * the centre's field lies inside the input, its middle also gives where map position 0 is centred
 * (padding shifts it); where the field is cut by the input's border, position {@code r} is taken
 * to be centred on the middle of its stride cell.
 *
 * @param halfHeight half the field's height, pixels
 * @param halfWidth  half the field's width, pixels
 * @param strideY    input pixels per map row
 * @param strideX    input pixels per map column
 * @param offsetY    the input row on which map row 0 is centred
 * @param offsetX    the input column on which map column 0 is centred
 * @param height     the model input's height
 * @param width      the model input's width
 */
public record ReceptiveField(double halfHeight, double halfWidth, double strideY, double strideX, double offsetY, double offsetX,
        int height, int width) {

    private static final int PROBES = 2;

    /** The field of {@code point}; the whole input for hook points that are not conv maps. */
    public static ReceptiveField of(HookedModel model, HookPoint point, NDManager manager) {
        InputSpec spec = model.inputSpec();
        int h = spec.height();
        int w = spec.width();
        if (point.kind() != HookKind.CONV_CHANNELS) {
            return new ReceptiveField(h / 2.0, w / 2.0, h, w, (h - 1) / 2.0, (w - 1) / 2.0, h, w);
        }
        int rows = (int) point.shape().get(1);
        int cols = (int) point.shape().get(2);
        double sy = (double) h / rows;
        double sx = (double) w / cols;
        int cy = rows / 2;
        int cx = cols / 2;
        try (NDManager m = manager.newSubManager()) {
            Random random = new Random(17);
            float[] data = new float[PROBES * spec.channels() * h * w];
            for (int i = 0; i < data.length; i++) {
                data[i] = (float) random.nextGaussian();
            }
            NDArray input = m.create(data, new Shape(PROBES, spec.channels(), h, w));
            // the pass stops at the hook point: nothing past it takes part in the gradient
            Gradients.Derivative g = Gradients.of(List.of(input), () -> model.forward(input, Hooks.cache(point.name()),
                    Range.until(point.name())).cache().get(point.name()).get(":, :, " + cy + ", " + cx).sum());
            float[] support = g.gradient(0).abs().sum(new int[] {0, 1}).toFloatArray();
            int top = h;
            int bottom = -1;
            int left = w;
            int right = -1;
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    if (support[y * w + x] > 0) {
                        top = Math.min(top, y);
                        bottom = Math.max(bottom, y);
                        left = Math.min(left, x);
                        right = Math.max(right, x);
                    }
                }
            }
            if (bottom < 0) {
                return new ReceptiveField(h / 2.0, w / 2.0, sy, sx, (sy - 1) / 2, (sx - 1) / 2, h, w);
            }
            double[] y = axis(top, bottom, h, cy, sy);
            double[] x = axis(left, right, w, cx, sx);
            return new ReceptiveField(y[0], x[0], sy, sx, y[1], x[1], h, w);
        }
    }

    /** Half the field's extent along one axis and where position 0 is centred, from the support {@code lo..hi} of position {@code c}. */
    private static double[] axis(int lo, int hi, int size, int c, double stride) {
        if (lo > 0 && hi < size - 1) {
            return new double[] {(hi - lo) / 2.0, (lo + hi) / 2.0 - c * stride};
        }
        double offset = (stride - 1) / 2;
        double centre = c * stride + offset;
        return new double[] {Math.max(centre - lo, hi - centre), offset};
    }

    /** The field's full height in pixels (before clipping to the image). */
    public int size() {
        return (int) Math.round(2 * halfHeight + 1);
    }

    /**
     * The field of map position {@code row, column}, clipped to the input: {@code [x0, y0, x1, y1]}
     * with {@code x0 <= x < x1}.
     */
    public int[] box(int row, int column) {
        if (strideY >= height && strideX >= width) {
            return new int[] {0, 0, width, height};
        }
        double centreY = row * strideY + offsetY;
        double centreX = column * strideX + offsetX;
        int y0 = Math.max(0, (int) Math.ceil(centreY - halfHeight - 1e-9));
        int y1 = Math.min(height, (int) Math.floor(centreY + halfHeight + 1e-9) + 1);
        int x0 = Math.max(0, (int) Math.ceil(centreX - halfWidth - 1e-9));
        int x1 = Math.min(width, (int) Math.floor(centreX + halfWidth + 1e-9) + 1);
        return new int[] {x0, y0, x1, y1};
    }
}

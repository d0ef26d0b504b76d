package org.loupe.analysis.attribution;

import java.util.Locale;
import java.util.Random;

import org.loupe.analysis.attribution.internal.Budget;
import org.loupe.analysis.attribution.internal.Tensors;
import org.loupe.core.model.HookedModel;
import org.loupe.core.model.Owned;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * SmoothGrad and its variants (Smilkov et al.; Captum's NoiseTunnel over Saliency): input
 * gradients at {@code samples} noisy copies of each image, Gaussian noise of standard deviation
 * {@code noise x (max - min)} of that image's input values, seeded. SmoothGrad averages the
 * gradients (map: largest absolute value over channels), SquareGrad averages their squares,
 * VarGrad takes their variance (maps: largest value over channels). Samples are batched under
 * the memory budget.
 *
 * @param variant  smoothgrad, squaregrad or vargrad
 * @param samples  noisy copies per image, at least 1
 * @param noise    the noise's standard deviation as a fraction of the input's range, >= 0
 * @param seed     the noise's seed
 * @param memoryMb the memory one pass may use
 *
 * @since 0.1
 */
public record NoiseTunnel(Variant variant, int samples, double noise, long seed, int memoryMb) implements InputAttribution, Batched {

    /** How the gradients of the noisy samples are combined. */
    public enum Variant {
        /** Their mean. */
        SMOOTHGRAD,
        /** The mean of their squares. */
        SQUAREGRAD,
        /** Their variance (mean of squares minus the squared mean). */
        VARGRAD;

        /** The variant called {@code id}; throws naming the variants if there is none. */
        public static Variant of(String id) {
            for (Variant v : values()) {
                if (v.name().equalsIgnoreCase(id.trim())) {
                    return v;
                }
            }
            throw new IllegalArgumentException("unknown variant '" + id + "'; use smoothgrad, squaregrad or vargrad");
        }

        /** The lower-case name. */
        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Checks the values. */
    public NoiseTunnel {
        if (samples < 1) {
            throw new IllegalArgumentException("SmoothGrad needs at least 1 sample, got " + samples);
        }
        if (!(noise >= 0)) {
            throw new IllegalArgumentException("the noise level must be >= 0 (a fraction of the input range, for example 0.2), got " + noise);
        }
    }

    @Override
    public String name() {
        return String.format(Locale.ROOT, "%s (%d samples, noise %.2f)", variant.id(), samples, noise);
    }

    @Override
    public NDArray attribute(HookedModel model, NDArray input, int[] classes, Progress progress) {
        long[] s = input.getShape().getShape();
        int n = (int) s[0];
        int per = (int) (input.size() / n);
        float[] x = input.toFloatArray();
        float[] sd = new float[n];
        for (int i = 0; i < n; i++) {
            float lo = Float.POSITIVE_INFINITY;
            float hi = Float.NEGATIVE_INFINITY;
            for (int k = 0; k < per; k++) {
                lo = Math.min(lo, x[i * per + k]);
                hi = Math.max(hi, x[i * per + k]);
            }
            sd[i] = (float) (noise * (hi - lo));
        }
        Random random = new Random(seed);
        int rows = rowsPerPass(model);
        long total = (long) samples * n;
        int passes = (int) ((total + rows - 1) / rows);
        NDArray[] sums = new NDArray[n];
        NDArray[] squareSums = new NDArray[n];
        // the (sample, image) rows in sample-major order (the order of the noise draws), cut into passes of `rows`
        for (int pass = 0; pass < passes; pass++) {
            long first = (long) pass * rows;
            int k = (int) (Math.min(total, first + rows) - first);
            float[] noisy = new float[k * per];
            int[] cls = new int[k];
            for (int r = 0; r < k; r++) {
                int i = (int) ((first + r) % n);
                cls[r] = classes[i];
                for (int e = 0; e < per; e++) {
                    noisy[r * per + e] = x[i * per + e] + (float) (random.nextGaussian() * sd[i]);
                }
            }
            try (NDManager m = input.getManager().newSubManager()) {
                NDArray batch = Owned.floats(m, noisy, new Shape(k, s[1], s[2], s[3]));
                NDArray g = Tensors.inputGradient(model, batch, cls);
                NDArray g2 = g.mul(g);
                for (int r = 0; r < k; r++) {
                    int i = (int) ((first + r) % n);
                    sums[i] = accumulate(sums[i], g.get(r), input);
                    squareSums[i] = accumulate(squareSums[i], g2.get(r), input);
                }
            }
            progress.passes(pass + 1, passes);
        }
        NDArray sum = NDArrays.stack(new NDList(sums));
        NDArray squares = NDArrays.stack(new NDList(squareSums));
        new NDList(sums).close();
        new NDList(squareSums).close();
        NDArray mean = sum.div(samples);
        NDArray meanSquare = squares.div(samples);
        sum.close();
        squares.close();
        return switch (variant) {
            case SMOOTHGRAD -> close(meanSquare, mean);
            case SQUAREGRAD -> close(mean, meanSquare);
            case VARGRAD -> {
                try (NDArray m2 = mean.mul(mean)) {
                    NDArray v = meanSquare.sub(m2);
                    mean.close();
                    meanSquare.close();
                    yield v;
                }
            }
        };
    }

    private static NDArray close(NDArray dropped, NDArray kept) {
        dropped.close();
        return kept;
    }

    /** {@code into + row}, in place; the first row is copied into the input's manager. */
    private static NDArray accumulate(NDArray into, NDArray row, NDArray input) {
        if (into == null) {
            NDArray copy = row.duplicate();
            copy.attach(input.getManager());
            return copy;
        }
        return into.addi(row);
    }

    @Override
    public int rowsPerPass(HookedModel model) {
        return Budget.rows(model, memoryMb, true);
    }

    @Override
    public Reduction reduction() {
        return variant == Variant.SMOOTHGRAD ? Reduction.MAX_ABS : Reduction.MAX;
    }
}

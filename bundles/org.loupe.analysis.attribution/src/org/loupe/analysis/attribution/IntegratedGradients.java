package org.loupe.analysis.attribution;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import org.loupe.analysis.attribution.internal.AffineStem;
import org.loupe.analysis.attribution.internal.Budget;
import org.loupe.analysis.attribution.internal.Tensors;
import org.loupe.core.model.HookedModel;
import org.loupe.core.model.Owned;
import org.loupe.core.model.Range;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * Integrated gradients (Sundararajan et al.), as Captum computes them: {@code (x - b) * sum_i w_i
 * grad f(b + a_i (x - b))} over the points {@code a_i} and weights {@code w_i} of the integration
 * {@link Rule}. The points of all images are batched into passes of as many rows as the memory
 * budget allows (Captum's {@code internal_batch_size}), so any number of steps runs in bounded
 * memory. The attributions sum to about {@code f(x) - f(b)} (completeness).
 *
 * <p>Where the network starts with an affine stem (ResNet's {@code conv1} and {@code bn1}, a ViT's
 * patch embedding; see {@code AffineStem}), the path is made at the stem's end and the passes start
 * there, and the summed gradient is pulled back through the stem once per image block: the same
 * attributions, without running the stem forward and backward for every point.
 *
 * @param steps    points along the path, at least 1 (2 for the trapezoid rule)
 * @param rule     how the path integral is approximated
 * @param baseline where the path starts
 * @param memoryMb the memory one pass may use
 *
 * @since 0.1
 */
public record IntegratedGradients(int steps, Rule rule, Baseline baseline, int memoryMb) implements InputAttribution, Batched {

    /** Checks the values. */
    public IntegratedGradients {
        if (steps < rule.minSteps()) {
            throw new IllegalArgumentException("integrated gradients need at least " + rule.minSteps() + " steps with " + rule.id()
                    + ", got " + steps);
        }
    }

    @Override
    public String name() {
        return String.format(Locale.ROOT, "integrated gradients (%d steps, %s, %s baseline)", steps, rule.id(), baseline.spec());
    }

    @Override
    public NDArray attribute(HookedModel model, NDArray input, int[] classes, Progress progress) {
        long[] s = input.getShape().getShape();
        int n = (int) s[0];
        double[][] points = rule.points(steps);
        int rows = rowsPerPass(model);
        int block = Math.min(n, rows);
        int perPass = Math.max(1, rows / block);
        int passes = ((n + block - 1) / block) * ((steps + perPass - 1) / perPass);
        int done = 0;
        NDManager manager = input.getManager();
        NDArray b = baseline.of(input, model.inputSpec());
        NDArray diff = input.sub(b);
        Optional<AffineStem> stem = AffineStem.of(model, manager);
        List<NDArray> parts = new ArrayList<>();
        for (int i0 = 0; i0 < n; i0 += block) {
            int bs = Math.min(block, n - i0);
            int[] cls = java.util.Arrays.copyOfRange(classes, i0, i0 + bs);
            NDArray bb = b.get("{}:{}", i0, i0 + bs);
            NDArray db = diff.get("{}:{}", i0, i0 + bs);
            // with an affine stem h, the path starts at its end: h(b + a (x - b)) = h(b) + a (h(x) - h(b))
            NDArray start;
            NDArray delta;
            Range range = Range.ALL;
            if (stem.isPresent()) {
                start = stem.get().apply(bb);
                NDArray xb = input.get("{}:{}", i0, i0 + bs);
                NDArray end = stem.get().apply(xb);
                delta = end.sub(start);
                new NDList(xb, end).close();
                range = Range.from(stem.get().end());
            } else {
                start = bb.duplicate();
                delta = db.duplicate();
            }
            long[] shape = start.getShape().getShape();
            NDArray acc = start.zerosLike();
            NDArray se = start.expandDims(0);
            NDArray de = delta.expandDims(0);
            for (int s0 = 0; s0 < steps; s0 += perPass) {
                int k = Math.min(perPass, steps - s0);
                float[] alpha = new float[k];
                float[] weight = new float[k];
                for (int j = 0; j < k; j++) {
                    alpha[j] = (float) points[0][s0 + j];
                    weight[j] = (float) points[1][s0 + j];
                }
                try (NDManager m = manager.newSubManager()) {
                    NDArray a = Owned.floats(m, alpha, column(k, shape.length));
                    NDArray path = a.mul(de).add(se).reshape(flattened(k, shape));
                    NDArray g = Tensors.gradient(model, path, range, Tensors.repeat(cls, k)).reshape(new Shape(k).addAll(new Shape(shape)));
                    NDArray w = Owned.floats(m, weight, column(k, shape.length));
                    acc.addi(w.mul(g).sum(new int[] {0}));
                }
                progress.passes(++done, passes);
            }
            // J^T sum_i w_i g_i: the stem's gradient, pulled back once for all points
            NDArray sum = stem.isPresent() ? stem.get().pullBack(acc, bb) : acc.duplicate();
            parts.add(sum.muli(db));
            new NDList(acc, se, de, start, delta, bb, db).close();
        }
        b.close();
        diff.close();
        if (parts.size() == 1) {
            return parts.get(0);
        }
        NDArray all = NDArrays.concat(new NDList(parts), 0);
        parts.forEach(NDArray::close);
        return all;
    }

    /** {@code [k, 1, 1, ...]}: one value per path point, broadcast over a batch of arrays of {@code rank} axes. */
    private static Shape column(int k, int rank) {
        long[] dims = new long[rank + 1];
        java.util.Arrays.fill(dims, 1);
        dims[0] = k;
        return new Shape(dims);
    }

    /** {@code [k, N, ...]} (a batch of path points per row of {@code shape}) flattened to {@code [k * N, ...]}. */
    private static Shape flattened(int k, long[] shape) {
        long[] dims = shape.clone();
        dims[0] *= k;
        return new Shape(dims);
    }

    @Override
    public int rowsPerPass(HookedModel model) {
        return Budget.rows(model, memoryMb, true);
    }

    @Override
    public Reduction reduction() {
        return Reduction.SUM;
    }
}

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
 * @param foldNorms whether the passes may fold batch norms into the convolutions before them
 *                  ({@code Gradients.folded}): about 10 % less time per pass on ResNets, the same
 *                  attributions to float rounding but not Captum's to the last digits
 *
 * @since 0.1
 */
public record IntegratedGradients(int steps, Rule rule, Baseline baseline, int memoryMb, boolean foldNorms)
        implements InputAttribution, Batched {

    /** Integrated gradients in PyTorch's order of operations (no folded batch norms). */
    public IntegratedGradients(int steps, Rule rule, Baseline baseline, int memoryMb) {
        this(steps, rule, baseline, memoryMb, false);
    }

    /** Checks the values. */
    public IntegratedGradients {
        if (steps < rule.minSteps()) {
            throw new IllegalArgumentException("integrated gradients need at least " + rule.minSteps() + " steps with " + rule.id()
                    + ", got " + steps);
        }
    }

    @Override
    public String name() {
        return String.format(Locale.ROOT, "integrated gradients (%d steps, %s, %s baseline%s)", steps, rule.id(), baseline.spec(),
                foldNorms ? ", batch norms folded" : "");
    }

    @Override
    public NDArray attribute(HookedModel model, NDArray input, int[] classes, Progress progress) {
        int n = (int) input.getShape().get(0);
        double[][] points = rule.points(steps);
        int rows = rowsPerPass(model);
        int passes = (int) (((long) n * steps + rows - 1) / rows);
        NDManager manager = input.getManager();
        Optional<AffineStem> stem = AffineStem.of(model, manager);
        try (NDManager run = manager.newSubManager()) {
            NDArray b = baseline.of(input, model.inputSpec());
            b.attach(run);
            NDArray diff = input.sub(b);
            diff.attach(run);
            // with an affine stem h, the path starts at its end: h(b + a (x - b)) = h(b) + a (h(x) - h(b))
            NDArray start = b;
            NDArray delta = diff;
            if (stem.isPresent()) {
                start = stem.get().apply(b);
                NDArray end = stem.get().apply(input);
                delta = end.sub(start);
                end.close();
                delta.attach(run);
            }
            NDArray[] starts = new NDArray[n];
            NDArray[] deltas = new NDArray[n];
            for (int i = 0; i < n; i++) {
                starts[i] = start.get("{}", i);
                deltas[i] = delta.get("{}", i);
            }
            Range range = stem.map(st -> Range.from(st.end())).orElse(Range.ALL);
            long[] shape = start.getShape().getShape();
            NDArray[] sums = new NDArray[n];
            // the (image, point) rows in image-major order, cut into passes of `rows`, as Captum's internal batches
            for (int pass = 0; pass < passes; pass++) {
                int first = pass * rows;
                int last = (int) Math.min((long) n * steps, (long) first + rows);
                try (NDManager m = run.newSubManager()) {
                    List<int[]> runs = new ArrayList<>();
                    NDList pathParts = new NDList();
                    int[] cls = new int[last - first];
                    for (int r = first; r < last;) {
                        int image = r / steps;
                        int s0 = r % steps;
                        int k = Math.min(steps - s0, last - r);
                        runs.add(new int[] {image, s0, k});
                        NDArray a = Owned.floats(m, alphas(points[0], s0, k), column(k, shape.length - 1));
                        pathParts.add(a.mul(deltas[image]).add(starts[image]));
                        java.util.Arrays.fill(cls, r - first, r - first + k, classes[image]);
                        r += k;
                    }
                    NDArray path = pathParts.size() == 1 ? pathParts.head() : NDArrays.concat(pathParts, 0);
                    NDArray g = Tensors.gradient(model, path, range, cls, foldNorms);
                    int offset = 0;
                    for (int[] piece : runs) {
                        int image = piece[0];
                        int k = piece[2];
                        NDArray w = Owned.floats(m, alphas(points[1], piece[1], k), column(k, shape.length - 1));
                        NDArray weighted = w.mul(g.get("{}:{}", offset, offset + k)).sum(new int[] {0});
                        if (sums[image] == null) {
                            weighted.attach(run);
                            sums[image] = weighted;
                        } else {
                            sums[image].addi(weighted);
                        }
                        offset += k;
                    }
                }
                progress.passes(pass + 1, passes);
            }
            NDArray sum = NDArrays.stack(new NDList(sums), 0);
            // J^T sum_i w_i g_i: the stem's gradient, pulled back once for all points
            NDArray atInput = stem.isPresent() ? stem.get().pullBack(sum, b) : sum;
            NDArray out = atInput.mul(diff);
            out.attach(manager);
            return out;
        }
    }

    private static float[] alphas(double[] values, int from, int count) {
        float[] out = new float[count];
        for (int j = 0; j < count; j++) {
            out[j] = (float) values[from + j];
        }
        return out;
    }

    /** {@code [k, 1, 1, ...]}: one value per path point, broadcast over arrays of {@code rank} axes. */
    private static Shape column(int k, int rank) {
        long[] dims = new long[rank + 1];
        java.util.Arrays.fill(dims, 1);
        dims[0] = k;
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

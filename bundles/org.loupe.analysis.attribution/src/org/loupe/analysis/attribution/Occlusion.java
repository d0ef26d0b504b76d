package org.loupe.analysis.attribution;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import org.loupe.analysis.attribution.internal.Budget;
import org.loupe.analysis.attribution.internal.IncrementalOcclusion;
import org.loupe.analysis.attribution.internal.Perturbed;
import org.loupe.analysis.attribution.internal.Tensors;
import org.loupe.core.model.HookedModel;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/**
 * Occlusion (Zeiler and Fergus), as Captum's {@code Occlusion} with a window over every channel:
 * a {@code window x window} square slides over the image by {@code stride} ({@code ceil((H - window)
 * / stride) + 1} positions a side, the last one cut at the border), is replaced by the baseline, and
 * each pixel gets the mean drop of the class logit over the windows that covered it. Needs no
 * gradients, so it works on black-box models. Many windows go through one forward pass, as many as
 * the memory budget allows. On CNNs the early feature maps are computed only on crops around each
 * window and the rest of the network from the last cropped hook point (the same scores as full
 * passes, checked on three windows before they are used; see {@code IncrementalOcclusion}).
 *
 * @param window   the square's side in input pixels, at least 1
 * @param stride   its step, at least 1
 * @param baseline what replaces the covered pixels
 * @param memoryMb the memory one pass may use
 *
 * @since 0.1
 */
public record Occlusion(int window, int stride, Baseline baseline, int memoryMb) implements InputAttribution, Batched {

    /** Checks the values. */
    public Occlusion {
        if (window < 1 || stride < 1) {
            throw new IllegalArgumentException("occlusion needs a window and a stride of at least 1 pixel, got window " + window + ", stride " + stride);
        }
    }

    @Override
    public String name() {
        return String.format(Locale.ROOT, "occlusion (%dx%d window, stride %d)", window, window, stride);
    }

    @Override
    public boolean needsGradients() {
        return false;
    }

    /** Window positions along a side of {@code size} pixels. */
    public int positions(int size) {
        if (window > size) {
            throw new IllegalArgumentException("the occlusion window (" + window + " pixels) is larger than the input (" + size
                    + " pixels); use a window of at most " + size);
        }
        return (size - window + stride - 1) / stride + 1;
    }

    @Override
    public NDArray attribute(HookedModel model, NDArray input, int[] classes, Progress progress) {
        long[] s = input.getShape().getShape();
        int n = (int) s[0];
        int c = (int) s[1];
        int h = (int) s[2];
        int w = (int) s[3];
        int ph = positions(h);
        int pw = positions(w);
        int total = ph * pw;
        int perPass = Math.min(total, rowsPerPass(model));
        int passes = n * ((total + perPass - 1) / perPass);
        int done = 0;
        float[] clean = Tensors.scores(model, input, classes);
        NDArray b = baseline.of(input, model.inputSpec());
        List<int[]> rects = new ArrayList<>();
        for (int p = 0; p < total; p++) {
            rects.add(rect(p, pw, h, w));
        }
        Optional<IncrementalOcclusion> plan = h == model.inputSpec().height() && w == model.inputSpec().width()
                ? IncrementalOcclusion.plan(model, rects, input.getManager())
                : Optional.empty();
        List<float[]> maps = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            double[] sum = new double[h * w];
            int[] count = new int[h * w];
            try (NDManager m = input.getManager().newSubManager()) {
                NDArray xi = input.get("{}:{}", i, i + 1);
                NDArray bi = b.get("{}:{}", i, i + 1);
                xi.attach(m);
                bi.attach(m);
                List<NDArray> cleanMaps = plan.map(p -> p.clean(xi)).orElse(null);
                if (i == 0 && plan.isPresent()) {
                    List<int[]> probe = List.of(rects.get(0), rects.get(total / 2), rects.get(total - 1));
                    if (!plan.get().matches(xi, bi, cleanMaps, probe, classes[i], false, Perturbed.scores(model, xi, bi, probe, classes[i], false))) {
                        plan = Optional.empty();
                    }
                }
                for (int p0 = 0; p0 < total; p0 += perPass) {
                    List<int[]> batch = rects.subList(p0, Math.min(total, p0 + perPass));
                    float[] scores = plan.isPresent() ? plan.get().scores(xi, bi, cleanMaps, batch, classes[i], false)
                            : Perturbed.scores(model, xi, bi, batch, classes[i], false);
                    for (int j = 0; j < batch.size(); j++) {
                        int[] r = batch.get(j);
                        double drop = clean[i] - scores[j];
                        for (int y = r[0]; y < r[1]; y++) {
                            for (int x = r[2]; x < r[3]; x++) {
                                sum[y * w + x] += drop;
                                count[y * w + x]++;
                            }
                        }
                    }
                    progress.passes(++done, passes);
                }
            }
            float[] map = new float[h * w];
            for (int k = 0; k < h * w; k++) {
                map[k] = count[k] == 0 ? 0 : (float) (sum[k] / count[k]);
            }
            maps.add(map);
        }
        b.close();
        return Perturbed.attribution(input.getManager(), maps, c, h, w);
    }

    /** Rows {@code [y0, y1)} and columns {@code [x0, x1)} of window position {@code p}. */
    private int[] rect(int p, int pw, int h, int w) {
        int y0 = (p / pw) * stride;
        int x0 = (p % pw) * stride;
        return new int[] {y0, Math.min(h, y0 + window), x0, Math.min(w, x0 + window)};
    }

    @Override
    public int rowsPerPass(HookedModel model) {
        return Budget.rows(model, memoryMb, false);
    }

    @Override
    public Reduction reduction() {
        return Reduction.MEAN;
    }
}

package org.loupe.analysis.attribution.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.loupe.core.model.Gradients;
import org.loupe.core.model.HookKind;
import org.loupe.core.model.HookPoint;
import org.loupe.core.model.HookedModel;
import org.loupe.core.model.Hooks;
import org.loupe.core.model.Owned;
import org.loupe.core.model.Range;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;

/**
 * Occlusion scores computed incrementally (as in Nakandala et al. 2019, "Incremental and
 * approximate inference for faster occlusion-based deep CNN explanations", exact here): an
 * occluding window changes only a patch of each early feature map, so those maps are computed on
 * crops around the patch and pasted into the clean image's maps; the rest of the network runs from
 * the last such map on the whole, patched activation.
 *
 * <p>The plan is a chain of resumable conv hook points, each a stage of the network taken from the
 * one before. Which cells of a stage's input a cell of its output depends on is measured, not
 * assumed: the support of the gradient of the output's centre cell with respect to a random input
 * of the stage (with a margin of one cell). The chain ends where a crop would cover the whole map,
 * where the dependency cannot be measured (it reaches the map's border) or where a stage does not
 * shrink the map by an integer stride (a Vision Transformer's plan is its patch embedding alone:
 * every token after it sees every patch); black-box models get no plan. {@link #matches} compares a few windows with full passes, so that a plan
 * whose measured geometry were wrong is never used.
 */
public final class IncrementalOcclusion {

    /** One stage along one axis: cell {@code c} of the output depends on input cells {@code lo + c*stride .. hi + c*stride}. */
    private record Axis(int size, int stride, int lo, int hi) {

        /** Output cells whose dependency meets input cells {@code [a0, a1]}. */
        int[] affected(int[] in) {
            int c0 = Math.max(0, Math.floorDiv(in[0] - hi + stride - 1, stride));
            int c1 = Math.min(size - 1, Math.floorDiv(in[1] - lo, stride));
            return new int[] {c0, c1};
        }

        /** Input cells that output cells {@code [c0, c1]} depend on, one cell more on each side. */
        int[] dependency(int[] out) {
            return new int[] {lo + out[0] * stride - 1, hi + out[1] * stride + 1};
        }
    }

    /** A stage: the pass from {@code from} (null: the input) up to {@code point}. */
    private record Stage(String from, String point, Axis y, Axis x, int inHeight, int inWidth, int cropHeight, int cropWidth) {

        boolean whole() {
            return cropHeight >= inHeight && cropWidth >= inWidth;
        }
    }

    private static final double TOLERANCE = 1e-4;

    private final HookedModel model;
    private final List<Stage> stages;

    private IncrementalOcclusion(HookedModel model, List<Stage> stages) {
        this.model = model;
        this.stages = stages;
    }

    /**
     * The plan for occluding the given windows of an input of the model's size, if the model has
     * stages to crop.
     *
     * @param rects every window's rows {@code [y0, y1)} and columns {@code [x0, x1)}: {@code {y0, y1, x0, x1}}
     */
    public static Optional<IncrementalOcclusion> plan(HookedModel model, List<int[]> rects, NDManager manager) {
        if (!model.hookable()) {
            return Optional.empty();
        }
        try {
            return chain(model, rects, manager);
        } catch (RuntimeException e) {
            // a model whose stages cannot run on crops, or whose probe fails: full passes, as without a plan
            return Optional.empty();
        }
    }

    private static Optional<IncrementalOcclusion> chain(HookedModel model, List<int[]> rects, NDManager manager) {
        int h = model.inputSpec().height();
        int w = model.inputSpec().width();
        List<Stage> stages = new ArrayList<>();
        String from = null;
        int inH = h;
        int inW = w;
        int channels = model.inputSpec().channels();
        for (HookPoint p : model.hookPoints()) {
            if (!p.resumable() || p.kind() != HookKind.CONV_CHANNELS || p.shape().dimension() != 3) {
                continue;
            }
            int outH = (int) p.shape().get(1);
            int outW = (int) p.shape().get(2);
            int ry = stride(inH, outH);
            int rx = stride(inW, outW);
            if (ry < 1 || rx < 1) {
                break;
            }
            Optional<int[][]> support = support(model, from, p.name(), channels, inH, inW, outH, outW, manager);
            if (support.isEmpty()) {
                break;
            }
            int[][] s = support.get();
            Axis ay = new Axis(outH, ry, s[0][0] - (outH / 2) * ry, s[0][1] - (outH / 2) * ry);
            Axis ax = new Axis(outW, rx, s[1][0] - (outW / 2) * rx, s[1][1] - (outW / 2) * rx);
            Stage probe = new Stage(from, p.name(), ay, ax, inH, inW, 0, 0);
            int[] crop = cropSize(stages, probe, rects);
            Stage stage = new Stage(from, p.name(), ay, ax, inH, inW, crop[0], crop[1]);
            if (stage.whole()) {
                break;
            }
            stages.add(stage);
            from = p.name();
            inH = outH;
            inW = outW;
            channels = (int) p.shape().get(0);
        }
        return stages.isEmpty() ? Optional.empty() : Optional.of(new IncrementalOcclusion(model, stages));
    }

    /** The stage's stride, or 0 if {@code out} cells cannot come from {@code in} by one. */
    private static int stride(int in, int out) {
        if (out < 1 || out > in) {
            return 0;
        }
        int r = Math.round((float) in / out);
        return r >= 1 && Math.abs(in - r * out) < r ? r : 0;
    }

    /**
     * The input cells (rows, then columns) the centre output cell of a stage depends on, or empty
     * if that support reaches the border of the stage's input (then it cannot be told from a
     * cut-off field).
     */
    private static Optional<int[][]> support(HookedModel model, String from, String point, int channels, int inH, int inW, int outH,
            int outW, NDManager manager) {
        try (NDManager m = manager.newSubManager()) {
            java.util.Random random = new java.util.Random(17);  // seeded here: the engine's generator stays untouched
            float[] data = new float[2 * channels * inH * inW];
            for (int i = 0; i < data.length; i++) {
                data[i] = (float) random.nextGaussian();
            }
            NDArray probe = Owned.floats(m, data, new Shape(2, channels, inH, inW));
            int cy = outH / 2;
            int cx = outW / 2;
            NDArray g = Gradients.of(List.of(probe),
                    () -> model.forward(probe, Hooks.none(), new Range(from, point)).output().get(new NDIndex(":, :, {}, {}", cy, cx)).sum())
                    .gradient(0);
            float[] mass = g.abs().sum(new int[] {0, 1}).toFloatArray();
            int top = inH;
            int bottom = -1;
            int left = inW;
            int right = -1;
            for (int y = 0; y < inH; y++) {
                for (int x = 0; x < inW; x++) {
                    if (mass[y * inW + x] > 0) {
                        top = Math.min(top, y);
                        bottom = Math.max(bottom, y);
                        left = Math.min(left, x);
                        right = Math.max(right, x);
                    }
                }
            }
            if (bottom < 0 || top == 0 || left == 0 || bottom == inH - 1 || right == inW - 1) {
                return Optional.empty();
            }
            return Optional.of(new int[][] {{top, bottom}, {left, right}});
        }
    }

    /**
     * The largest crop of the new stage's input any window needs, rounded up so that a crop ending
     * at the map's border starts on a multiple of the stride.
     */
    private static int[] cropSize(List<Stage> before, Stage stage, List<int[]> rects) {
        int ch = 0;
        int cw = 0;
        for (int[] r : rects) {
            int[][] a = affected(before, r);
            int[] dy = stage.y.dependency(stage.y.affected(a[0]));
            int[] dx = stage.x.dependency(stage.x.affected(a[1]));
            ch = Math.max(ch, extent(dy, stage.y.stride, stage.inHeight));
            cw = Math.max(cw, extent(dx, stage.x.stride, stage.inWidth));
        }
        return new int[] {align(ch, stage.y.stride, stage.inHeight), align(cw, stage.x.stride, stage.inWidth)};
    }

    /** The cells of the last stage's output (rows, columns) the window {@code r} changes; the window itself for no stages. */
    private static int[][] affected(List<Stage> stages, int[] r) {
        int[] ry = {r[0], r[1] - 1};
        int[] rx = {r[2], r[3] - 1};
        for (Stage s : stages) {
            ry = s.y.affected(ry);
            rx = s.x.affected(rx);
        }
        return new int[][] {ry, rx};
    }

    /** The length of the crop that holds {@code d}, starting on a multiple of the stride. */
    private static int extent(int[] d, int stride, int size) {
        int start = Math.floorDiv(Math.max(0, d[0]), stride) * stride;
        return Math.min(size - 1, d[1]) - start + 1;
    }

    /** {@code length} rounded up so that {@code size - length} is a multiple of the stride; the whole axis if that is not shorter. */
    private static int align(int length, int stride, int size) {
        int l = length + Math.floorMod(size - length, stride);
        return l >= size ? size : l;
    }

    /** Where the crop of length {@code length} holding {@code d} starts: on a multiple of the stride, inside the map. */
    private static int start(int[] d, int stride, int size, int length) {
        if (length >= size) {
            return 0;
        }
        int s = Math.floorDiv(Math.max(0, d[0]), stride) * stride;
        return Math.min(s, size - length);
    }

    /** The number of stages (hook points whose maps are cropped). */
    public int stages() {
        return stages.size();
    }

    /** The last cropped hook point: the rest of the network runs from it on whole maps. */
    public String resumePoint() {
        return stages.get(stages.size() - 1).point;
    }

    /** The clean image's activations at every stage, to pass to {@link #scores}; closed with {@code x}'s manager. */
    public List<NDArray> clean(NDArray x) {
        List<NDArray> out = new ArrayList<>();
        NDArray a = x;
        for (Stage s : stages) {
            a = model.forward(a, Hooks.none(), new Range(s.from, s.point)).output();
            out.add(a);
        }
        return out;
    }

    /**
     * The class score of {@code x} with each window replaced by the baseline.
     *
     * @param x     one image {@code [1, C, H, W]}
     * @param b     its baseline, same shape
     * @param clean {@link #clean} of {@code x}
     * @param rects each window's rows {@code [y0, y1)} and columns {@code [x0, x1)}: {@code {y0, y1, x0, x1}}
     */
    public float[] scores(NDArray x, NDArray b, List<NDArray> clean, List<int[]> rects, int cls, boolean softmax) {
        int k = rects.size();
        try (NDManager m = x.getManager().newSubManager()) {
            List<NDArray> computed = new ArrayList<>();
            int[][] ay = new int[k][];
            int[][] ax = new int[k][];
            for (int j = 0; j < k; j++) {
                int[] r = rects.get(j);
                ay[j] = new int[] {r[0], r[1] - 1};
                ax[j] = new int[] {r[2], r[3] - 1};
                computed.add(owned(m, b.get(new NDIndex(":, :, {}:{}, {}:{}", r[0], r[1], r[2], r[3]))));
            }
            for (int si = 0; si < stages.size(); si++) {
                Stage s = stages.get(si);
                NDArray source = si == 0 ? x : clean.get(si - 1);
                NDList crops = new NDList();
                int[][] ny = new int[k][];
                int[][] nx = new int[k][];
                int[] oy = new int[k];
                int[] ox = new int[k];
                for (int j = 0; j < k; j++) {
                    ny[j] = s.y.affected(ay[j]);
                    nx[j] = s.x.affected(ax[j]);
                    int y0 = start(s.y.dependency(ny[j]), s.y.stride, s.inHeight, s.cropHeight);
                    int x0 = start(s.x.dependency(nx[j]), s.x.stride, s.inWidth, s.cropWidth);
                    oy[j] = y0 / s.y.stride;
                    ox[j] = x0 / s.x.stride;
                    NDArray crop = owned(m, source.get(new NDIndex(":, :, {}:{}, {}:{}", y0, y0 + s.cropHeight, x0, x0 + s.cropWidth))).duplicate();
                    // the changed cells inside the crop: the window (first stage) or what the last stage computed
                    int py0 = Math.max(ay[j][0], y0);
                    int py1 = Math.min(ay[j][1] + 1, y0 + s.cropHeight);
                    int px0 = Math.max(ax[j][0], x0);
                    int px1 = Math.min(ax[j][1] + 1, x0 + s.cropWidth);
                    if (py0 < py1 && px0 < px1) {
                        NDArray part = owned(m, computed.get(j).get(new NDIndex(":, :, {}:{}, {}:{}", py0 - ay[j][0], py1 - ay[j][0],
                                px0 - ax[j][0], px1 - ax[j][0])));
                        crop.set(new NDIndex(":, :, {}:{}, {}:{}", py0 - y0, py1 - y0, px0 - x0, px1 - x0), part);
                    }
                    crops.add(crop);
                }
                NDArray batch = crops.size() == 1 ? crops.get(0) : NDArrays.concat(crops, 0);
                NDArray out = model.forward(batch, Hooks.none(), new Range(s.from, s.point)).output();
                List<NDArray> next = new ArrayList<>();
                for (int j = 0; j < k; j++) {
                    next.add(owned(m, out.get(new NDIndex("{}:{}, :, {}:{}, {}:{}", j, j + 1, ny[j][0] - oy[j], ny[j][1] + 1 - oy[j],
                            nx[j][0] - ox[j], nx[j][1] + 1 - ox[j]))));
                    ay[j] = ny[j];
                    ax[j] = nx[j];
                }
                computed = next;
            }
            NDArray whole = owned(m, clean.get(stages.size() - 1).repeat(0, k));
            for (int j = 0; j < k; j++) {
                whole.set(new NDIndex("{}:{}, :, {}:{}, {}:{}", j, j + 1, ay[j][0], ay[j][1] + 1, ax[j][0], ax[j][1] + 1), computed.get(j));
            }
            NDArray logits = model.forward(whole, Hooks.none(), Range.from(resumePoint())).output().reshape(k, -1);
            if (softmax) {
                logits = logits.softmax(1);
            }
            int[] classes = new int[k];
            java.util.Arrays.fill(classes, cls);
            return Tensors.selected(logits, classes).toFloatArray();
        }
    }

    private static NDArray owned(NDManager m, NDArray a) {
        a.attach(m);
        return a;
    }

    /** Whether this plan's scores of the given windows equal those of full passes (the check before a plan is used). */
    public boolean matches(NDArray x, NDArray b, List<NDArray> clean, List<int[]> rects, int cls, boolean softmax, float[] full) {
        float[] mine;
        try {
            mine = scores(x, b, clean, rects, cls, softmax);
        } catch (RuntimeException e) {
            return false;
        }
        double scale = 1;
        for (float f : full) {
            scale = Math.max(scale, Math.abs(f));
        }
        for (int j = 0; j < full.length; j++) {
            if (!(Math.abs(mine[j] - full[j]) <= TOLERANCE * scale)) {
                return false;
            }
        }
        return true;
    }
}

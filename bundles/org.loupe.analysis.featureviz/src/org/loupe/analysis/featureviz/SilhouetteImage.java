package org.loupe.analysis.featureviz;

import java.util.List;
import java.util.Random;

import org.loupe.core.model.Owned;
import org.loupe.core.model.Scalars;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;

/**
 * A silhouette: one object of one colour on a background of another, its outline a smooth closed
 * curve, with an optional hole. For models trained on single objects (the demo models on Loupe
 * Shapes), whose class logits a free image satisfies with texture: the optimiser can only move the
 * outline, so what it finds is the shape the class wants. Values are in [0, 1] already (no
 * {@link ValidRgb}).
 *
 * <p>On an image of side {@code S} (lengths scale with {@code s = S / 64}), around the centre
 * {@code (S/2 + 6s tanh c_x, S/2 + 6s tanh c_y)}, a pixel at distance {@code rho} and angle
 * {@code theta} is inside the outline when {@code rho < r(theta) = 4s + 24s sigmoid(r0 + sum_k a_k
 * cos k theta + b_k sin k theta)}, {@code k = 1..K} ({@link #HARMONICS} by default: with 8 the
 * demo ViT's outlines grew spikes and read less as their classes): the mask is
 * {@code sigmoid((r - rho) / 0.7s)}.
 * The hole is a disc of radius {@code 10s exp(h_r)} at {@code 8s tanh h} from the centre, cut out
 * with weight {@code sigmoid(g)}. The image is {@code bg + (fg - bg) mask * (1 - hole)} with colours
 * {@code sigmoid(fg)}, {@code sigmoid(bg)}. The leaves start at a disc of radius 16s with the hole
 * closed ({@code g = -3}) and random colours, one light and one dark.
 *
 * @since 0.1
 */
public final class SilhouetteImage implements ImageParam {

    /** Harmonics of the outline that {@link #initial} gives. */
    public static final int HARMONICS = 5;

    private final NDArray a;
    private final NDArray b;
    private final NDArray r0;
    private final NDArray centre;
    private final NDArray hole;
    private final NDArray holeRadius;
    private final NDArray gate;
    private final NDArray fg;
    private final NDArray bg;
    private final NDArray xs;
    private final NDArray ys;
    private final int side;
    private final float s;

    /**
     * Takes the leaves (not copied): {@code a}, {@code b} {@code [N, K]}, {@code r0} {@code [N]},
     * {@code centre} {@code [N, 2]}, {@code hole} {@code [N, 2]}, {@code holeRadius}, {@code gate}
     * {@code [N]}, {@code fg}, {@code bg} {@code [N, 3]}, for images of {@code side x side}.
     */
    public SilhouetteImage(NDArray a, NDArray b, NDArray r0, NDArray centre, NDArray hole, NDArray holeRadius, NDArray gate, NDArray fg,
            NDArray bg, int side) {
        long n = a.getShape().get(0);
        if (a.getShape().dimension() != 2 || !b.getShape().equals(a.getShape()) || fg.getShape().get(0) != n || fg.getShape().get(1) != 3) {
            throw new IllegalArgumentException("a silhouette's outline is [N, K] twice and its colours [N, 3], got " + a.getShape() + ", "
                    + b.getShape() + " and " + fg.getShape());
        }
        this.a = a;
        this.b = b;
        this.r0 = r0;
        this.centre = centre;
        this.hole = hole;
        this.holeRadius = holeRadius;
        this.gate = gate;
        this.fg = fg;
        this.bg = bg;
        this.side = side;
        this.s = side / 64f;
        float[] x = new float[side * side];
        float[] y = new float[side * side];
        for (int i = 0; i < side; i++) {
            for (int j = 0; j < side; j++) {
                x[i * side + j] = j + 0.5f;
                y[i * side + j] = i + 0.5f;
            }
        }
        NDManager m = a.getManager();
        this.xs = Owned.floats(m, x, new Shape(1, side, side));
        this.ys = Owned.floats(m, y, new Shape(1, side, side));
    }

    /** A disc with random colours (one light, one dark), for {@code batch} images. */
    public static SilhouetteImage initial(NDManager manager, int batch, int side, Random random) {
        float[] fg = Noise.gaussian(random, batch * 3, 0.5);
        float[] bg = Noise.gaussian(random, batch * 3, 0.5);
        for (int i = 0; i < fg.length; i++) {
            fg[i] += 1;
            bg[i] -= 1;
        }
        float[] closed = new float[batch];
        java.util.Arrays.fill(closed, -3);
        Shape outline = new Shape(batch, HARMONICS);
        return new SilhouetteImage(manager.zeros(outline), manager.zeros(outline), manager.zeros(new Shape(batch)),
                manager.zeros(new Shape(batch, 2)),
                manager.zeros(new Shape(batch, 2)), manager.zeros(new Shape(batch)), Owned.floats(manager, closed, new Shape(batch)),
                Owned.floats(manager, fg, new Shape(batch, 3)), Owned.floats(manager, bg, new Shape(batch, 3)), side);
    }

    @Override
    public List<NDArray> leaves() {
        return List.of(a, b, r0, centre, hole, holeRadius, gate, fg, bg);
    }

    @Override
    public NDArray render() {
        long n = a.getShape().get(0);
        // every product starts from a leaf, so that it belongs to the step's manager (see Visualizer)
        NDArray cx = Scalars.add(Scalars.mul(centre.get(":, 0").tanh(), 6 * s), side / 2f).reshape(n, 1, 1);
        NDArray cy = Scalars.add(Scalars.mul(centre.get(":, 1").tanh(), 6 * s), side / 2f).reshape(n, 1, 1);
        NDArray dx = cx.sub(xs).neg();
        NDArray dy = cy.sub(ys).neg();
        NDArray rho = Scalars.add(dx.square().add(dy.square()), 1e-6).sqrt();
        NDArray cos1 = dx.div(rho);
        NDArray sin1 = dy.div(rho);
        NDArray arg = r0.reshape(n, 1, 1);
        NDArray cosK = cos1;
        NDArray sinK = sin1;
        for (int k = 0; k < a.getShape().get(1); k++) {
            if (k > 0) {
                // cos (k+1)t = cos kt cos t - sin kt sin t; sin (k+1)t = sin kt cos t + cos kt sin t
                NDArray c = cosK.mul(cos1).sub(sinK.mul(sin1));
                NDArray sn = sinK.mul(cos1).add(cosK.mul(sin1));
                cosK = c;
                sinK = sn;
            }
            arg = arg.add(a.get(":, " + k).reshape(n, 1, 1).mul(cosK)).add(b.get(":, " + k).reshape(n, 1, 1).mul(sinK));
        }
        NDArray radius = Scalars.add(Scalars.mul(Activation.sigmoid(arg), 24 * s), 4 * s);
        NDArray inside = Activation.sigmoid(Scalars.div(radius.sub(rho), 0.7 * s));
        NDArray hx = cx.add(Scalars.mul(hole.get(":, 0").tanh(), 8 * s).reshape(n, 1, 1));
        NDArray hy = cy.add(Scalars.mul(hole.get(":, 1").tanh(), 8 * s).reshape(n, 1, 1));
        NDArray hxd = hx.sub(xs);
        NDArray hyd = hy.sub(ys);
        NDArray hd = Scalars.add(hxd.square().add(hyd.square()), 1e-6).sqrt();
        NDArray hr = Scalars.mul(holeRadius.exp(), 10 * s).reshape(n, 1, 1);
        NDArray cut = Activation.sigmoid(Scalars.div(hr.sub(hd), 0.7 * s)).mul(Activation.sigmoid(gate).reshape(n, 1, 1));
        NDArray mask = Scalars.rsub(1, cut).mul(inside).reshape(n, 1, side, side);
        NDArray lo = Activation.sigmoid(bg).reshape(n, 3, 1, 1);
        NDArray hi = Activation.sigmoid(fg).reshape(n, 3, 1, 1);
        return hi.sub(lo).mul(mask).add(lo);
    }

    @Override
    public long[] shape() {
        return new long[] {a.getShape().get(0), 3, side, side};
    }
}

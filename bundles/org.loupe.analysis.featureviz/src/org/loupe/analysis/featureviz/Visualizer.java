package org.loupe.analysis.featureviz;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import org.loupe.core.images.RasterImage;
import org.loupe.core.images.TensorOps;
import org.loupe.core.model.Gradients;
import org.loupe.core.model.HookPoint;
import org.loupe.core.model.HookedModel;
import org.loupe.core.model.Hooks;
import org.loupe.core.model.InputSpec;
import org.loupe.core.model.ModelOutput;
import org.loupe.core.model.Owned;
import org.loupe.core.model.Range;
import org.loupe.djl.Resampling;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * The optimisation loop of feature visualisation (Lucent's {@code render_vis}): each step renders
 * the parameterisation, applies the transforms, resizes to the model's input (bilinear, corners
 * aligned, as Lucent upsamples), normalises, runs the model only up to the deepest hook point the
 * objective reads, and takes one Adam step up the objective's gradient. Every random draw comes
 * from the {@link Random} given to {@link #run}, so a seed reproduces a run bit for bit on one
 * machine. Temporaries of a step are freed when the step ends.
 *
 * @since 0.1
 */
public final class Visualizer {

    /**
     * How long and how fast to optimise.
     *
     * @param steps        optimisation steps (Lucent: 512)
     * @param learningRate Adam's learning rate (Lucent: 0.05)
     * @param previewEvery a preview every this many steps (0: none)
     */
    public record Settings(int steps, double learningRate, int previewEvery) {

        /** Validates. */
        public Settings {
            if (steps < 1) {
                throw new IllegalArgumentException("steps must be at least 1, got " + steps);
            }
            if (!(learningRate > 0)) {
                throw new IllegalArgumentException("the learning rate must be > 0, got " + learningRate);
            }
        }

        /** Lucent's settings: 512 steps, learning rate 0.05. */
        public static Settings lucent() {
            return new Settings(512, Adam.LUCENT_LR, 0);
        }
    }

    /** Told about each step (on the optimising thread). */
    public interface Listener {

        /** Step {@code step} (1-based) reached objective {@code value} (before its update). */
        void step(int step, double value);

        /** The images as they are after step {@code step}. */
        default void preview(int step, List<RasterImage> images) {
        }
    }

    /**
     * What a run produced.
     *
     * @param images       the final images, one per batch row
     * @param pixels       the final image batch, planar {@code [N, C, H, W]} in [0, 1]
     * @param values       the objective's value at each step
     * @param transparency the accumulated {@code |d objective / d image|} per row, planar
     *                     {@code [N, C, H, W]}, or null if it was not asked for
     * @param tracked      the value at each step of each objective given to {@link #tracking}, in
     *                     that order (none if nothing is tracked)
     */
    public record Outcome(List<RasterImage> images, float[] pixels, double[] values, float[] transparency, double[][] tracked) {

        /** What a run that tracked nothing produced. */
        public Outcome(List<RasterImage> images, float[] pixels, double[] values, float[] transparency) {
            this(images, pixels, values, transparency, new double[0][]);
        }
    }

    private final HookedModel model;
    private final Objective objective;
    private final Transform transform;
    private final String stop;
    private final List<Objective> tracked;

    /**
     * A visualiser of {@code objective} on {@code model} with {@code transform} applied each step.
     *
     * @throws IllegalArgumentException if the objective reads no hook point
     */
    public Visualizer(HookedModel model, Objective objective, Transform transform) {
        this(model, objective, transform, List.of());
    }

    private Visualizer(HookedModel model, Objective objective, Transform transform, List<Objective> tracked) {
        this.model = model;
        this.objective = objective;
        this.transform = transform;
        this.stop = deepest(model, objective);
        this.tracked = List.copyOf(tracked);
        for (Objective o : this.tracked) {
            if (indexOf(model.hookPoints(), deepest(model, o)) > indexOf(model.hookPoints(), stop)) {
                throw new IllegalArgumentException("the tracked objective '" + o.describe() + "' reads past " + stop
                        + ", where the forward pass stops");
            }
        }
    }

    /**
     * The same visualiser that also records, at every step, the value of each of {@code objectives}
     * on the same transformed batch (the parts of a batched objective, one curve per unit of a
     * gallery); they read no hook point past the objective's deepest.
     */
    public Visualizer tracking(List<Objective> objectives) {
        return new Visualizer(model, objective, transform, objectives);
    }

    /** The hook point the forward pass stops after: the deepest one the objective reads. */
    public String stopAfter() {
        return stop;
    }

    private static String deepest(HookedModel model, Objective objective) {
        if (objective.layers().isEmpty()) {
            throw new IllegalArgumentException("the objective '" + objective.describe() + "' reads no hook point (only image penalties); "
                    + "add a unit to maximise, such as relu3:5");
        }
        List<HookPoint> points = model.hookPoints();
        return objective.layers().stream().max(Comparator.comparingInt(n -> indexOf(points, n))).orElseThrow();
    }

    private static int indexOf(List<HookPoint> points, String name) {
        for (int i = 0; i < points.size(); i++) {
            if (points.get(i).name().equals(name)) {
                return i;
            }
        }
        throw new IllegalArgumentException("the model has no hook point '" + name + "'");
    }

    /**
     * Optimises {@code param}'s leaves in place.
     *
     * @param random       every random draw of the transforms
     * @param transparency whether to accumulate {@code |d objective / d image|} (MaCo's transparency map)
     * @param listener     told about every step and given the previews
     * @param checkCanceled run before every step; throws to stop the run
     * @throws IllegalStateException if the objective stops being a finite number
     */
    public Outcome run(ImageParam param, Settings settings, Random random, boolean transparency, Listener listener, Runnable checkCanceled) {
        NDManager owner = param.leaves().get(0).getManager();
        Adam adam = new Adam(param.leaves(), settings.learningRate());
        long[] shape = param.shape();
        NDArray probe = transparency ? owner.zeros(new Shape(shape)) : null;
        NDArray mass = transparency ? owner.zeros(new Shape(shape)) : null;
        List<NDArray> leaves = new ArrayList<>(param.leaves());
        if (probe != null) {
            leaves.add(probe);
        }
        List<NDArray> persistent = new ArrayList<>(adam.state());
        if (probe != null) {
            persistent.add(probe);
            persistent.add(mass);
        }
        double[] values = new double[settings.steps()];
        double[][] curves = new double[tracked.size()][settings.steps()];
        NDArray[] parts = new NDArray[tracked.size()];
        for (int step = 1; step <= settings.steps(); step++) {
            checkCanceled.run();
            double progress = settings.steps() == 1 ? 0 : (step - 1) / (double) (settings.steps() - 1);
            Transform.Draws draws = new Transform.Draws(random, progress);
            try (NDManager s = owner.newSubManager()) {
                for (NDArray a : persistent) {
                    a.tempAttach(s); // what the step derives from them is freed with the step
                }
                Gradients.Derivative d = Gradients.ofFolded(leaves, () -> {
                    NDArray image = param.render();
                    if (probe != null) {
                        image = image.add(probe);
                    }
                    Activations acts = forward(image, transform, draws);
                    for (int i = 0; i < parts.length; i++) {
                        parts[i] = tracked.get(i).value(acts);
                    }
                    return objective.value(acts).neg();
                });
                values[step - 1] = -d.value().getFloat();
                for (int i = 0; i < parts.length; i++) {
                    curves[i][step - 1] = parts[i].getFloat();
                }
                if (!Double.isFinite(values[step - 1])) {
                    throw new IllegalStateException("the optimisation diverged: the objective became " + values[step - 1] + " at step " + step
                            + " of " + settings.steps() + "; try param=pixel, fewer steps or a smaller learning rate");
                }
                adam.step(d.gradients().subList(0, param.leaves().size()));
                if (mass != null) {
                    mass.addi(d.gradients().get(leaves.size() - 1).abs());
                }
                listener.step(step, values[step - 1]);
                if (settings.previewEvery() > 0 && step % settings.previewEvery() == 0 && step < settings.steps()) {
                    listener.preview(step, images(param.render()));
                }
            }
        }
        try (NDManager s = owner.newSubManager()) {
            for (NDArray a : persistent) {
                a.tempAttach(s);
            }
            NDArray image = param.render();
            return new Outcome(images(image), image.toFloatArray(), values, mass == null ? null : mass.toFloatArray(), curves);
        }
    }

    /** The activations the objective reads, for an image batch in [0, 1] after {@code draws}' transforms. */
    private Activations forward(NDArray image, Transform t, Transform.Draws draws) {
        InputSpec spec = model.inputSpec();
        NDArray x = t.apply(image, draws);
        x = Resampling.bilinearAligned(x, spec.height(), spec.width());
        x = TensorOps.normalise(x, spec.normalization());
        String[] others = Stream.concat(objective.layers().stream(), tracked.stream().flatMap(o -> o.layers().stream()))
                .filter(n -> !n.equals(stop)).distinct().toArray(String[]::new);
        ModelOutput out = model.forward(x, others.length == 0 ? Hooks.none() : Hooks.cache(others), Range.until(stop));
        return new Activations() {
            @Override
            public NDArray layer(String name) {
                return name.equals(stop) ? out.output() : out.cache().get(name);
            }

            @Override
            public NDArray image() {
                return image;
            }
        };
    }

    /**
     * The value of each of {@code objectives} on {@code pixels} (planar {@code [N, C, H, W]} in [0,
     * 1]) without transforms: what the final images reach.
     */
    public double[] evaluate(NDManager manager, float[] pixels, long[] shape, List<Objective> objectives) {
        try (NDManager s = manager.newSubManager()) {
            NDArray image = Owned.floats(s, pixels, new Shape(shape));
            Activations a = forward(image, Transform.none(), new Transform.Draws(new Random(0), 1));
            double[] v = new double[objectives.size()];
            for (int i = 0; i < v.length; i++) {
                v[i] = objectives.get(i).value(a).getFloat();
            }
            return v;
        }
    }

    private static List<RasterImage> images(NDArray batch) {
        long[] s = batch.getShape().getShape();
        float[] all = batch.toFloatArray();
        int per = (int) (s[1] * s[2] * s[3]);
        List<RasterImage> out = new ArrayList<>();
        for (int n = 0; n < s[0]; n++) {
            float[] one = new float[per];
            System.arraycopy(all, n * per, one, 0, per);
            out.add(RasterImage.fromPlanar(one, (int) s[1], (int) s[2], (int) s[3]));
        }
        return out;
    }
}

package org.loupe.analysis.attribution.tests;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.loupe.analysis.attribution.Baseline;
import org.loupe.analysis.attribution.IntegratedGradients;
import org.loupe.analysis.attribution.Progress;
import org.loupe.analysis.attribution.Rule;
import org.loupe.core.model.HookedModel;
import org.loupe.core.model.Hooks;
import org.loupe.djl.LoupeEngine;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/**
 * Integrated gradients are complete: the attributions of an image sum to {@code f(x) - f(baseline)}
 * within 1 % at 64 steps, and Gauss-Legendre comes closer than the trapezoid rule at equal steps.
 */
class CompletenessTest {

    @TempDir
    Path dir;

    @Test
    void attributionsSumToTheOutputDifference() throws Exception {
        Fixture f = new Fixture(dir);
        String images = f.randomImages("imgs", 4, 16, 9).toString();
        try (HookedModel net = f.registry.openModel(Fixture.oracleModel().toString(), null); NDManager m = LoupeEngine.get().newBaseManager()) {
            NDArray x = f.input(m, net, images);
            int[] classes = {0, 1, 2, 3};
            for (String spec : new String[] {"black", "blurred:2"}) {
                Baseline baseline = Baseline.parse(spec);
                double[] diff = outputDifference(net, x, baseline.of(x, net.inputSpec()), classes);
                double gl64 = error(net, x, classes, new IntegratedGradients(64, Rule.GAUSS_LEGENDRE, baseline, 64), diff);
                double tr64 = error(net, x, classes, new IntegratedGradients(64, Rule.RIEMANN_TRAPEZOID, baseline, 64), diff);
                System.out.printf("IG completeness, %s baseline, 64 steps: Gauss-Legendre %.3e, trapezoid %.3e (relative error, worst image)%n",
                        spec, gl64, tr64);
                assertTrue(gl64 < 0.01, spec + ": Gauss-Legendre at 64 steps misses completeness by " + gl64);
                assertTrue(tr64 < 0.01, spec + ": trapezoid at 64 steps misses completeness by " + tr64);
                for (int steps : new int[] {4, 8, 16}) {
                    double gl = error(net, x, classes, new IntegratedGradients(steps, Rule.GAUSS_LEGENDRE, baseline, 64), diff);
                    double tr = error(net, x, classes, new IntegratedGradients(steps, Rule.RIEMANN_TRAPEZOID, baseline, 64), diff);
                    System.out.printf("IG completeness, %s baseline, %d steps: Gauss-Legendre %.3e, trapezoid %.3e%n", spec, steps, gl, tr);
                    assertTrue(gl < tr, spec + ", " + steps + " steps: Gauss-Legendre (" + gl + ") should be closer than the trapezoid rule (" + tr + ")");
                }
            }
        }
    }

    /** {@code f(x) - f(b)} of each image's class. */
    private static double[] outputDifference(HookedModel net, NDArray x, NDArray b, int[] classes) {
        float[] fx = net.forward(x, Hooks.none()).output().toFloatArray();
        float[] fb = net.forward(b, Hooks.none()).output().toFloatArray();
        int k = fx.length / classes.length;
        double[] out = new double[classes.length];
        for (int i = 0; i < classes.length; i++) {
            out[i] = fx[i * k + classes[i]] - fb[i * k + classes[i]];
        }
        return out;
    }

    /** The worst relative completeness error over the images. */
    private static double error(HookedModel net, NDArray x, int[] classes, IntegratedGradients ig, double[] diff) throws Exception {
        float[] a = ig.attribute(net, x, classes, Progress.NONE).toFloatArray();
        int per = a.length / classes.length;
        double worst = 0;
        for (int i = 0; i < classes.length; i++) {
            double sum = 0;
            for (int e = 0; e < per; e++) {
                sum += a[i * per + e];
            }
            worst = Math.max(worst, Math.abs(sum - diff[i]) / Math.abs(diff[i]));
        }
        return worst;
    }
}

package org.loupe.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import org.loupe.core.model.Gradients;
import org.loupe.core.model.HookPoint;
import org.loupe.core.model.HookedModel;
import org.loupe.core.model.Hooks;
import org.loupe.djl.LoupeEngine;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * Times forward passes and forward+input-gradient passes of a model, for {@code loupe bench}: the
 * same work the benchmark scripts in {@code bench/} time in PyTorch. Prints one JSON line per
 * measurement: median and minimum milliseconds per pass and the process's peak resident memory.
 */
final class Bench {

    /**
     * What to measure.
     *
     * @param batch      images per pass
     * @param gradient   whether to back-propagate the sum of the outputs to the input
     * @param cacheAll   whether every hook point is recorded (the full activation cache)
     * @param warmup     passes before timing
     * @param iterations timed passes
     */
    record Config(int batch, boolean gradient, boolean cacheAll, int warmup, int iterations) {
    }

    private Bench() {
    }

    /** Runs the measurement and returns its JSON line. */
    static String measure(HookedModel model, Config c) throws IOException {
        var spec = model.inputSpec();
        Hooks hooks = c.cacheAll() ? Hooks.cacheAll() : Hooks.none();
        double[] ms = new double[c.iterations()];
        long faultsBefore = 0;
        try (NDManager m = LoupeEngine.get().newBaseManager()) {
            m.getEngine().setRandomSeed(0);
            NDArray input = m.randomNormal(new Shape(c.batch(), spec.channels(), spec.height(), spec.width()));
            for (int i = 0; i < c.warmup() + c.iterations(); i++) {
                if (i == c.warmup()) {
                    faultsBefore = minorFaults();
                }
                long t0 = System.nanoTime();
                try (NDManager step = m.newSubManager()) {
                    NDArray x = input.duplicate();
                    x.attach(step);
                    if (c.gradient()) {
                        Gradients.Result g = Gradients.backward(model, x, hooks, out -> out.output().sum());
                        g.inputGradient().getFloat(0, 0, 0, 0);
                    } else {
                        NDArray out = model.forward(x, hooks).output();
                        out.getFloat(0, 0);
                    }
                }
                if (i >= c.warmup()) {
                    ms[i - c.warmup()] = (System.nanoTime() - t0) / 1e6;
                }
            }
        }
        long faultsPerPass = faultsBefore < 0 ? -1 : (minorFaults() - faultsBefore) / c.iterations();
        double[] sorted = ms.clone();
        Arrays.sort(sorted);
        double median = sorted.length % 2 == 1 ? sorted[sorted.length / 2] : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
        return String.format(Locale.ROOT,
                "{\"model\": \"%s\", \"architecture\": \"%s\", \"hook_points\": %d, \"batch\": %d, \"mode\": \"%s\", \"cache\": \"%s\", "
                        + "\"iterations\": %d, \"median_ms\": %.2f, \"min_ms\": %.2f, \"peak_rss_mb\": %d, \"page_faults_per_pass\": %d, \"threads\": \"%s\"}",
                model.info().id(), model.info().architecture(), model.hookPoints().size(), c.batch(), c.gradient() ? "forward+grad" : "forward",
                c.cacheAll() ? "all" : "none", c.iterations(), median, sorted[0], peakRssMb(), faultsPerPass, System.getProperty("loupe.threads", "default"));
    }

    /** The number of values the full activation cache holds for one image. */
    static long cacheElements(HookedModel model) {
        long n = 0;
        for (HookPoint p : model.hookPoints()) {
            n += p.shape().size();
        }
        return n;
    }

    /** The process's peak resident memory (VmHWM) in MB, or -1 where /proc is not available. */
    static long peakRssMb() throws IOException {
        Path status = Path.of("/proc/self/status");
        if (!Files.exists(status)) {
            return -1;
        }
        for (String line : Files.readAllLines(status)) {
            if (line.startsWith("VmHWM:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
            }
        }
        return -1;
    }

    /**
     * The process's minor page faults so far (field 10 of /proc/self/stat), or -1 where /proc is
     * not available: fresh pages a pass touches cost time, so the benchmark reports them per pass.
     */
    static long minorFaults() throws IOException {
        Path stat = Path.of("/proc/self/stat");
        if (!Files.exists(stat)) {
            return -1;
        }
        String text = Files.readString(stat);
        // the command name (field 2) is in parentheses and may contain spaces: count from after it
        String[] fields = text.substring(text.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(fields[7]);
    }

    /** Parses a comma-separated list of positive integers. */
    static List<Integer> ints(String text, String option) throws Cli.UsageException {
        List<Integer> out = new ArrayList<>();
        for (String s : text.split(",")) {
            try {
                int v = Integer.parseInt(s.trim());
                if (v < 1) {
                    throw new NumberFormatException();
                }
                out.add(v);
            } catch (NumberFormatException e) {
                throw new Cli.UsageException(option + " takes positive integers separated by commas, got '" + text + "'");
            }
        }
        return out;
    }
}

package org.loupe.cli.internal;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import org.loupe.core.model.Gradients;
import org.loupe.core.model.HookedModel;
import org.loupe.core.model.Hooks;
import org.loupe.djl.LoupeEngine;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * Times forward passes and forward+input-gradient passes of a model, for {@code loupe bench}: the
 * same work the benchmark scripts in {@code bench/} time in PyTorch. Several contestants (the
 * model with and without the activation cache, an anchor model such as the same network in
 * TorchScript) are timed in turns, one pass each, so that a slow spell of the machine falls on all
 * of them alike. Prints one JSON line per contestant: median and minimum milliseconds per pass,
 * minor page faults per pass and the process's peak resident memory.
 */
final class Bench {

    /**
     * One thing to time.
     *
     * @param role     {@code model} or {@code anchor}, printed first in its JSON line
     * @param model    the model
     * @param cacheAll whether every hook point is recorded (the full activation cache)
     */
    record Contestant(String role, HookedModel model, boolean cacheAll) {
    }

    /**
     * What to measure.
     *
     * @param batch      images per pass
     * @param gradient   whether to back-propagate the sum of the outputs to the input
     * @param warmup     passes of each contestant before timing
     * @param iterations timed passes of each contestant
     */
    record Config(int batch, boolean gradient, int warmup, int iterations) {
    }

    private Bench() {
    }

    /** Times the contestants in turns on the same random input; returns a JSON line for each. */
    static List<String> measure(List<Contestant> contestants, Config c) throws IOException {
        var spec = contestants.get(0).model().inputSpec();
        int n = contestants.size();
        double[][] ms = new double[n][c.iterations()];
        long[] faults = new long[n];
        try (NDManager m = LoupeEngine.get().newBaseManager()) {
            m.getEngine().setRandomSeed(0);
            NDArray input = m.randomNormal(new Shape(c.batch(), spec.channels(), spec.height(), spec.width()));
            for (int i = 0; i < c.warmup() + c.iterations(); i++) {
                for (int k = 0; k < n; k++) {
                    long faults0 = minorFaults();
                    long t0 = System.nanoTime();
                    pass(contestants.get(k), input, c.gradient());
                    if (i >= c.warmup()) {
                        ms[k][i - c.warmup()] = (System.nanoTime() - t0) / 1e6;
                        faults[k] += minorFaults() - faults0;
                    }
                }
            }
        }
        List<String> lines = new ArrayList<>();
        for (int k = 0; k < n; k++) {
            Contestant t = contestants.get(k);
            double[] sorted = ms[k].clone();
            Arrays.sort(sorted);
            double median = sorted.length % 2 == 1 ? sorted[sorted.length / 2] : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
            lines.add(String.format(Locale.ROOT,
                    "{\"role\": \"%s\", \"model\": \"%s\", \"architecture\": \"%s\", \"hook_points\": %d, \"batch\": %d, \"mode\": \"%s\", "
                            + "\"cache\": \"%s\", \"contestants\": %d, \"iterations\": %d, \"median_ms\": %.2f, \"min_ms\": %.2f, "
                            + "\"peak_rss_mb\": %d, \"page_faults_per_pass\": %d, \"threads\": \"%s\"}",
                    t.role(), t.model().info().id(), t.model().info().architecture(), t.model().hookPoints().size(), c.batch(),
                    c.gradient() ? "forward+grad" : "forward", t.cacheAll() ? "all" : "none", n, c.iterations(), median, sorted[0],
                    peakRssMb(), faults[k] / c.iterations(), System.getProperty("loupe.threads", "default")));
        }
        return lines;
    }

    /**
     * Passes on demand, for a driver that alternates them with another process's (so that the two
     * never compete for the cores and a slow spell of the machine falls on both): prints
     * {@code ready}, then for each line read runs one pass and prints
     * {@code {"ms": M, "page_faults": F}}; stops at {@code quit} or the end of input.
     */
    static void paced(Contestant t, int batch, boolean gradient, BufferedReader in, PrintStream out) throws IOException {
        var spec = t.model().inputSpec();
        try (NDManager m = LoupeEngine.get().newBaseManager()) {
            m.getEngine().setRandomSeed(0);
            NDArray input = m.randomNormal(new Shape(batch, spec.channels(), spec.height(), spec.width()));
            out.println("ready");
            out.flush();
            for (String line = in.readLine(); line != null && !line.strip().equals("quit"); line = in.readLine()) {
                long faults0 = minorFaults();
                long t0 = System.nanoTime();
                pass(t, input, gradient);
                out.printf(Locale.ROOT, "{\"ms\": %.3f, \"page_faults\": %d}%n", (System.nanoTime() - t0) / 1e6, minorFaults() - faults0);
                out.flush();
            }
        }
    }

    /** One pass on a copy of {@code input}, everything it makes freed before it returns. */
    private static void pass(Contestant t, NDArray input, boolean gradient) {
        Hooks hooks = t.cacheAll() ? Hooks.cacheAll() : Hooks.none();
        try (NDManager step = input.getManager().newSubManager()) {
            NDArray x = input.duplicate();
            x.attach(step);
            if (gradient) {
                Gradients.Result g = Gradients.backward(t.model(), x, hooks, out -> out.output().sum());
                g.inputGradient().getFloat(0, 0, 0, 0);
            } else {
                NDArray out = t.model().forward(x, hooks).output();
                out.getFloat(0, 0);
            }
        }
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
}

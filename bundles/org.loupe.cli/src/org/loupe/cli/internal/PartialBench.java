package org.loupe.cli.internal;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.UnaryOperator;

import org.loupe.core.model.HookedModel;
import org.loupe.core.model.Hooks;
import org.loupe.core.model.Range;
import org.loupe.djl.LoupeEngine;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * Times partial forward passes, for {@code loupe bench --stop-after P} and {@code --from P}: the
 * model's pass over the {@link Range}, the model's full forward pass, and, with {@code --anchor}, a
 * TorchScript module that computes the same part of the network (bench/make_partial_models.py
 * traces them). As in {@link Bench}, they take turns, one pass each, recording nothing. A pass
 * from P takes P's activation for a random image batch (computed once by the model before timing);
 * the full pass takes that image batch. Prints one JSON line per contestant; the anchor's line also
 * gives how far its output is from the model's, relative to the output's scale, so that a table
 * never compares different work.
 */
final class PartialBench {

    /**
     * A partial-pass benchmark.
     *
     * @param model      the opened model
     * @param anchor     the TorchScript archive of the same part of the network, or null
     * @param range      the part to time
     * @param batches    batch sizes, one measurement each
     * @param warmup     passes of each contestant before timing
     * @param iterations timed passes of each contestant
     */
    record Request(HookedModel model, String anchor, Range range, List<Integer> batches,
            int warmup, int iterations) {
    }

    /** One thing to time: a pass on its own input. */
    private record Contestant(String engine, String model, String part, NDArray input, UnaryOperator<NDArray> pass) {
    }

    private PartialBench() {
    }

    /** Runs the benchmark and prints its JSON lines; returns the exit code. */
    static int run(PrintStream out, Request r) throws IOException {
        HookedModel model = r.model();
        try (TorchScriptModule anchor = r.anchor() != null ? TorchScriptModule.load(Path.of(r.anchor())) : null) {
            String anchorName = r.anchor() != null ? Path.of(r.anchor()).getFileName().toString() : null;
            for (int batch : r.batches()) {
                for (String line : measure(model, anchor, anchorName, r.range(), batch, r.warmup(), r.iterations())) {
                    out.println(line);
                }
            }
        }
        return 0;
    }

    private static List<String> measure(HookedModel model, TorchScriptModule anchor, String anchorName, Range range, int batch,
            int warmup, int iterations) throws IOException {
        var spec = model.inputSpec();
        String part = describe(range);
        try (NDManager m = LoupeEngine.get().newBaseManager()) {
            m.getEngine().setRandomSeed(0);
            NDArray image = m.randomNormal(new Shape(batch, spec.channels(), spec.height(), spec.width()));
            NDArray input;
            NDArray expected;
            try {
                input = range.from() == null ? image : model.forward(image, Hooks.none(), Range.until(range.from())).output();
                expected = model.forward(input, Hooks.none(), range).output();
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(e.getMessage());
            }
            List<Contestant> contestants = new ArrayList<>();
            contestants.add(new Contestant("loupe", model.info().id(), part, input, x -> model.forward(x, Hooks.none(), range).output()));
            contestants.add(new Contestant("loupe", model.info().id(), "all", image, x -> model.forward(x, Hooks.none()).output()));
            double difference = Double.NaN;
            if (anchor != null) {
                difference = relativeDifference(anchor.run(input), expected, anchorName, part);
                contestants.add(new Contestant("djl-torchscript", anchorName, part, input, anchor::run));
            }
            int n = contestants.size();
            double[][] ms = new double[n][iterations];
            long[] faults = new long[n];
            for (int i = 0; i < warmup + iterations; i++) {
                for (int k = 0; k < n; k++) {
                    long faults0 = Bench.minorFaults();
                    long t0 = System.nanoTime();
                    pass(contestants.get(k));
                    if (i >= warmup) {
                        ms[k][i - warmup] = (System.nanoTime() - t0) / 1e6;
                        faults[k] += Bench.minorFaults() - faults0;
                    }
                }
            }
            List<String> lines = new ArrayList<>();
            for (int k = 0; k < n; k++) {
                Contestant c = contestants.get(k);
                double[] sorted = ms[k].clone();
                Arrays.sort(sorted);
                double median = (sorted[(iterations - 1) / 2] + sorted[iterations / 2]) / 2;
                lines.add(String.format(Locale.ROOT,
                        "{\"engine\": \"%s\", \"model\": \"%s\", \"part\": \"%s\", \"batch\": %d, \"input\": \"%s\", \"contestants\": %d, "
                                + "\"iterations\": %d, \"median_ms\": %.2f, \"min_ms\": %.2f, \"page_faults_per_pass\": %d, "
                                + "\"peak_rss_mb\": %d, \"threads\": \"%s\"%s}",
                        c.engine(), c.model(), c.part(), batch, c.input().getShape(), n, iterations, median, sorted[0],
                        faults[k] / iterations, Bench.peakRssMb(), System.getProperty("loupe.threads", "default"),
                        c.engine().equals("loupe") ? "" : String.format(Locale.ROOT, ", \"relative_difference\": %.2g", difference)));
            }
            return lines;
        }
    }

    /** One pass on a handle of the contestant's input (no copy), everything it makes freed before it returns. */
    private static void pass(Contestant c) {
        try (NDManager step = c.input().getManager().newSubManager()) {
            NDArray x = c.input().reshape(c.input().getShape());
            x.attach(step);
            NDArray out = c.pass().apply(x);
            out.getFloat(new long[out.getShape().dimension()]);
        }
    }

    /**
     * The anchor's largest difference from the model's output, relative to the output's scale (at
     * least 1).
     *
     * @throws IllegalArgumentException if the anchor's output has another shape: it computes another part of the network
     */
    private static double relativeDifference(NDArray anchorOut, NDArray expected, String anchorName, String part) {
        if (!anchorOut.getShape().equals(expected.getShape())) {
            throw new IllegalArgumentException("--anchor " + anchorName + " gives an output of shape " + anchorOut.getShape() + ", the model's pass ("
                    + part + ") " + expected.getShape() + ": the anchor must compute the same part of the network");
        }
        double scale = Math.max(1, expected.abs().max().getFloat());
        return anchorOut.sub(expected).abs().max().getFloat() / scale;
    }

    private static String describe(Range range) {
        if (range.from() == null) {
            return "until " + range.stopAfter();
        }
        return range.stopAfter() == null ? "from " + range.from() : "from " + range.from() + " until " + range.stopAfter();
    }
}

package org.loupe.cli.internal;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import org.loupe.core.analysis.AnalysisException;
import org.loupe.core.analysis.Selection;
import org.loupe.core.model.HookedModel;
import org.loupe.core.model.InputSpec;
import org.loupe.core.model.ModelLoadException;
import org.loupe.core.model.Range;
import org.loupe.core.run.AnalysisRequest;
import org.loupe.core.run.AnalysisRunner;
import org.loupe.djl.internal.Profiler;


import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code loupe bench}: times passes of a model, optionally in turns with an anchor model (see {@link Bench}). */
@Command(name = "bench", separator = " ", usageHelpWidth = 100, descriptionHeading = "%n", optionListHeading = "%nOptions:%n",
        sortOptions = false, sortSynopsis = false,
        description = {"Times forward and forward+gradient passes (see bench/README.md).",
                "Times passes on random input of the model's size and prints one JSON line per measurement: median and "
                + "minimum milliseconds per pass, minor page faults per pass, and the process's peak resident memory (VmHWM). "
                + "--mode grad back-propagates the sum of the outputs to the input; --cache all records every hook point. With "
                + "--anchor (a model of the same input size, such as the same network as TorchScript), the model under each "
                + "--cache setting and the anchor take turns, one pass each, so that the machine's slow spells fall on all of "
                + "them alike. --stop-after P and/or --from P time a partial pass, the full pass and the anchor (a TorchScript module "
                + "of the same part) in turns. Set threads with LOUPE_VMARGS=-Dloupe.threads=N."})
final class BenchCommand implements Callable<Integer> {

    private final Env env;

    @Spec
    CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "M", description = "built-in model id or model file")
    String model;

    @Option(names = "--anchor", paramLabel = "A", description = "a model of the same input size to take turns with")
    String anchor;

    @Option(names = "--batch", paramLabel = "N", split = ",", description = "images per pass, one or more (default: ${DEFAULT-VALUE})")
    List<Integer> batches = new ArrayList<>(List.of(1));

    @Option(names = "--mode", paramLabel = "MODE", split = ",", description = "forward and/or grad (default: ${DEFAULT-VALUE})")
    List<String> modes = new ArrayList<>(List.of("forward"));

    @Option(names = "--cache", paramLabel = "CACHE", split = ",", description = "none and/or all hook points recorded (default: ${DEFAULT-VALUE})")
    List<String> caches = new ArrayList<>(List.of("none"));

    @Option(names = "--warmup", paramLabel = "N", description = "untimed passes of each contestant first (default: ${DEFAULT-VALUE})")
    int warmup = 3;

    @Option(names = "--iterations", paramLabel = "N", description = "timed passes of each contestant (default: ${DEFAULT-VALUE})")
    int iterations = 10;

    @Option(names = "--stop-after", paramLabel = "P", description = "time a pass that stops after hook point P (the anchor: a TorchScript "
            + "module of the same part)")
    String stopAfter;

    @Option(names = "--from", paramLabel = "P", description = "time a pass that starts at hook point P, given P's activation of random images "
            + "(the anchor: a TorchScript module of the rest)")
    String from;

    @Option(names = "--profile", paramLabel = "FILE", description = "write libtorch's operator profile of the timed and warm-up passes "
            + "to FILE (a Chrome trace: a JSON array of events; not with --paced, --analysis, --stop-after or --from)")
    Path profile;

    @Option(names = "--paced", description = "for a driver that alternates with another process (bench/paired.py): print 'ready', "
            + "then take one pass per line read from standard input and print its milliseconds, until 'quit' or the end of input")
    boolean paced;

    @Option(names = "--analysis", paramLabel = "ID", description = "time an analysis end to end instead (its computation, without saving the "
            + "run), with --image and --param as for 'loupe run'")
    String analysis;

    @Option(names = "--image", paramLabel = "SPEC", description = "with --analysis: the images it reads")
    String image;

    @Option(names = "--param", paramLabel = "KEY=VALUE", parameterConsumer = ParamSplitter.class, hideParamSyntax = true, description = "with --analysis: its parameters")
    Map<String, String> params = new LinkedHashMap<>();

    @Mixin
    HelpOption help;

    BenchCommand(Env env) {
        this.env = env;
    }

    @Override
    public Integer call() throws ModelLoadException, IOException {
        for (int b : batches) {
            positive("--batch", b);
        }
        positive("--warmup", warmup);
        positive("--iterations", iterations);
        oneOf("--mode", modes, List.of("forward", "grad"));
        oneOf("--cache", caches, List.of("none", "all"));
        if (profile != null && (paced || analysis != null || stopAfter != null || from != null)) {
            throw new ParameterException(spec.commandLine(), "--profile goes with plain passes: drop --paced, --analysis, --stop-after and --from");
        }
        if (paced) {
            if (anchor != null || stopAfter != null || from != null || analysis != null || batches.size() != 1 || modes.size() != 1
                    || caches.size() != 1) {
                throw new ParameterException(spec.commandLine(),
                        "--paced times one kind of pass: give one --batch, --mode and --cache, and no --anchor, --stop-after, --from or --analysis");
            }
            try (HookedModel m = Models.open(env, spec.commandLine(), "--model", model)) {
                Bench.paced(new Bench.Contestant("model", m, caches.get(0).equals("all")), batches.get(0), modes.get(0).equals("grad"),
                        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)), env.out());
                return 0;
            }
        }
        if (analysis != null) {
            if (anchor != null || stopAfter != null || from != null || !modes.equals(List.of("forward")) || !caches.equals(List.of("none"))
                    || !batches.equals(List.of(1))) {
                throw new ParameterException(spec.commandLine(), "--analysis times the analysis as it runs: drop --anchor, --stop-after, --from, "
                        + "--mode, --cache and --batch (give the images with --image and the batch size with --param)");
            }
            try (HookedModel m = Models.open(env, spec.commandLine(), "--model", model)) {
                env.out().println(timeAnalysis(m));
            } catch (AnalysisException e) {
                throw new ParameterException(spec.commandLine(), e.getMessage());
            }
            return 0;
        }
        if (image != null || !params.isEmpty()) {
            throw new ParameterException(spec.commandLine(), "--image and --param go with --analysis");
        }
        if (stopAfter != null || from != null) {
            if (!modes.equals(List.of("forward")) || !caches.equals(List.of("none"))) {
                throw new ParameterException(spec.commandLine(),
                        "--stop-after and --from time forward passes that record nothing: drop --mode and --cache");
            }
            try (HookedModel m = Models.open(env, spec.commandLine(), "--model", model)) {
                return PartialBench.run(env.out(),
                        new PartialBench.Request(m, anchor, new Range(from, stopAfter), batches, warmup, iterations));
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), e.getMessage());
            }
        }
        try (HookedModel m = Models.open(env, spec.commandLine(), "--model", model);
                HookedModel a = anchor == null ? null : Models.open(env, spec.commandLine(), "--anchor", anchor)) {
            List<Bench.Contestant> contestants = new ArrayList<>();
            for (String cache : caches) {
                contestants.add(new Bench.Contestant("model", m, cache.equals("all")));
            }
            if (a != null) {
                InputSpec ai = a.inputSpec();
                InputSpec mi = m.inputSpec();
                if (ai.channels() != mi.channels() || ai.height() != mi.height() || ai.width() != mi.width()) {
                    throw new ParameterException(spec.commandLine(), "--anchor must take the input size of --model: " + size(ai) + " vs "
                            + size(mi));
                }
                contestants.add(new Bench.Contestant("anchor", a, false));
            }
            Runnable all = () -> {
                for (int batch : batches) {
                    for (String mode : modes) {
                        try {
                            Bench.measure(contestants, new Bench.Config(batch, mode.equals("grad"), warmup, iterations)).forEach(env.out()::println);
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    }
                }
            };
            try {
                if (profile == null) {
                    all.run();
                } else {
                    Profiler.profile(profile, all);
                }
            } catch (UncheckedIOException e) {
                throw e.getCause();
            }
        }
        return 0;
    }

    /** Warm-up and timed runs of the analysis; one JSON line with the median and minimum milliseconds per run. */
    private String timeAnalysis(HookedModel m) throws AnalysisException {
        AnalysisRunner runner = new AnalysisRunner(env.registry(), null);
        AnalysisRequest request = new AnalysisRequest(analysis, m, new Selection(null, null, image), params, AnalysisRequest.DEFAULT_SEED);
        for (int i = 0; i < warmup; i++) {
            runner.compute(request, null);
        }
        double[] ms = new double[iterations];
        for (int i = 0; i < iterations; i++) {
            long t0 = System.nanoTime();
            runner.compute(request, null);
            ms[i] = (System.nanoTime() - t0) / 1e6;
        }
        Arrays.sort(ms);
        double median = iterations % 2 == 1 ? ms[iterations / 2] : (ms[iterations / 2 - 1] + ms[iterations / 2]) / 2;
        return String.format(java.util.Locale.ROOT, "{\"role\": \"analysis\", \"model\": %s, \"analysis\": %s, \"image\": %s, \"params\": %s, "
                + "\"iterations\": %d, \"median_ms\": %.2f, \"min_ms\": %.2f}", json(m.info().name()), json(analysis), json(image == null ? "" : image),
                json(params.toString()), iterations, median, ms[0]);
    }

    private static String json(String s) {
        return '"' + s.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }

    private static String size(InputSpec s) {
        return s.channels() + "x" + s.height() + "x" + s.width();
    }

    private void positive(String option, int value) {
        if (value < 1) {
            throw new ParameterException(spec.commandLine(), option + " takes positive integers, got " + value);
        }
    }

    private void oneOf(String option, List<String> given, List<String> allowed) {
        for (String g : given) {
            if (!allowed.contains(g)) {
                throw new ParameterException(spec.commandLine(), option + " takes " + String.join(" and/or ", allowed) + ", got '" + g + "'"
                        + UsageErrors.didYouMean(g, allowed, List.of()));
            }
        }
    }
}

package org.loupe.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

import org.eclipse.core.runtime.OperationCanceledException;
import org.loupe.core.analysis.Analysis;
import org.loupe.core.analysis.AnalysisException;
import org.loupe.core.analysis.ParamSpec;
import org.loupe.core.analysis.ParameterBinder;
import org.loupe.core.analysis.Selection;
import org.loupe.core.images.ImageSourceFactory;
import org.loupe.core.model.HookPoint;
import org.loupe.core.model.HookedModel;
import org.loupe.core.model.ModelLoadException;
import org.loupe.core.registry.AnalysisDescriptor;
import org.loupe.core.registry.BuiltinModelDescriptor;
import org.loupe.core.registry.ImageSourceDescriptor;
import org.loupe.core.registry.LoaderDescriptor;
import org.loupe.core.registry.LoupeRegistry;
import org.loupe.core.result.Run;
import org.loupe.core.run.AnalysisRequest;
import org.loupe.core.run.AnalysisRunner;
import org.loupe.core.store.Locations;
import org.loupe.core.store.RunStore;
import org.loupe.render.Exporter;
import org.loupe.djl.EngineStartException;

/**
 * Loupe's command line: {@code list}, {@code run}, {@code help}, {@code version}. Results go to the
 * run store (so the workbench shows them) and are exported to {@code --out}. Exit codes: 0 success,
 * 1 failure (a model that cannot be opened, an analysis that fails), 2 a wrong command line.
 */
public final class Cli {

    /** Exit code of success. */
    public static final int OK = 0;
    /** Exit code of a failed model load or analysis. */
    public static final int FAILED = 1;
    /** Exit code of a wrong command line. */
    public static final int USAGE = 2;

    private final PrintStream out;
    private final PrintStream err;
    private final LoupeRegistry registry;

    /** A command line writing to {@code out} (results) and {@code err} (progress, errors). */
    public Cli(PrintStream out, PrintStream err) {
        this(out, err, new LoupeRegistry());
    }

    /** A command line using {@code registry}. */
    public Cli(PrintStream out, PrintStream err, LoupeRegistry registry) {
        this.out = out;
        this.err = err;
        this.registry = registry;
    }

    /** Usage error with a message for the user. */
    static final class UsageException extends Exception {
        private static final long serialVersionUID = 1L;

        UsageException(String message) {
            super(message);
        }
    }

    /** Runs one command line; returns the exit code. */
    public int run(String... args) {
        List<String> a = new ArrayList<>(List.of(args));
        try {
            if (a.isEmpty() || a.get(0).equals("--help") || a.get(0).equals("-h") || a.get(0).equals("help")) {
                String topic = a.size() > 1 ? a.get(1) : "";
                out.print(topic.equals("run") ? RUN_HELP : topic.equals("list") ? LIST_HELP : topic.equals("bench") ? BENCH_HELP : topic.equals("train") ? TRAIN_HELP : HELP);
                return OK;
            }
            String command = a.remove(0);
            return switch (command) {
                case "list" -> list(a);
                case "run" -> run(a);
                case "bench" -> bench(a);
                case "train" -> train(a);
                case "version", "--version" -> {
                    out.println("Loupe " + version());
                    yield OK;
                }
                default -> throw new UsageException("unknown command '" + command + "'; commands: list, run, bench, train, help, version");
            };
        } catch (UsageException e) {
            err.println("loupe: " + e.getMessage());
            err.println("Try 'loupe --help'.");
            return USAGE;
        } catch (ModelLoadException | AnalysisException e) {
            err.println("loupe: " + e.getMessage());
            return FAILED;
        } catch (EngineStartException e) {
            err.println("loupe: " + e.getMessage());
            return FAILED;
        } catch (OperationCanceledException e) {
            err.println("loupe: cancelled");
            return FAILED;
        } catch (IOException e) {
            err.println("loupe: " + e.getMessage());
            return FAILED;
        } catch (RuntimeException e) {
            // a bug in Loupe or a plugin: say so, with the trace to report, instead of dying silently
            err.println("loupe: internal error, please report it with the trace below: " + e);
            e.printStackTrace(err);
            return FAILED;
        }
    }

    static final String HELP = """
            Usage: loupe [COMMAND] [OPTIONS]

            Without a command, opens the Loupe workbench on the built-in demo model.

            Commands:
              list [--model M]         list model loaders, built-in models, analyses and image sources;
                                       with --model, the model's hook points with kinds and shapes
              run ANALYSIS --model M --out DIR [options]
                                       run an analysis headless; the result goes to the run store and DIR
              bench --model M [options] time forward and forward+gradient passes (see bench/README.md)
              train MODEL --out DIR    train a demo model on Loupe Shapes (see docs/demo-models.md)
              help [COMMAND]           show help (also: COMMAND --help, loupe run ANALYSIS --help)
              version                  print the version

            Models (M) are built-in ids (see 'loupe list') or files: a sequential-CNN .json with its
            .safetensors/.npz weights.
            """;

    static final String LIST_HELP = """
            Usage: loupe list [--model M]

            Lists, with id and description: model loaders, built-in models, analyses (with the hook-point
            kinds they apply to) and image sources. With --model, opens the model and lists its hook points
            in forward order with kind and shape (for an input of the model's size).
            """;

    static final String BENCH_HELP = """
            Usage: loupe bench --model M [--anchor A] [--batch 1,16] [--mode forward,grad] [--cache none,all]
                               [--warmup 3] [--iterations 10]
                               [--stop-after P] [--from P]

            Times passes on random input of the model's size and prints one JSON line per measurement:
            median and minimum milliseconds per pass, minor page faults per pass, and the process's peak
            resident memory (VmHWM). --mode grad back-propagates the sum of the outputs to the input;
            --cache all records every hook point. With --anchor (a model of the same input size, such as
            the same network as TorchScript), the model under each --cache setting and the anchor take
            turns, one pass each, so that the machine's slow spells fall on all of them alike. Set threads
            with LOUPE_VMARGS=-Dloupe.threads=N. --stop-after P and/or --from P time a partial forward pass
            against the full one and an --anchor TorchScript module of the same part (bench/run_partial.sh).
            """;

    static final String TRAIN_HELP = """
            Usage: loupe train demo-cnn|demo-vit --out DIR [--epochs N] [--images N] [--batch N] [--lr X] [--seed N]
                               [--test-images N]

            Trains a demo model on Loupe Shapes, generating fresh training images every epoch, and writes
            DIR/MODEL.json, DIR/MODEL.safetensors and DIR/MODEL.training.json (settings, every epoch, the
            held-out accuracy on the test split). The defaults reproduce the built-in demo models.
            """;

    static final String RUN_HELP = """
            Usage: loupe run ANALYSIS --model M --out DIR [options]

            Options:
              --model M          built-in model id or model file (required)
              --layer L          hook point to analyse (see 'loupe list --model M')
              --unit N           unit at the hook point: channel, feature, head or class
              --image SPEC       an image file, a folder, or an image source such as noise:count=16
              --param KEY=VALUE  an analysis parameter (repeat for several); 'loupe run ANALYSIS --help' lists them
              --seed N           seed for anything random (default 0)
              --out DIR          where to write run.json, PNG and CSV files (must be new or empty)
              --runs DIR         run store to save into (default: the workbench's, ~/.local/share/loupe/runs)
              --no-store         do not save the run in the run store
            """;

    private int list(List<String> a) throws UsageException, ModelLoadException {
        Map<String, String> opts = options(a, List.of("--model"), List.of(), "list");
        if (opts.containsKey("--help")) {
            out.print(LIST_HELP);
            return OK;
        }
        if (opts.containsKey("--model")) {
            try (HookedModel model = registry.openModel(opts.get("--model"), new ConsoleMonitor(err))) {
                var info = model.info();
                out.printf("%s (%s), %,d parameters, sha256 %s%n", info.name(), info.architecture(), info.parameterCount(),
                        info.contentHash().substring(0, Math.min(12, info.contentHash().length())));
                out.printf("input: %s%n", model.inputSpec().describe());
                out.printf("%d hook points:%n", model.hookPoints().size());
                for (HookPoint p : model.hookPoints()) {
                    out.printf("  %-28s %-10s %s%n", p.name(), p.kind().id(), p.shape());
                }
            }
            return OK;
        }
        out.println("Model loaders:");
        for (LoaderDescriptor d : registry.loaders()) {
            out.printf("  %-28s %s [.%s]%n", d.id(), d.description().isEmpty() ? d.name() : d.description(), String.join(", .", d.fileExtensions()));
        }
        out.println("Built-in models:");
        for (BuiltinModelDescriptor d : registry.builtinModels()) {
            out.printf("  %-28s %s%s%n", d.id(), d.name() + (d.description().isEmpty() ? "" : ": " + d.description()), d.isDefault() ? " (default)" : "");
        }
        out.println("Analyses:");
        for (AnalysisDescriptor d : registry.analyses()) {
            List<String> kinds = new ArrayList<>(d.appliesTo().stream().map(k -> k.id()).toList());
            if (d.modelLevel()) {
                kinds.add("model");
            }
            out.printf("  %-36s %s [%s; %s]%n", d.id(), d.description().isEmpty() ? d.name() : d.name() + ": " + d.description(), d.category(),
                    String.join(",", kinds));
        }
        out.println("Image sources:");
        for (ImageSourceDescriptor d : registry.imageSources()) {
            out.printf("  %-28s %s%n", d.id(), d.description().isEmpty() ? d.name() : d.name() + ": " + d.description());
        }
        return OK;
    }

    private int run(List<String> a) throws UsageException, ModelLoadException, AnalysisException, IOException {
        if (a.isEmpty() || a.get(0).startsWith("--")) {
            if (a.contains("--help")) {
                out.print(RUN_HELP);
                return OK;
            }
            throw new UsageException("'run' needs an analysis id first, for example: loupe run org.loupe.example.activationStats --model "
                    + registry.defaultModel().map(BuiltinModelDescriptor::id).orElse("M") + " --layer L --out DIR");
        }
        String id = a.remove(0);
        AnalysisDescriptor d = registry.analysis(id).orElseThrow(() -> new UsageException("no analysis '" + id + "'; analyses: "
                + String.join(", ", registry.analyses().stream().map(AnalysisDescriptor::id).toList())));
        Map<String, String> opts = options(a, List.of("--model", "--layer", "--unit", "--image", "--seed", "--out", "--runs"),
                List.of("--param"), "run");
        if (opts.containsKey("--help")) {
            out.print(analysisHelp(d));
            return OK;
        }
        String modelSpec = required(opts, "--model");
        Path outDir = Path.of(required(opts, "--out"));
        if (Files.isRegularFile(outDir)) {
            throw new UsageException("--out " + outDir + " is a file; give a folder");
        }
        if (Files.isDirectory(outDir)) {
            try (Stream<Path> s = Files.list(outDir)) {
                if (s.findAny().isPresent()) {
                    throw new UsageException("--out " + outDir + " is not empty; choose a new folder so nothing is overwritten");
                }
            }
        }
        Integer unit = opts.containsKey("--unit") ? integer(opts.get("--unit"), "--unit") : null;
        long seed = opts.containsKey("--seed") ? integer(opts.get("--seed"), "--seed") : AnalysisRequest.DEFAULT_SEED;
        Map<String, String> params;
        try {
            params = ParameterBinder.parseAssignments(params(opts));
            Analysis<?> analysis = d.createAnalysis();
            bindCheck(analysis, params);
        } catch (IllegalArgumentException e) {
            throw new UsageException(d.id() + ": " + e.getMessage());
        }
        Path store = opts.containsKey("--runs") ? Path.of(opts.get("--runs")) : Locations.runStore();
        if (opts.containsKey("--no-store")) {
            store = Files.createTempDirectory("loupe-runs");
        }
        try (HookedModel model = registry.openModel(modelSpec, new ConsoleMonitor(err))) {
            Selection sel = new Selection(opts.get("--layer"), unit, opts.get("--image"));
            AnalysisRunner.checkSelection(d, model, sel);
            Run run = new AnalysisRunner(registry, new RunStore(store)).run(new AnalysisRequest(d.id(), model, sel, params, seed),
                    new ConsoleMonitor(err));
            List<Path> files = Exporter.exportRun(run, outDir);
            out.printf(Locale.ROOT, "%s on %s%s: done in %.1f s%n", d.name(), model.info().name(),
                    sel.hookPoint() == null ? "" : " at " + sel.hookPoint() + (unit == null ? "" : ":" + unit),
                    run.provenance().durationMillis() / 1000.0);
            if (!opts.containsKey("--no-store")) {
                out.println("saved as run " + run.id() + " in " + store.toAbsolutePath());
            }
            out.println("wrote " + outDir.resolve("run.json"));
            for (Path f : files) {
                out.println("wrote " + f);
            }
        } finally {
            if (opts.containsKey("--no-store")) {
                deleteQuietly(store);
            }
        }
        return OK;
    }

    private int train(List<String> a) throws UsageException, ModelLoadException, IOException {
        if (a.isEmpty() || a.get(0).startsWith("--")) {
            if (a.contains("--help")) {
                out.print(TRAIN_HELP);
                return OK;
            }
            throw new UsageException("'train' needs a demo model name first: demo-cnn or demo-vit");
        }
        String model = a.remove(0);
        Map<String, String> opts = options(a, List.of("--out", "--epochs", "--images", "--batch", "--lr", "--seed", "--test-images"),
                List.of(), "train");
        if (opts.containsKey("--help")) {
            out.print(TRAIN_HELP);
            return OK;
        }
        org.loupe.train.SupervisedTraining.Settings d;
        try {
            d = org.loupe.train.DemoTraining.defaults(model);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        Path outDir = Path.of(required(opts, "--out"));
        float lr;
        try {
            lr = opts.containsKey("--lr") ? Float.parseFloat(opts.get("--lr")) : d.learningRate();
        } catch (NumberFormatException e) {
            throw new UsageException("--lr must be a number, got '" + opts.get("--lr") + "'");
        }
        var s = new org.loupe.train.SupervisedTraining.Settings(
                opts.containsKey("--epochs") ? Bench.ints(opts.get("--epochs"), "--epochs").get(0) : d.epochs(),
                opts.containsKey("--images") ? Bench.ints(opts.get("--images"), "--images").get(0) : d.imagesPerEpoch(),
                opts.containsKey("--batch") ? Bench.ints(opts.get("--batch"), "--batch").get(0) : d.batchSize(), lr, d.weightDecay(),
                opts.containsKey("--seed") ? integer(opts.get("--seed"), "--seed") : d.seed(), d.warmupEpochs(), d.clipGradient());
        int testImages = opts.containsKey("--test-images") ? Bench.ints(opts.get("--test-images"), "--test-images").get(0) : 2000;
        org.loupe.train.DemoTraining.Outcome outcome;
        try {
            outcome = org.loupe.train.DemoTraining.train(registry, model, outDir, s, testImages, new ConsoleMonitor(err), out::println);
        } catch (IllegalStateException e) {
            err.println("loupe: " + e.getMessage());
            return FAILED;
        }
        out.println("wrote " + outcome.config());
        out.println("wrote " + outcome.weights());
        return OK;
    }

    private int bench(List<String> a) throws UsageException, ModelLoadException, IOException {
        Map<String, String> opts = options(a, List.of("--model", "--anchor", "--batch", "--mode", "--cache", "--warmup", "--iterations",
                "--stop-after", "--from"),
                List.of(), "bench");
        if (opts.containsKey("--help")) {
            out.print(BENCH_HELP);
            return OK;
        }
        if (!opts.containsKey("--model")) {
            throw new UsageException("'bench' needs --model M");
        }
        List<Integer> batches = Bench.ints(opts.getOrDefault("--batch", "1"), "--batch");
        List<String> modes = List.of(opts.getOrDefault("--mode", "forward").split(","));
        List<String> caches = List.of(opts.getOrDefault("--cache", "none").split(","));
        int warmup = Bench.ints(opts.getOrDefault("--warmup", "3"), "--warmup").get(0);
        int iterations = Bench.ints(opts.getOrDefault("--iterations", "10"), "--iterations").get(0);
        for (String m : modes) {
            if (!m.equals("forward") && !m.equals("grad")) {
                throw new UsageException("--mode takes forward and/or grad, got '" + m + "'");
            }
        }
        for (String c : caches) {
            if (!c.equals("none") && !c.equals("all")) {
                throw new UsageException("--cache takes none and/or all, got '" + c + "'");
            }
        }
        if (opts.containsKey("--stop-after") || opts.containsKey("--from")) {
            return PartialBench.run(registry, out, err, new PartialBench.Request(opts.get("--model"), opts.get("--anchor"),
                    new org.loupe.core.model.Range(opts.get("--from"), opts.get("--stop-after")), batches, modes, caches, warmup, iterations));
        }
        try (HookedModel model = registry.openModel(opts.get("--model"), new ConsoleMonitor(err));
                HookedModel anchor = opts.containsKey("--anchor") ? registry.openModel(opts.get("--anchor"), new ConsoleMonitor(err)) : null) {
            List<Bench.Contestant> contestants = new ArrayList<>();
            for (String cache : caches) {
                contestants.add(new Bench.Contestant("model", model, cache.equals("all")));
            }
            if (anchor != null) {
                var a1 = anchor.inputSpec();
                var m1 = model.inputSpec();
                if (a1.channels() != m1.channels() || a1.height() != m1.height() || a1.width() != m1.width()) {
                    throw new UsageException("--anchor must take the input size of --model: " + a1.channels() + "x" + a1.height() + "x"
                            + a1.width() + " vs " + m1.channels() + "x" + m1.height() + "x" + m1.width());
                }
                contestants.add(new Bench.Contestant("anchor", anchor, false));
            }
            for (int batch : batches) {
                for (String mode : modes) {
                    for (String line : Bench.measure(contestants, new Bench.Config(batch, mode.equals("grad"), warmup, iterations))) {
                        out.println(line);
                    }
                }
            }
        }
        return OK;
    }

    private static <P extends Record> void bindCheck(Analysis<P> analysis, Map<String, String> params) {
        ParameterBinder.bind(analysis.parametersType(), analysis.defaults(), params);
    }

    private String analysisHelp(AnalysisDescriptor d) {
        StringBuilder b = new StringBuilder();
        b.append(d.name()).append(" (").append(d.id()).append(")\n");
        if (!d.description().isEmpty()) {
            b.append(d.description()).append('\n');
        }
        List<String> kinds = new ArrayList<>(d.appliesTo().stream().map(k -> k.id()).toList());
        if (d.modelLevel()) {
            kinds.add("model (no --layer)");
        }
        b.append("Applies to: ").append(String.join(", ", kinds)).append(d.needsUnit() ? "; needs --unit" : "").append('\n');
        b.append("Parameters (--param KEY=VALUE):\n");
        for (ParamSpec s : specs(d.createAnalysis())) {
            b.append("  ").append(s.summary()).append('\n');
        }
        b.append("Image sources for --image: a file, a folder, or ");
        b.append(String.join(", ", registry.imageSources().stream().map(s -> s.id() + sourceParams(s)).toList())).append('\n');
        return b.toString();
    }

    private static String sourceParams(ImageSourceDescriptor s) {
        ImageSourceFactory<?> f = s.createFactory();
        return ":" + String.join(",", specs(f).stream().map(p -> p.name() + "=" + p.defaultValue()).toList());
    }

    private static <P extends Record> List<ParamSpec> specs(Analysis<P> a) {
        return ParameterBinder.specs(a.parametersType(), a.defaults());
    }

    private static <P extends Record> List<ParamSpec> specs(ImageSourceFactory<P> f) {
        return ParameterBinder.specs(f.parametersType(), f.defaults());
    }

    /** Parses {@code --key value} options; repeatable ones are collected as key#1, key#2, ... */
    private static Map<String, String> options(List<String> a, List<String> single, List<String> repeat, String command)
            throws UsageException {
        Map<String, String> m = new LinkedHashMap<>();
        int repeats = 0;
        for (int i = 0; i < a.size(); i++) {
            String o = a.get(i);
            if (o.equals("--help") || o.equals("-h") || o.equals("--no-store")) {
                m.put(o.equals("-h") ? "--help" : o, "");
                continue;
            }
            boolean known = single.contains(o) || repeat.contains(o);
            if (!known) {
                throw new UsageException(o.startsWith("-") ? "unknown option '" + o + "' for '" + command + "'"
                        : "unexpected argument '" + o + "' for '" + command + "'");
            }
            if (i + 1 >= a.size() || (a.get(i + 1).startsWith("--") && !o.equals("--param"))) {
                throw new UsageException("option " + o + " needs a value");
            }
            String v = a.get(++i);
            if (repeat.contains(o)) {
                m.put(o + "#" + repeats++, v);
            } else if (m.put(o, v) != null) {
                throw new UsageException("option " + o + " is given twice");
            }
        }
        return m;
    }

    private static List<String> params(Map<String, String> opts) {
        return opts.entrySet().stream().filter(e -> e.getKey().startsWith("--param#")).map(Map.Entry::getValue).toList();
    }

    private static String required(Map<String, String> opts, String key) throws UsageException {
        String v = opts.get(key);
        if (v == null || v.isBlank()) {
            throw new UsageException("'run' needs " + key + (key.equals("--out") ? " DIR" : " M"));
        }
        return v;
    }

    private static int integer(String v, String option) throws UsageException {
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw new UsageException(option + " must be an integer, got '" + v + "'");
        }
    }

    private static void deleteQuietly(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temporary folder; the OS cleans it up
        }
    }

    private static String version() {
        var b = org.osgi.framework.FrameworkUtil.getBundle(Cli.class);
        return b == null ? "dev" : b.getVersion().toString();
    }
}

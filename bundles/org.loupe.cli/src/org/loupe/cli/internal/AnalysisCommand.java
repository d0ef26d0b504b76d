package org.loupe.cli.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;

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
import org.loupe.core.registry.ImageSourceDescriptor;
import org.loupe.core.registry.PluginFailure;
import org.loupe.core.result.Run;
import org.loupe.core.run.AnalysisRequest;
import org.loupe.core.run.AnalysisRunner;
import org.loupe.core.store.Locations;
import org.loupe.core.store.RunStore;
import org.loupe.render.Exporter;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Help;
import picocli.CommandLine.Help.Column;
import picocli.CommandLine.Help.Column.Overflow;
import picocli.CommandLine.Help.TextTable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.UsageMessageSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code loupe run ANALYSIS}: one analysis, with help generated from its parameter record. Every
 * argument is checked before the model is opened or anything runs (parameters, {@code --out},
 * the run store, the images, then the layer and unit against the opened model), so that a wrong
 * command line costs no work, leaves no run in the store and exits with 2.
 */
@Command(separator = " ", usageHelpWidth = 100, descriptionHeading = "%n", optionListHeading = "%nOptions:%n", sortOptions = false,
        sortSynopsis = false)
final class AnalysisCommand implements Callable<Integer> {

    private static final String PARAMETERS_SECTION = "loupeParameters";

    private final Env env;
    private final AnalysisDescriptor analysis;

    @Spec
    CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "M", description = "built-in model id or model file (see 'loupe list')")
    String model;

    @Option(names = "--layer", paramLabel = "L", description = "hook point to analyse (see 'loupe list --model M')")
    String layer;

    @Option(names = "--unit", paramLabel = "N", description = "unit at the hook point: channel, feature, head or class")
    Integer unit;

    @Option(names = "--image", paramLabel = "SPEC", description = "an image file, a folder, or an image source such as noise:count=16")
    String image;

    @Option(names = "--param", paramLabel = "KEY=VALUE", parameterConsumer = ParamSplitter.class, hideParamSyntax = true, description = "an analysis "
            + "parameter (repeat for several, or separate them with commas: a=1,b=2; commas inside parentheses and brackets, and those not followed by KEY=, belong to the value: units=1,4,9); "
            + "'loupe run ANALYSIS --help' lists them")
    Map<String, String> params = new LinkedHashMap<>();

    @Option(names = "--seed", paramLabel = "N", description = "seed for anything random (default: ${DEFAULT-VALUE})")
    long seed = AnalysisRequest.DEFAULT_SEED;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "where to write run.json, PNG and CSV files "
            + "(must be new or empty)")
    Path out;

    @Option(names = "--runs", paramLabel = "DIR", description = "run store to save into (default: ${DEFAULT-VALUE}, the workbench's)")
    Path runs;

    @Option(names = "--no-store", description = "do not save the run in the run store")
    boolean noStore;

    @Option(names = "--timeout", paramLabel = "S", description = "cancel the analysis after S seconds (Ctrl+C cancels too); "
            + "one that does not stop within the grace period (-D" + AnalysisRunner.GRACE_PROPERTY + "=S, default 10) is abandoned")
    Double timeout;

    @Mixin
    HelpOption help;

    private AnalysisCommand(Env env, AnalysisDescriptor analysis) {
        this.env = env;
        this.analysis = analysis;
    }

    /** The command of {@code analysis}; with null, one that only lists the options every analysis takes. */
    static CommandLine create(Env env, AnalysisDescriptor analysis) {
        CommandLine cl = new CommandLine(new AnalysisCommand(env, analysis));
        CommandSpec spec = cl.getCommandSpec();
        spec.defaultValueProvider(arg -> arg instanceof OptionSpec o && o.longestName().equals("--runs")
                ? Locations.runStore().toString() : null);
        if (analysis != null) {
            UsageMessageSpec usage = spec.usageMessage();
            usage.description(description(analysis).toArray(String[]::new));
            usage.sectionMap().put(PARAMETERS_SECTION, h -> parameters(h, env, analysis));
            List<String> keys = new ArrayList<>(usage.sectionKeys());
            keys.add(keys.indexOf(UsageMessageSpec.SECTION_KEY_OPTION_LIST) + 1, PARAMETERS_SECTION);
            usage.sectionKeys(keys);
        }
        return cl;
    }

    @Override
    public Integer call() throws ModelLoadException, AnalysisException, IOException {
        checkParameters();
        if (timeout != null && !(timeout > 0)) {
            throw usage("--timeout must be a number of seconds above 0, not " + timeout);
        }
        if (unit != null && layer == null) {
            throw usage("--unit " + unit + " needs --layer L: a unit is a channel, feature, head or class of a hook point");
        }
        OutputFolder target = checked(() -> OutputFolder.prepare("--out", out));
        Path store = noStore ? Files.createTempDirectory("loupe-runs") : runs;
        boolean done = false;
        try {
            if (!noStore) {
                checkStore();
            }
            if (image != null) {
                checked(() -> {
                    ImageCheck.check(env.registry(), "--image ", image, seed, env.err());
                    return null;
                });
            }
            try (HookedModel m = Models.open(env, spec.commandLine(), "--model", model)) {
                Selection selection = checkSelection(m);
                Runnable cleanUp = () -> {
                    target.removeIfCreated();
                    if (noStore) {
                        deleteQuietly(store);
                    }
                };
                Run run = run(new AnalysisRunner(env.registry(), new RunStore(store)), new AnalysisRequest(analysis.id(), m, selection, params, seed),
                        cleanUp);
                List<Path> files = Exporter.exportRun(run, out);
                env.out().printf(Locale.ROOT, "%s on %s%s: done in %.1f s%n", analysis.name(), m.info().name(),
                        layer == null ? "" : " at " + layer + (unit == null ? "" : ":" + unit), run.provenance().durationMillis() / 1000.0);
                if (!noStore) {
                    env.out().println("saved as run " + run.id() + " in " + store.toAbsolutePath());
                }
                env.out().println("wrote " + out.resolve("run.json"));
                files.forEach(f -> env.out().println("wrote " + f));
            }
            done = true;
        } finally {
            if (!done) {
                target.removeIfCreated();
            }
            if (noStore) {
                deleteQuietly(store);
            }
        }
        return 0;
    }

    /**
     * Runs the request, cancelling it at the {@code --timeout} or on Ctrl+C. On Ctrl+C the JVM
     * waits for the run to stop, at most the grace period, and the interrupt hook says how it ended:
     * the JVM halts when the hook returns, so the command's own error handling may never run: after
     * an interrupted run, {@code cleanUp} removes what the command created before the hook returns.
     */
    private Run run(AnalysisRunner runner, AnalysisRequest request, Runnable cleanUp) throws AnalysisException {
        ConsoleMonitor monitor = new ConsoleMonitor(env.err());
        if (timeout != null) {
            monitor.cancelAfter(java.time.Duration.ofMillis(Math.round(timeout * 1000)));
        }
        java.util.concurrent.CountDownLatch ended = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.atomic.AtomicBoolean interrupted = new java.util.concurrent.atomic.AtomicBoolean();
        java.util.concurrent.atomic.AtomicReference<String> outcome = new java.util.concurrent.atomic.AtomicReference<>();
        Thread onInterrupt = new Thread(() -> {
            interrupted.set(true);
            monitor.setCanceled(true);
            try {
                if (ended.await(AnalysisRunner.gracePeriod().toMillis() + 1000, java.util.concurrent.TimeUnit.MILLISECONDS)
                        && outcome.get() != null) {
                    env.err().println("loupe: " + outcome.get());
                    env.err().flush();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "Loupe Ctrl+C");
        Runtime.getRuntime().addShutdownHook(onInterrupt);
        try {
            return runner.run(request, monitor);
        } catch (org.eclipse.core.runtime.OperationCanceledException e) {
            if (monitor.timedOut()) {
                throw new AnalysisException("cancelled: " + analysis.name() + " did not finish within --timeout " + timeout
                        + " s; nothing was saved", e);
            }
            if (interrupted.get()) {
                outcome.set("cancelled: " + analysis.name() + " was interrupted (Ctrl+C); nothing was saved");
                throw new Failures.Reported(e);
            }
            throw e;
        } catch (AnalysisException e) {
            if (interrupted.get()) {
                outcome.set(Messages.clean(e.getMessage()));
                throw new Failures.Reported(e);
            }
            throw e;
        } finally {
            if (interrupted.get()) {
                cleanUp.run();
            }
            ended.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(onInterrupt);
            } catch (IllegalStateException e) {
                // the JVM is shutting down (Ctrl+C): the hook is running and reports the outcome
            }
        }
    }

    /** Binds the parameters to the analysis' record (ranges, types, its own validation) without running anything. */
    private void checkParameters() throws AnalysisException {
        Analysis<?> a;
        try {
            a = analysis.createAnalysis();
        } catch (PluginFailure f) {
            throw new AnalysisException(f.getMessage(), f);
        }
        try {
            bind(a, params);
        } catch (IllegalArgumentException e) {
            List<String> known = specs(a).stream().map(ParamSpec::name).toList();
            String unknown = params.keySet().stream().filter(k -> !known.contains(k)).findFirst().orElse("");
            String hint = unknown.equals("images") ? "; images are given with --image SPEC, not as a parameter" : "";
            throw usage(analysis.id() + ": " + UsageErrors.withSuggestion(e.getMessage(), unknown, known) + hint);
        }
    }

    /** The run store must take the run; an unwritable {@code --runs} is a wrong argument, an unwritable default a failure. */
    private void checkStore() throws AnalysisException {
        boolean given = spec.commandLine().getParseResult().hasMatchedOption("--runs");
        try {
            OutputFolder.writable(given ? "--runs" : "The run store", runs);
        } catch (IllegalArgumentException e) {
            if (given) {
                throw usage(e.getMessage());
            }
            throw new AnalysisException(e.getMessage() + " Give another with --runs DIR, or --no-store.", e);
        }
    }

    /** The layer, the unit and the parameters against the opened model. */
    private Selection checkSelection(HookedModel m) {
        Selection selection = new Selection(layer, unit, image);
        try {
            AnalysisRunner.checkSelection(analysis, m, selection);
        } catch (AnalysisException e) {
            throw usage(e.getMessage());
        }
        if (unit != null) {
            HookPoint p = m.hookPoint(layer);
            if (unit < 0 || unit >= p.units()) {
                throw usage("--unit " + unit + " is out of range: " + p.name() + " has " + p.units() + " units (0.." + (p.units() - 1) + ")");
            }
        }
        try {
            AnalysisRunner.checkParameters(analysis, m, selection, params);
        } catch (AnalysisException e) {
            throw usage(e.getMessage());
        }
        return selection;
    }

    private ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }

    /** Runs a check whose IllegalArgumentException is a wrong command line. */
    private <T> T checked(Supplier<T> check) {
        try {
            return check.get();
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage());
        }
    }

    private static <P extends Record> void bind(Analysis<P> a, Map<String, String> params) {
        ParameterBinder.bind(a.parametersType(), a.defaults(), params);
    }

    private static List<String> description(AnalysisDescriptor d) {
        List<String> lines = new ArrayList<>();
        lines.add(d.name() + " (" + d.id() + ")");
        if (!d.description().isEmpty()) {
            lines.add(d.description());
        }
        List<String> kinds = ListCommand.kinds(d).stream().map(k -> k.equals("model") ? "model (no --layer)" : k).toList();
        lines.add("Applies to: " + String.join(", ", kinds) + (d.needsUnit() ? "; needs --unit" : ""));
        if (!d.requirements().isEmpty()) {
            lines.add("Needs: " + d.describeRequirements());
        }
        d.imageInput().ifPresent(in -> lines.add("Images (--image): " + in.description() + "; default " + in.defaultSpec()));
        return lines;
    }

    /** The analysis' parameters with types, ranges and defaults, and what --image takes. */
    private static String parameters(Help help, Env env, AnalysisDescriptor d) {
        TextTable table = TextTable.forColumns(help.colorScheme(), new Column(help.commandSpec().usageMessage().width(), 2, Overflow.WRAP));
        try {
            for (ParamSpec s : specs(d.createAnalysis())) {
                table.addRowValues(s.summary());
            }
        } catch (PluginFailure f) {
            table.addRowValues("UNAVAILABLE: " + f.getMessage());
        }
        StringBuilder b = new StringBuilder("%nParameters (--param KEY=VALUE):%n".formatted()).append(table);
        b.append("%nImage sources for --image (besides a file or a folder), with their parameters and defaults:%n".formatted());
        env.registry().imageSources().forEach(s -> b.append("  ").append(withDefaults(s)).append(System.lineSeparator()));
        return b.toString();
    }

    private static String withDefaults(ImageSourceDescriptor s) {
        try {
            return s.id() + ":" + specs(s.createFactory()).stream().map(p -> p.name() + "=" + p.defaultValue()).collect(Collectors.joining(","));
        } catch (PluginFailure f) {
            return s.id() + " UNAVAILABLE: " + f.getMessage();
        }
    }

    private static <P extends Record> List<ParamSpec> specs(Analysis<P> a) {
        return ParameterBinder.specs(a.parametersType(), a.defaults());
    }

    private static <P extends Record> List<ParamSpec> specs(ImageSourceFactory<P> f) {
        return ParameterBinder.specs(f.parametersType(), f.defaults());
    }

    private static void deleteQuietly(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temporary folder; the OS cleans it up
        }
    }
}

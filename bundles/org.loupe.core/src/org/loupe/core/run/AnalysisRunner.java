package org.loupe.core.run;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.NullProgressMonitor;
import org.eclipse.core.runtime.OperationCanceledException;
import org.loupe.core.analysis.Analysis;
import org.loupe.core.analysis.AnalysisContext;
import org.loupe.core.analysis.AnalysisException;
import org.loupe.core.analysis.ImageInput;
import org.loupe.core.analysis.ParameterBinder;
import org.loupe.core.analysis.Selection;
import org.loupe.core.images.ImageSource;
import org.loupe.core.images.SourceImage;
import org.loupe.core.model.HookPoint;
import org.loupe.core.model.HookedModel;
import org.loupe.core.registry.AnalysisDescriptor;
import org.loupe.core.registry.LoupeRegistry;
import org.loupe.core.registry.PluginFailure;
import org.loupe.core.result.ImagesUsed;
import org.loupe.core.result.Provenance;
import org.loupe.core.result.Result;
import org.loupe.core.result.Run;
import org.loupe.core.store.RunStore;
import org.loupe.djl.LoupeEngine;
import org.osgi.framework.Bundle;
import org.osgi.framework.FrameworkUtil;

import ai.djl.ndarray.NDManager;

/**
 * Runs analyses the same way everywhere (workbench job, command line, tests): binds and validates the
 * parameters, checks the selection against what the analysis applies to, runs it with a scoped
 * NDManager, records the provenance, and saves the result to the run store before anyone sees it.
 *
 * @since 0.1
 */
public final class AnalysisRunner {

    /** The system property that sets the grace period in seconds ({@code -Dloupe.plugin.grace=30}). */
    public static final String GRACE_PROPERTY = "loupe.plugin.grace";
    /** How long a cancelled analysis may take to stop when {@link #GRACE_PROPERTY} does not say. */
    public static final Duration DEFAULT_GRACE = Duration.ofSeconds(10);

    private final LoupeRegistry registry;
    private final RunStore store;
    private final Duration grace;

    /**
     * A runner that finds analyses in {@code registry} and saves results to {@code store}, with the
     * grace period of {@link #gracePeriod()}.
     */
    public AnalysisRunner(LoupeRegistry registry, RunStore store) {
        this(registry, store, gracePeriod());
    }

    /**
     * A runner whose cancelled runs are abandoned when their analysis has not stopped {@code grace}
     * after the cancel (see {@link RunAbandonedException}).
     */
    public AnalysisRunner(LoupeRegistry registry, RunStore store, Duration grace) {
        if (grace.isNegative()) {
            throw new IllegalArgumentException("the grace period must not be negative, not " + grace);
        }
        this.registry = registry;
        this.store = store;
        this.grace = grace;
    }

    /** The grace period {@link #GRACE_PROPERTY} sets, else {@link #DEFAULT_GRACE}. */
    public static Duration gracePeriod() {
        String s = System.getProperty(GRACE_PROPERTY);
        if (s == null || s.isBlank()) {
            return DEFAULT_GRACE;
        }
        try {
            double seconds = Double.parseDouble(s.trim());
            if (seconds >= 0) {
                return Duration.ofMillis(Math.round(seconds * 1000));
            }
        } catch (NumberFormatException e) {
            // falls through to the message
        }
        throw new IllegalArgumentException(GRACE_PROPERTY + " is '" + s + "': give the grace period in seconds, for example -D"
                + GRACE_PROPERTY + "=10");
    }

    /** The run store results go to. */
    public RunStore store() {
        return store;
    }

    /**
     * Runs the request and saves the result.
     *
     * <p>The analysis runs on a thread of its own; what it throws is reported naming its plug-in. If
     * the monitor is cancelled and the analysis has not stopped after the grace period, the run
     * is abandoned ({@link RunAbandonedException}) and nothing is saved.
     *
     * @throws AnalysisException if parameters or selection are wrong, the analysis fails, or the result
     *                           cannot be saved; the message says what to do
     * @throws org.eclipse.core.runtime.OperationCanceledException if cancelled through the monitor
     */
    public Run run(AnalysisRequest request, IProgressMonitor monitor) throws AnalysisException {
        return run(request, monitor, partial -> {
        });
    }

    /**
     * Runs the request and saves the result, handing each partial result the analysis publishes
     * ({@link AnalysisContext#publish}) to {@code partials} on the analysis' thread.
     */
    public Run run(AnalysisRequest request, IProgressMonitor monitor, java.util.function.Consumer<Result> partials)
            throws AnalysisException {
        IProgressMonitor pm = monitor == null ? new NullProgressMonitor() : monitor;
        AnalysisDescriptor d = checked(request);
        return execute(d, created(d), request, pm, partials);
    }

    /**
     * Runs the request like {@link #run} but keeps the result in memory only: nothing is saved
     * and no provenance is made. For timing an analysis ({@code loupe bench --analysis}).
     */
    public Result compute(AnalysisRequest request, IProgressMonitor monitor) throws AnalysisException {
        AnalysisDescriptor d = checked(request);
        return evaluate(d, created(d), request, monitor == null ? new NullProgressMonitor() : monitor, partial -> {
        }).result();
    }

    private static Analysis<?> created(AnalysisDescriptor d) throws AnalysisException {
        try {
            return d.createAnalysis();
        } catch (PluginFailure f) {
            throw new AnalysisException(f.getMessage(), f);
        }
    }

    /** The request's analysis, checked against its model and selection. */
    private AnalysisDescriptor checked(AnalysisRequest request) throws AnalysisException {
        AnalysisDescriptor d;
        try {
            d = registry.requireAnalysis(request.analysisId());
        } catch (IllegalArgumentException e) {
            throw new AnalysisException(e.getMessage(), e);
        }
        checkSelection(d, request.model(), request.selection());
        return d;
    }

    /** What one evaluation of an analysis gave. */
    private record Evaluated(Result result, Context context, Map<String, Object> parameters, Instant started, long millis) {
    }

    private <P extends Record> Run execute(AnalysisDescriptor d, Analysis<P> analysis, AnalysisRequest request,
            IProgressMonitor pm, java.util.function.Consumer<Result> partials) throws AnalysisException {
        Evaluated e = evaluate(d, analysis, request, pm, partials);
        Provenance provenance = new Provenance(d.id(), d.name(), request.model().info().withInput(request.model().inputSpec()), e.context().usedSelection(), e.parameters(),
                request.seed(), version(), e.started(), e.millis(), e.context().imagesUsed());
        try {
            return store.save(provenance, e.result());
        } catch (IOException x) {
            for (Throwable c = x.getCause(); c != null && c != c.getCause(); c = c.getCause()) {
                if (c instanceof PluginFailure f) {
                    throw new AnalysisException(f.getMessage() + " Nothing was saved.", x);
                }
            }
            throw new AnalysisException("The result could not be saved to " + store.root() + ": " + x.getMessage()
                    + ". Check the run-store location in the preferences.", x);
        }
    }

    private <P extends Record> Evaluated evaluate(AnalysisDescriptor d, Analysis<P> analysis, AnalysisRequest request,
            IProgressMonitor pm, java.util.function.Consumer<Result> partials) throws AnalysisException {
        P params;
        try {
            params = ParameterBinder.bind(analysis.parametersType(), analysis.defaults(), request.parameters());
        } catch (IllegalArgumentException e) {
            String hint = request.parameters().containsKey("images") && analysis.imageInput().isPresent()
                    ? "; images are given with --image (the image field), not as a parameter" : "";
            throw new AnalysisException(d.name() + ": " + e.getMessage() + hint, e);
        } catch (Throwable t) {
            throw failed(d, "when Loupe read its parameters", t);
        }
        check(d, analysis, request.model(), request.selection(), params);
        Instant started = Instant.now();
        long t0 = System.nanoTime();
        PluginThread.Cancellable monitor = new PluginThread.Cancellable(pm);
        AtomicBoolean abandoned = new AtomicBoolean();
        java.util.function.Consumer<Result> live = partial -> {
            if (!abandoned.get()) {
                partials.accept(partial);
            }
        };
        Ran ran;
        try {
            ran = PluginThread.call("Loupe analysis " + d.id() + " from " + d.contributor(), () -> {
                try (NDManager manager = LoupeEngine.get().newBaseManager()) {
                    Context ctx = new Context(registry, request, analysis.imageInput().orElse(null), manager, monitor, live);
                    try {
                        return new Ran(analysis.run(ctx, params), ctx);
                    } finally {
                        ctx.closeSources();
                    }
                }
            }, monitor, grace, "cancelled; " + d.plugin() + " did not stop within " + seconds(grace)
                    + " and was abandoned (restart Loupe to reclaim its thread)");
        } catch (RunAbandonedException e) {
            abandoned.set(true);
            throw e;
        } catch (AnalysisException | OperationCanceledException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            throw new AnalysisException(d.name() + ": " + e.getMessage(), e);
        } catch (Throwable t) {
            throw failed(d, "when its analysis '" + d.name() + "' ran", t);
        }
        if (ran.result() == null) {
            throw new AnalysisException(capitalized(d.plugin()) + " failed: its analysis '" + d.name()
                    + "' returned no result. Its author must fix the plug-in.");
        }
        long millis = (System.nanoTime() - t0) / 1_000_000;
        return new Evaluated(ran.result(), ran.context(), ParameterBinder.toMap(params), started, millis);
    }

    /** What the analysis' thread hands back: its result and the context it ran in. */
    private record Ran(Result result, Context context) {
    }

    /** A plug-in's failure as the run's failure; its message names the plug-in. */
    private static AnalysisException failed(AnalysisDescriptor d, String when, Throwable t) {
        PluginFailure f = t instanceof PluginFailure pf ? pf : d.failure(when, t);
        return new AnalysisException(f.getMessage(), f);
    }

    private static String capitalized(String s) {
        return Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }

    private static String seconds(Duration d) {
        long ms = d.toMillis();
        return ms % 1000 == 0 ? ms / 1000 + " s" : String.format(java.util.Locale.ROOT, "%.1f s", ms / 1000.0);
    }

    /**
     * Checks that the analysis applies to the model (its requirements and its own check, see
     * {@link AnalysisDescriptor#unavailableReason}) and that the selection fits what it declares:
     * a hook point of a kind it works on, a unit if it needs one, images only if it reads images.
     *
     * @throws AnalysisException saying what does not fit and what to do
     */
    public static void checkSelection(AnalysisDescriptor d, HookedModel model, Selection s) throws AnalysisException {
        java.util.Optional<String> unavailable = d.unavailableReason(model);
        if (unavailable.isPresent()) {
            throw new AnalysisException(unavailable.get());
        }
        if (s.images() != null && d.imageInput().isEmpty()) {
            throw new AnalysisException("'" + d.name() + "' reads no images: leave out --image (or the image field).");
        }
        if (s.hookPoint() == null) {
            if (!d.modelLevel()) {
                throw new AnalysisException("'" + d.name() + "' needs a hook point of kind " + kinds(d)
                        + ": select one in the Model view, or pass --layer NAME.");
            }
            return;
        }
        HookPoint p;
        try {
            p = model.hookPoint(s.hookPoint());
        } catch (IllegalArgumentException e) {
            throw new AnalysisException(e.getMessage(), e);
        }
        if (!d.appliesTo().contains(p.kind()) && !d.modelLevel()) {
            throw new AnalysisException("'" + d.name() + "' works on hook points of kind " + kinds(d) + ", but " + p.name()
                    + " is " + p.kind().id() + ".");
        }
        if (d.needsUnit() && s.unit() == null) {
            throw new AnalysisException("'" + d.name() + "' needs a unit at " + p.name() + " (0.." + (p.units() - 1)
                    + "): pass --unit N or pick one in the Analyses view.");
        }
    }

    /**
     * Binds {@code parameters} and checks them against the model and selection with the analysis'
     * own {@link Analysis#check}, without running anything: what the command line calls before a
     * run, so that a unit or site the model does not have is a wrong argument.
     *
     * @throws AnalysisException saying which parameter does not fit and what the model allows
     */
    public static void checkParameters(AnalysisDescriptor d, HookedModel model, Selection selection, Map<String, String> parameters)
            throws AnalysisException {
        Analysis<?> analysis;
        try {
            analysis = d.createAnalysis();
        } catch (PluginFailure f) {
            throw new AnalysisException(f.getMessage(), f);
        }
        checkBound(d, analysis, model, selection, parameters);
    }

    private static <P extends Record> void checkBound(AnalysisDescriptor d, Analysis<P> analysis, HookedModel model, Selection selection,
            Map<String, String> parameters) throws AnalysisException {
        P params;
        try {
            params = ParameterBinder.bind(analysis.parametersType(), analysis.defaults(), parameters);
        } catch (IllegalArgumentException e) {
            throw new AnalysisException(d.name() + ": " + e.getMessage(), e);
        }
        check(d, analysis, model, selection, params);
    }

    private static <P extends Record> void check(AnalysisDescriptor d, Analysis<P> analysis, HookedModel model, Selection selection, P params)
            throws AnalysisException {
        try (NDManager scratch = LoupeEngine.get().newBaseManager()) {
            HookPoint point = selection.hookPoint() == null ? null : model.hookPoint(selection.hookPoint());
            analysis.check(model, point, params, scratch);
        } catch (IllegalArgumentException e) {
            throw new AnalysisException(d.name() + ": " + e.getMessage(), e);
        } catch (Throwable t) {
            throw failed(d, "when it checked its parameters", t);
        }
    }

    private static String kinds(AnalysisDescriptor d) {
        return d.appliesTo().isEmpty() ? "model" : String.join("/", d.appliesTo().stream().map(k -> k.id()).toList());
    }

    private static String version() {
        Bundle b = FrameworkUtil.getBundle(AnalysisRunner.class);
        return b == null ? "dev" : b.getVersion().toString();
    }

    /** The context handed to one run. */
    private static final class Context implements AnalysisContext {
        private final LoupeRegistry registry;
        private final AnalysisRequest request;
        private final ImageInput imageInput;
        private final NDManager manager;
        private final IProgressMonitor monitor;
        private final java.util.List<CountingSource> opened = new java.util.ArrayList<>();
        private final java.util.function.Consumer<Result> partials;

        Context(LoupeRegistry registry, AnalysisRequest request, ImageInput imageInput, NDManager manager, IProgressMonitor monitor,
                java.util.function.Consumer<Result> partials) {
            this.registry = registry;
            this.request = request;
            this.imageInput = imageInput;
            this.manager = manager;
            this.monitor = monitor;
            this.partials = partials;
        }

        @Override
        public void publish(Result partial) {
            partials.accept(partial);
        }

        @Override
        public HookedModel model() {
            return request.model();
        }

        @Override
        public Selection selection() {
            return request.selection();
        }

        @Override
        public HookPoint hookPoint() throws AnalysisException {
            String name = request.selection().hookPoint();
            if (name == null) {
                throw new AnalysisException("This analysis needs a hook point: select one in the Model view, or pass --layer NAME.");
            }
            try {
                return request.model().hookPoint(name);
            } catch (IllegalArgumentException e) {
                throw new AnalysisException(e.getMessage(), e);
            }
        }

        @Override
        public int unit() throws AnalysisException {
            HookPoint p = hookPoint();
            Integer u = request.selection().unit();
            if (u == null) {
                throw new AnalysisException("This analysis needs a unit at " + p.name() + " (0.." + (p.units() - 1)
                        + "): pass --unit N.");
            }
            if (u < 0 || u >= p.units()) {
                throw new AnalysisException("Unit " + u + " is out of range: " + p.name() + " has " + p.units()
                        + " units (0.." + (p.units() - 1) + ").");
            }
            return u;
        }

        @Override
        public ImageSource images() throws AnalysisException {
            if (imageInput == null) {
                throw new AnalysisException("This analysis declares no image input (Analysis.imageInput()), so it cannot open images.");
            }
            String spec = resolve(request.selection().optionalImages().orElse(imageInput.defaultSpec()));
            try {
                CountingSource s = new CountingSource(spec, registry.openImages(spec, request.seed()));
                opened.add(s);
                return s;
            } catch (IllegalArgumentException e) {
                throw new AnalysisException(e.getMessage(), e);
            }
        }

        /** A file or folder as an absolute path (so the provenance names it wherever it was given from); a source spec as given. */
        private static String resolve(String spec) {
            String t = spec.trim();
            try {
                java.nio.file.Path p = java.nio.file.Path.of(t);
                return java.nio.file.Files.exists(p) ? p.toAbsolutePath().normalize().toString() : t;
            } catch (RuntimeException e) {
                return t;
            }
        }

        /** The images the run read (the source it read most from), or null if it opened none. */
        ImagesUsed imagesUsed() {
            return opened.stream().map(CountingSource::used).max(java.util.Comparator.comparingInt(ImagesUsed::count)).orElse(null);
        }

        /** The request's selection with the images that were used in place of the ones asked for. */
        Selection usedSelection() {
            ImagesUsed used = imagesUsed();
            return used == null ? request.selection() : request.selection().withImages(used.spec());
        }

        @Override
        public long seed() {
            return request.seed();
        }

        @Override
        public NDManager manager() {
            return manager;
        }

        @Override
        public IProgressMonitor monitor() {
            return monitor;
        }

        void closeSources() {
            opened.forEach(ImageSource::close);
        }
    }

    /** An image source that counts the images read from it, for the provenance. */
    private static final class CountingSource implements ImageSource {
        private final String spec;
        private final ImageSource source;
        private final java.util.concurrent.atomic.AtomicInteger mostRead = new java.util.concurrent.atomic.AtomicInteger();

        CountingSource(String spec, ImageSource source) {
            this.spec = spec;
            this.source = source;
        }

        ImagesUsed used() {
            return new ImagesUsed(spec, source.describe(), mostRead.get(), source.problems().size());
        }

        @Override
        public String describe() {
            return source.describe();
        }

        @Override
        public java.util.OptionalInt size() {
            return source.size();
        }

        @Override
        public java.util.Iterator<SourceImage> iterator() {
            java.util.Iterator<SourceImage> it = source.iterator();
            return new java.util.Iterator<>() {
                private int read;

                @Override
                public boolean hasNext() {
                    return it.hasNext();
                }

                @Override
                public SourceImage next() {
                    SourceImage s = it.next();
                    mostRead.accumulateAndGet(++read, Math::max);
                    return s;
                }
            };
        }

        @Override
        public java.util.List<String> problems() {
            return source.problems();
        }

        @Override
        public void close() {
            source.close();
        }
    }
}

package org.loupe.djl;

import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.function.Supplier;

import org.loupe.djl.internal.OneDnn;
import org.loupe.djl.internal.OpenMp;
import org.loupe.djl.internal.ScriptOps;

import ai.djl.engine.Engine;

/**
 * The one PyTorch engine of a Loupe process, started offline inside OSGi.
 *
 * <p>DJL finds its engine provider and the native libraries through the thread context class
 * loader; this class switches it to the loader of this bundle (which embeds DJL and hosts the
 * native fragment) around the first engine call. The natives are unpacked once into a per-user
 * cache ({@link #cacheDir()}). Starting takes about a second when the cache is warm and a few
 * seconds on first use, so callers must never start the engine on the UI thread: run it in a
 * background job.
 *
 * <p>Settings are read from system properties before the first start:
 * {@code loupe.threads} (intra-op threads, default: all cores), {@code ENGINE_CACHE_DIR} (default
 * {@code $XDG_CACHE_HOME/loupe/djl} or {@code ~/.cache/loupe/djl}), {@code ai.djl.offline}
 * (default {@code true}: nothing is ever downloaded).
 *
 * @since 0.1
 */
public final class LoupeEngine {

    /** The engine name DJL knows PyTorch by. */
    public static final String ENGINE_NAME = "PyTorch";

    /**
     * The started engine, its backward-pass guard, the lock of the one gradient collector DJL allows
     * per process and the scope each thread has open: the one piece of static state in Loupe.
     */
    private record Handle(Engine engine, Optional<OneDnn> oneDnn, Optional<OpenMp> openMp, ReentrantLock collectorLock,
            ThreadLocal<GradientScope> openScope, Lazy<Optional<ScriptOps>> scriptOps) {
    }

    /** A value made on first use. */
    private static final class Lazy<T> {
        private final Supplier<T> make;
        private volatile T value;

        Lazy(Supplier<T> make) {
            this.make = make;
        }

        T get() {
            T v = value;
            if (v == null) {
                synchronized (this) {
                    v = value;
                    if (v == null) {
                        v = make.get();
                        value = v;
                    }
                }
            }
            return v;
        }
    }

    private static volatile Handle handle;

    private LoupeEngine() {
    }

    /**
     * Returns the PyTorch engine, starting it on first use.
     *
     * @throws EngineStartException if the engine cannot be started, with the reason
     */
    public static Engine get() {
        return handle().engine();
    }

    private static Handle handle() {
        Handle h = handle;
        if (h != null) {
            return h;
        }
        synchronized (LoupeEngine.class) {
            if (handle == null) {
                Engine started = start();
                // the operators' module lives in a manager of its own, as long as the engine
                handle = new Handle(started, OneDnn.bind(), OpenMp.bind(), new ReentrantLock(), new ThreadLocal<>(),
                        new Lazy<>(() -> ScriptOps.bind(started.newBaseManager())));
            }
            return handle;
        }
    }

    /**
     * Runs {@code body} with the process's one gradient collector open on this thread and returns
     * what it returns: the only way Loupe and its plug-ins differentiate (never open a collector of
     * your own with {@code Engine.newGradientCollector()}; DJL allows one per process). Other
     * threads wait until the scope is closed; a nested call on the same thread runs in the same
     * scope. Backward passes are exact for convolutions through {@link Convolutions} and run with
     * oneDNN unless the scope is asked not to (see {@link GradientScope}).
     */
    public static <T> T gradients(Function<GradientScope, T> body) {
        Handle h = handle();
        GradientScope open = h.openScope().get();
        if (open != null) {
            return body.apply(open);
        }
        h.collectorLock().lock();
        try (var collector = h.engine().newGradientCollector()) {
            GradientScope scope = new GradientScope(collector, h.oneDnn());
            h.openScope().set(scope);
            try {
                return body.apply(scope);
            } finally {
                h.openScope().remove();
            }
        } finally {
            h.collectorLock().unlock();
        }
    }

    /**
     * Makes the calling thread's open gradient scope, if there is one, back-propagate without
     * oneDNN (see {@link GradientScope#requireExactConvolutionBackward}); does nothing outside a
     * scope. For models whose convolutions Loupe does not compute, called in their forward pass.
     */
    public static void requireExactConvolutionBackward() {
        if (handle != null) {
            GradientScope open = handle.openScope().get();
            if (open != null) {
                open.requireExactConvolutionBackward();
            }
        }
    }

    /**
     * Whether models may fold layers in the operations the calling thread runs now, shortcuts
     * that change the rounding (see {@code org.loupe.models.cnn.ConvBn}): outside
     * {@link #gradients}, or inside a scope that allows it ({@link GradientScope#foldLayers}).
     * Recorded passes otherwise keep PyTorch's order of operations.
     */
    public static boolean mayFoldLayers() {
        Handle h = handle;
        GradientScope open = h == null ? null : h.openScope().get();
        return open == null || open.foldsLayers();
    }

    /**
     * Ends the worker threads that the calling thread's engine operations started, if the engine
     * runs. Call it on a thread that hands the engine's work to another thread and will not run
     * operators meanwhile: libtorch's OpenMP workers wait for the next operator spinning only while
     * the process has no more of them than CPUs, so a second thread's pool makes every operator
     * wait for a sleeping worker (a ResNet-18 feature-visualization step: 70-77 ms instead of
     * about 55). Threads that run operators again get a new pool.
     *
     * @return whether a pool was ended: false if the engine has not started or its OpenMP runtime
     *         was not found
     */
    public static boolean releaseThreadPool() {
        Handle h = handle;
        return h != null && h.openMp().map(OpenMp::releaseCallingThreadsPool).orElse(false);
    }

    /** Whether a backward pass can switch oneDNN off when asked to (false if libtorch's symbols were not found). */
    public static boolean guardsBackward() {
        return handle().oneDnn().isPresent();
    }

    /** libtorch's operators that DJL does not expose, if they could be bound (see {@link ScriptOps}). */
    static Optional<ScriptOps> scriptOps() {
        return handle().scriptOps().get();
    }

    /** Whether the engine has been started in this process. */
    public static boolean isStarted() {
        return handle != null;
    }

    /** The folder the native libraries are unpacked to. */
    public static Path cacheDir() {
        String configured = System.getProperty("ENGINE_CACHE_DIR");
        if (configured == null || configured.isBlank()) {
            configured = System.getenv("ENGINE_CACHE_DIR");
        }
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured);
        }
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("loupe").resolve("djl");
    }

    /**
     * Runs {@code body} with this bundle's class loader as the thread context class loader, as DJL
     * needs for any call that may look up services or resources.
     */
    public static <T> T withDjlClassLoader(Callable<T> body) throws Exception {
        Thread t = Thread.currentThread();
        ClassLoader old = t.getContextClassLoader();
        t.setContextClassLoader(LoupeEngine.class.getClassLoader());
        try {
            return body.call();
        } finally {
            t.setContextClassLoader(old);
        }
    }

    private static Engine start() {
        setDefault("ai.djl.offline", "true");
        setDefault("ENGINE_CACHE_DIR", cacheDir().toString());
        setDefault("org.slf4j.simpleLogger.defaultLogLevel", "error");
        String threads = System.getProperty("loupe.threads");
        if (threads != null && !threads.isBlank() && Integer.parseInt(threads.trim()) > 0) {
            setDefault("ai.djl.pytorch.num_threads", threads.trim());
            setDefault("ai.djl.pytorch.num_interop_threads", "1");
        }
        try {
            return withDjlClassLoader(() -> Engine.getEngine(ENGINE_NAME));
        } catch (Exception | LinkageError ex) {
            throw new EngineStartException("The PyTorch engine could not be started (native cache "
                    + cacheDir() + "): " + ex.getMessage()
                    + ". Check that the folder is writable and has about 500 MB free.", ex);
        }
    }

    private static void setDefault(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }
}

package org.loupe.djl.internal;

import java.nio.file.Path;
import java.util.Optional;

import com.sun.jna.Function;
import com.sun.jna.NativeLibrary;

/**
 * The OpenMP runtime libtorch runs its operators on (the libgomp it ships).
 *
 * <p>Every thread that runs a parallel operator gets a pool of worker threads of its own, kept
 * until the thread ends. libgomp lets idle workers spin, ready for the next operator, only while
 * the process has no more OpenMP threads than CPUs; beyond that every worker sleeps after about 100
 * spins, and each operator waits for it to wake. So a second pool (a model opened on one thread,
 * analysed on another) slowed a feature-visualization step on ResNet-18 from about 55 to 70-77 ms,
 * with about 750 context switches per step. {@link #releaseCallingThreadsPool} ends the calling
 * thread's pool ({@code omp_pause_resource_all}); it is made again if the thread runs another
 * parallel operator.
 */
public final class OpenMp {

    private static final int OMP_PAUSE_SOFT = 1;

    private final Function pauseAll;

    private OpenMp(Function pauseAll) {
        this.pauseAll = pauseAll;
    }

    /** Binds to the libgomp loaded in this process, if there is one with OpenMP 5's pause. */
    public static Optional<OpenMp> bind() {
        Optional<Path> lib = OneDnn.loadedLibrary(file -> file.startsWith("libgomp") && file.contains(".so"));
        if (lib.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(new OpenMp(NativeLibrary.getInstance(lib.get().toString()).getFunction("omp_pause_resource_all")));
        } catch (UnsatisfiedLinkError e) {
            return Optional.empty();
        }
    }

    /** Ends the calling thread's worker threads; false if the runtime refused (inside a parallel region). */
    public boolean releaseCallingThreadsPool() {
        return pauseAll.invokeInt(new Object[] {OMP_PAUSE_SOFT}) == 0;
    }
}

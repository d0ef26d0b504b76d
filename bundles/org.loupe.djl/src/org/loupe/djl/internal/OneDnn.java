package org.loupe.djl.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

import com.sun.jna.Function;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;

/**
 * Switches libtorch's use of oneDNN (MKL-DNN) off around backward passes.
 *
 * <p>On AVX2/AVX-512 machines the oneDNN convolution backward-data kernels bundled with libtorch
 * 2.7.1 return wrong input gradients for small batched inputs (for example a 3x3 convolution of a
 * [2, 1, 5, 5] input: the centre gradient comes out 43 or 72 instead of 45 or 180, changing between
 * calls); forward passes are correct. With oneDNN disabled for the backward pass, libtorch picks
 * its native convolution backward, which is exact and about as fast for backward work. This is done
 * through {@code at::globalContext().setUserEnabledMkldnn(bool)}, exported by libtorch_cpu.so.
 */
public final class OneDnn {

    private static final ReentrantLock LOCK = new ReentrantLock();

    private final Pointer context;
    private final Function setEnabled;

    private OneDnn(Pointer context, Function setEnabled) {
        this.context = context;
        this.setEnabled = setEnabled;
    }

    /** Binds to the libtorch_cpu.so loaded in this process, if its symbols are found. */
    public static Optional<OneDnn> bind() {
        Optional<Path> lib = loadedLibrary("libtorch_cpu.so");
        if (lib.isEmpty()) {
            return Optional.empty();
        }
        try {
            NativeLibrary nl = NativeLibrary.getInstance(lib.get().toString());
            Pointer ctx = nl.getFunction("_ZN2at13globalContextEv").invokePointer(new Object[0]);
            return Optional.of(new OneDnn(ctx, nl.getFunction("_ZN2at7Context20setUserEnabledMkldnnEb")));
        } catch (UnsatisfiedLinkError e) {
            return Optional.empty();
        }
    }

    /** Runs {@code body} with oneDNN disabled; backward passes take turns. */
    public <T> T withoutOneDnn(Supplier<T> body) {
        LOCK.lock();
        try {
            setEnabled.invokeVoid(new Object[] {context, 0});
            try {
                return body.get();
            } finally {
                setEnabled.invokeVoid(new Object[] {context, 1});
            }
        } finally {
            LOCK.unlock();
        }
    }

    private static Optional<Path> loadedLibrary(String name) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/maps"))) {
                int slash = line.indexOf('/');
                if (slash >= 0 && line.endsWith("/" + name)) {
                    return Optional.of(Path.of(line.substring(slash)));
                }
            }
        } catch (IOException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }
}

package org.loupe.djl.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import com.sun.jna.Function;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;

/**
 * Switches libtorch's use of oneDNN (MKL-DNN) off around a backward pass.
 *
 * <p>On AVX-512 machines the oneDNN convolution backward-data kernels bundled with libtorch 2.7.1
 * return wrong input gradients for dense convolutions with a kernel larger than 1x1 whose output
 * channels are not a multiple of 16 (see {@code org.loupe.djl.Convolutions}, which avoids them).
 * For convolutions Loupe cannot pad (a TorchScript module's), a backward pass can run with oneDNN
 * disabled: libtorch then picks its native convolution backward, which is exact but slower. The
 * switch is {@code at::globalContext().setUserEnabledMkldnn(bool)}, exported by libtorch_cpu.so; it
 * is process-wide, which is why it is used only inside {@code LoupeEngine.gradients}, whose lock
 * lets one backward pass at a time run.
 */
public final class OneDnn {

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

    /** Runs {@code body} with oneDNN disabled (callers hold the gradient-collector lock). */
    public void withoutOneDnn(Runnable body) {
        setEnabled.invokeVoid(new Object[] {context, 0});
        try {
            body.run();
        } finally {
            setEnabled.invokeVoid(new Object[] {context, 1});
        }
    }

    private static Optional<Path> loadedLibrary(String name) {
        return loadedLibrary(file -> file.equals(name));
    }

    /** The first library mapped into this process whose file name passes {@code test}. */
    static Optional<Path> loadedLibrary(java.util.function.Predicate<String> test) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/maps"))) {
                int slash = line.indexOf('/');
                if (slash >= 0 && test.test(line.substring(line.lastIndexOf('/') + 1))) {
                    return Optional.of(Path.of(line.substring(slash)));
                }
            }
        } catch (IOException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }
}

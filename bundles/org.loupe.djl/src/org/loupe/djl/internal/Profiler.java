package org.loupe.djl.internal;

import java.nio.file.Path;

import ai.djl.pytorch.jni.JniUtils;

/**
 * libtorch's operator profiler around a piece of work, for {@code loupe bench --profile}: every
 * operator the engine runs meanwhile, with its shapes, goes to a Chrome trace (JSON), so that a pass
 * can be compared op by op with {@code torch.profiler} on the PyTorch side.
 */
public final class Profiler {

    private Profiler() {
    }

    /** Runs {@code body} under the profiler and writes the trace to {@code trace}. */
    public static void profile(Path trace, Runnable body) {
        JniUtils.startProfile(false, false, false);
        try {
            body.run();
        } finally {
            JniUtils.stopProfile(trace.toAbsolutePath().toString());
        }
    }
}

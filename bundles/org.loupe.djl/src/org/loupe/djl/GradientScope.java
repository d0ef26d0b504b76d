package org.loupe.djl;

import java.util.Optional;

import org.loupe.djl.internal.OneDnn;

import ai.djl.ndarray.NDArray;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;

/**
 * The open gradient collector of the calling thread, handed out by {@link LoupeEngine#gradients}:
 * operations on arrays that require a gradient are recorded while the scope is open, and
 * {@link #backward} back-propagates a scalar into them. A nested {@code LoupeEngine.gradients} call
 * on the same thread gets the same scope. Never close or keep it beyond the callback.
 *
 * <p>Backward passes run with libtorch's oneDNN kernels, which are exact for every convolution
 * computed through {@link Convolutions} or {@link SafeConv2d}. Code that runs convolutions Loupe
 * cannot see (a TorchScript module, DJL's {@code Conv2d} used directly) with shapes oneDNN gets
 * wrong calls {@link #requireExactConvolutionBackward} (or {@link LoupeEngine#requireExactConvolutionBackward})
 * during the forward pass; the scope's backward passes then run with oneDNN switched off.
 *
 * @since 0.1
 */
public final class GradientScope {

    private final GradientCollector collector;
    private final Optional<OneDnn> oneDnn;
    private boolean withoutOneDnn;
    private boolean foldsLayers;

    GradientScope(GradientCollector collector, Optional<OneDnn> oneDnn) {
        this.collector = collector;
        this.oneDnn = oneDnn;
    }

    /**
     * Back-propagates {@code target} (a scalar, or an array whose elements are summed) into every
     * array that requires a gradient and took part in computing it. Gradients accumulate into the
     * leaves' gradients ({@link NDArray#getGradient}).
     */
    public void backward(NDArray target) {
        if (withoutOneDnn && oneDnn.isPresent()) {
            oneDnn.get().withoutOneDnn(() -> collector.backward(target));
        } else {
            collector.backward(target);
        }
    }

    /**
     * Makes this scope's backward passes avoid libtorch's oneDNN convolution kernels (slower, but
     * exact for every convolution shape): for graphs with convolutions that do not go through
     * {@link Convolutions} and whose shapes {@link Convolutions#wrongBackwardWithOneDnn} flags.
     */
    public void requireExactConvolutionBackward() {
        withoutOneDnn = true;
    }

    /**
     * Lets models fold layers in the passes recorded from now on ({@code foldsLayers} true) or
     * stops them: batch norms folded into the convolution before them, say, which changes the
     * rounding of every later value by about 1e-7 of its scale. The gradients stay those of the
     * same function, but a pre-ReLU value that close to zero may change sign, so they no longer
     * agree with PyTorch's to the last digits. For optimisation loops where speed counts and such
     * agreement does not (feature visualization); off by default.
     */
    public void foldLayers(boolean foldsLayers) {
        this.foldsLayers = foldsLayers;
    }

    /** Whether models may fold layers in the passes this scope records (see {@link #foldLayers}). */
    public boolean foldsLayers() {
        return foldsLayers;
    }

    /** Whether the backward passes of this scope run with oneDNN switched off. */
    public boolean avoidsOneDnn() {
        return withoutOneDnn && oneDnn.isPresent();
    }

    /**
     * The gradient accumulated in {@code leaf}, or empty if no backward pass has reached it yet: a
     * new handle to the leaf's gradient (close it when done; the next backward pass adds to the
     * values it shows).
     */
    public Optional<NDArray> gradient(NDArray leaf) {
        return Optional.ofNullable(JniUtils.getGradient(pt(leaf)));
    }

    /**
     * Sets the gradient accumulated in {@code leaf} to zero in place.
     *
     * @return whether the leaf had a gradient (false: no backward pass has reached it yet)
     */
    public boolean zeroGradient(NDArray leaf) {
        Optional<NDArray> g = gradient(leaf);
        g.ifPresent(handle -> {
            JniUtils.zeroGrad(pt(leaf));
            handle.close();
        });
        return g.isPresent();
    }

    private static PtNDArray pt(NDArray a) {
        if (a instanceof PtNDArray p) {
            return p;
        }
        throw new IllegalArgumentException("an array of the " + a.getManager().getEngine().getEngineName()
                + " engine cannot be differentiated by Loupe's PyTorch engine; create it with a manager of LoupeEngine.get()");
    }
}

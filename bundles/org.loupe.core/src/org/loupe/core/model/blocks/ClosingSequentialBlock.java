package org.loupe.core.model.blocks;

import java.util.IdentityHashMap;
import java.util.Map;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * A {@link SequentialBlock} that closes each intermediate as soon as the next child has consumed
 * it, as PyTorch frees a tensor whose last reference is gone: the memory is reused within the pass
 * instead of fresh pages for every layer, and a pass holds one layer's activations at a time rather
 * than all of them. The input belongs to the caller and stays open; activations recorded by
 * {@link HookBlock}s are separate handles and stay valid; autograd keeps what a backward pass needs.
 *
 * @since 0.1
 */
public class ClosingSequentialBlock extends SequentialBlock {

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDList current = inputs;
        for (Block child : getChildren().values()) {
            NDList next = child.forward(ps, current, training);
            if (current != inputs) {
                closeDead(current, next);
            }
            current = next;
        }
        return current;
    }

    /** Closes the arrays of {@code previous} that are not passed on in {@code next}. */
    private static void closeDead(NDList previous, NDList next) {
        Map<NDArray, Boolean> kept = new IdentityHashMap<>();
        for (NDArray a : next) {
            kept.put(a, Boolean.TRUE);
        }
        for (NDArray a : previous) {
            if (!kept.containsKey(a)) {
                a.close();
            }
        }
    }
}

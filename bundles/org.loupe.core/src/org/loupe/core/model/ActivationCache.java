package org.loupe.core.model;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import ai.djl.ndarray.NDArray;

/**
 * The activations recorded by one forward pass, by hook-point name, in forward order; and, after a
 * backward pass, the gradients kept for the hook points that asked for them. The arrays belong to
 * the NDManager of the run's input and are closed with it.
 *
 * @since 0.1
 */
public final class ActivationCache {

    private final Map<String, NDArray> activations = new LinkedHashMap<>();
    private final Map<String, NDArray> gradientProbes = new LinkedHashMap<>();

    /** Records an activation (used by models while they run). */
    public void put(String name, NDArray activation) {
        activations.put(name, activation);
    }

    /** Registers the zero tensor whose gradient equals the gradient at {@code name} (used by models). */
    public void putGradientProbe(String name, NDArray probe) {
        gradientProbes.put(name, probe);
    }

    /** The recorded names in forward order. */
    public Set<String> names() {
        return Collections.unmodifiableSet(activations.keySet());
    }

    /** Whether {@code name} was recorded. */
    public boolean contains(String name) {
        return activations.containsKey(name);
    }

    /** The recorded activation at {@code name}; throws with the recorded names if it was not recorded. */
    public NDArray get(String name) {
        NDArray a = activations.get(name);
        if (a == null) {
            throw new IllegalArgumentException("'" + name + "' was not recorded in this run; recorded: " + activations.keySet());
        }
        return a;
    }

    /**
     * The gradient of the objective with respect to the activation at {@code name}, available after
     * a backward pass for hook points named in {@link Hooks.Builder#gradient}.
     */
    public NDArray gradient(String name) {
        NDArray probe = gradientProbes.get(name);
        if (probe == null) {
            throw new IllegalArgumentException("no gradient was kept for '" + name + "'; ask for it with Hooks.builder().gradient(\""
                    + name + "\")");
        }
        return probe.getGradient();
    }
}

package org.loupe.core.model;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What one forward pass does at hook points: which activations to record, which interventions to
 * apply, and for which activations to keep gradients. Immutable; build with {@link #builder()}.
 *
 * <p>At one hook point, the interventions apply in the order they were added (each sees the result
 * of the one before), then the gradient probe is attached, then the activation is recorded: the
 * cache holds what the rest of the network sees.
 *
 * @since 0.1
 */
public final class Hooks {

    private static final Hooks NONE = new Hooks(false, Set.of(), Map.of(), Set.of());

    private final boolean cacheAll;
    private final Set<String> cache;
    private final Map<String, List<Intervention>> interventions;
    private final Set<String> gradients;

    private Hooks(boolean cacheAll, Set<String> cache, Map<String, List<Intervention>> interventions, Set<String> gradients) {
        this.cacheAll = cacheAll;
        this.cache = cache;
        this.interventions = interventions;
        this.gradients = gradients;
    }

    /** A plain forward pass: nothing recorded, nothing changed. */
    public static Hooks none() {
        return NONE;
    }

    /** Records every hook point. */
    public static Hooks cacheAll() {
        return builder().cacheAll().build();
    }

    /** Records the named hook points. */
    public static Hooks cache(String... names) {
        return builder().cache(names).build();
    }

    /** Starts an empty set of hooks. */
    public static Builder builder() {
        return new Builder();
    }

    /** Whether the activation at {@code name} is recorded. */
    public boolean caches(String name) {
        return cacheAll || cache.contains(name) || gradients.contains(name);
    }

    /** Whether every hook point is recorded. */
    public boolean cachesAll() {
        return cacheAll;
    }

    /** The interventions at {@code name}, in the order they apply; empty if there are none. */
    public List<Intervention> interventions(String name) {
        return interventions.getOrDefault(name, List.of());
    }

    /** Whether the gradient with respect to the activation at {@code name} is kept. */
    public boolean keepsGradient(String name) {
        return gradients.contains(name);
    }

    /** Every hook-point name these hooks refer to explicitly, for validation against a model. */
    public Set<String> referencedNames() {
        Set<String> all = new LinkedHashSet<>(cache);
        all.addAll(interventions.keySet());
        all.addAll(gradients);
        return Collections.unmodifiableSet(all);
    }

    /** Whether these hooks do anything at all. */
    public boolean isEmpty() {
        return !cacheAll && cache.isEmpty() && interventions.isEmpty() && gradients.isEmpty();
    }

    /** Builds {@link Hooks}. */
    public static final class Builder {
        private boolean cacheAll;
        private final Set<String> cache = new LinkedHashSet<>();
        private final Map<String, List<Intervention>> interventions = new LinkedHashMap<>();
        private final Set<String> gradients = new LinkedHashSet<>();

        private Builder() {
        }

        /** Records every hook point. */
        public Builder cacheAll() {
            cacheAll = true;
            return this;
        }

        /** Records the named hook points. */
        public Builder cache(String... names) {
            Collections.addAll(cache, names);
            return this;
        }

        /**
         * Applies {@code intervention} at {@code name}, after any added there before: several
         * interventions at one hook point compose in order.
         */
        public Builder intervene(String name, Intervention intervention) {
            Objects.requireNonNull(intervention, "intervention");
            interventions.computeIfAbsent(name, n -> new ArrayList<>()).add(intervention);
            return this;
        }

        /** Records the named hook points and keeps gradients with respect to them. */
        public Builder gradient(String... names) {
            Collections.addAll(gradients, names);
            return this;
        }

        /** The immutable hooks. */
        public Hooks build() {
            Map<String, List<Intervention>> frozen = new LinkedHashMap<>();
            interventions.forEach((name, list) -> frozen.put(name, List.copyOf(list)));
            return new Hooks(cacheAll, Set.copyOf(cache), Collections.unmodifiableMap(frozen), Set.copyOf(gradients));
        }
    }
}

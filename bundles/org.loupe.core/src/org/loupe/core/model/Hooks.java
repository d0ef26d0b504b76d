package org.loupe.core.model;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * What one forward pass does at hook points: which activations to record, which interventions to
 * apply, and for which activations to keep gradients. Immutable; build with {@link #builder()}.
 */
public final class Hooks {

    private static final Hooks NONE = new Hooks(false, Set.of(), Map.of(), Set.of());

    private final boolean cacheAll;
    private final Set<String> cache;
    private final Map<String, Intervention> interventions;
    private final Set<String> gradients;

    private Hooks(boolean cacheAll, Set<String> cache, Map<String, Intervention> interventions, Set<String> gradients) {
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

    /** The intervention at {@code name}, or null. */
    public Intervention intervention(String name) {
        return interventions.get(name);
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
        private final Map<String, Intervention> interventions = new LinkedHashMap<>();
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

        /** Applies {@code intervention} at {@code name} (one per hook point; a later call replaces). */
        public Builder intervene(String name, Intervention intervention) {
            interventions.put(name, intervention);
            return this;
        }

        /** Records the named hook points and keeps gradients with respect to them. */
        public Builder gradient(String... names) {
            Collections.addAll(gradients, names);
            return this;
        }

        /** The immutable hooks. */
        public Hooks build() {
            return new Hooks(cacheAll, Set.copyOf(cache), Collections.unmodifiableMap(new LinkedHashMap<>(interventions)),
                    Set.copyOf(gradients));
        }
    }
}

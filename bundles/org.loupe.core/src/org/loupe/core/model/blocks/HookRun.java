package org.loupe.core.model.blocks;

import java.util.Map;

import org.loupe.core.model.ActivationCache;
import org.loupe.core.model.HookPoint;
import org.loupe.core.model.Hooks;
import org.loupe.core.model.Intervention;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/** The hooks of one forward pass, applied by each {@link HookBlock} the activation passes. */
final class HookRun {

    /** Ends a pass right after its stop point: nothing beyond it is computed. */
    static final class Stop extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final transient NDArray activation;

        Stop(NDArray activation) {
            super(null, null, false, false);
            this.activation = activation;
        }
    }

    private final Hooks hooks;
    private final Map<String, HookPoint> points;
    private final String stopAfter;
    private final ActivationCache cache = new ActivationCache();

    HookRun(Hooks hooks, Map<String, HookPoint> points, String stopAfter) {
        this.hooks = hooks;
        this.points = points;
        this.stopAfter = stopAfter;
    }

    ActivationCache cache() {
        return cache;
    }

    /** Whether this pass records, changes, probes or stops at {@code name}. */
    boolean acts(String name) {
        return hooks.caches(name) || !hooks.interventions(name).isEmpty() || hooks.keepsGradient(name) || name.equals(stopAfter);
    }

    NDArray visit(HookBlock block, NDArray x) {
        String name = block.hookName();
        NDArray given = x; // the caller's; handles made here in between are closed as they die
        for (Intervention intervention : hooks.interventions(name)) {
            // the intervention may return its input or an array it keeps (a patch): hand on a handle of our own
            NDArray changed = alias(intervention.apply(x, point(block, x)), x.getManager());
            if (changed.getShape().equals(x.getShape())) {
                if (x != given) {
                    x.close();
                }
                x = changed;
            } else {
                changed.close();
                throw new IllegalArgumentException("an intervention at " + name + " changed the activation's shape from " + x.getShape()
                        + " to its own; an intervention must keep the shape");
            }
        }
        if (hooks.keepsGradient(name)) {
            // the gradient of a zero leaf added here equals the gradient w.r.t. the activation
            NDArray probe = x.getManager().zeros(x.getShape(), x.getDataType());
            probe.setRequiresGradient(true);
            NDArray probed = x.add(probe);
            if (x != given) {
                x.close();
            }
            x = probed;
            cache.putGradientProbe(name, probe);
        }
        if (hooks.caches(name)) {
            // the cache keeps its own handle, so the model may close its handle as soon as the activation is dead
            cache.put(name, alias(x, x.getManager()));
        }
        if (name.equals(stopAfter)) {
            throw new Stop(x);
        }
        return x;
    }

    /** A new handle on the same values, in {@code manager}: closing either handle leaves the other valid. */
    private static NDArray alias(NDArray a, NDManager manager) {
        NDArray view = a.reshape(a.getShape());
        view.attach(manager);
        return view;
    }

    private HookPoint point(HookBlock block, NDArray x) {
        HookPoint p = points.get(block.hookName());
        if (p != null) {
            return p;
        }
        // during the shape-discovery pass the points are not known yet
        return new HookPoint(block.hookName(), block.kind(), x.getShape().slice(1));
    }
}

package org.loupe.core.model.blocks;

import java.util.Map;

import org.loupe.core.model.ActivationCache;
import org.loupe.core.model.HookPoint;
import org.loupe.core.model.Hooks;
import org.loupe.core.model.Intervention;

import ai.djl.ndarray.NDArray;

/** The hooks of one forward pass, applied by each {@link HookBlock} the activation passes. */
final class HookRun {

    private final Hooks hooks;
    private final Map<String, HookPoint> points;
    private final ActivationCache cache = new ActivationCache();

    HookRun(Hooks hooks, Map<String, HookPoint> points) {
        this.hooks = hooks;
        this.points = points;
    }

    ActivationCache cache() {
        return cache;
    }

    NDArray visit(HookBlock block, NDArray x) {
        String name = block.hookName();
        Intervention intervention = hooks.intervention(name);
        if (intervention != null) {
            x = intervention.apply(x, point(block, x));
        }
        if (hooks.keepsGradient(name)) {
            // the gradient of a zero leaf added here equals the gradient w.r.t. the activation
            NDArray probe = x.getManager().zeros(x.getShape(), x.getDataType());
            probe.setRequiresGradient(true);
            x = x.add(probe);
            cache.putGradientProbe(name, probe);
        }
        if (hooks.caches(name)) {
            cache.put(name, x);
        }
        return x;
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

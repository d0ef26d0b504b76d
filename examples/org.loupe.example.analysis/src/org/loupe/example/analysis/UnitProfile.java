package org.loupe.example.analysis;

import java.util.Arrays;

import org.loupe.core.result.Result;
import org.loupe.core.result.UnitRef;

/**
 * The example plug-in's own result type: one hook point's units at a glance, each with its mean
 * activation, its standard deviation and whether it is dead. Stored by {@link UnitProfileCodec}
 * (declared with it in {@code plugin.xml}) and drawn by the renderer of the
 * {@code org.loupe.example.analysis.ui} bundle, which links each unit to the Model view.
 *
 * @param title     the title
 * @param model     the model's id (for unit links)
 * @param hookPoint the hook point's name
 * @param mean      mean activation per unit
 * @param std       standard deviation per unit
 * @param dead      whether each unit is dead
 */
public record UnitProfile(String title, String model, String hookPoint, double[] mean, double[] std, boolean[] dead) implements Result {

    /** Validates and copies. */
    public UnitProfile {
        if (mean.length != std.length || mean.length != dead.length) {
            throw new IllegalArgumentException("a unit profile needs as many means, stds and dead flags, got " + mean.length + ", "
                    + std.length + " and " + dead.length);
        }
        mean = mean.clone();
        std = std.clone();
        dead = dead.clone();
    }

    /** The number of units. */
    public int units() {
        return mean.length;
    }

    /** The reference of unit {@code u}, for links. */
    public UnitRef unit(int u) {
        return new UnitRef(model, hookPoint, u);
    }

    @Override
    public double[] mean() {
        return mean.clone();
    }

    @Override
    public double[] std() {
        return std.clone();
    }

    @Override
    public boolean[] dead() {
        return dead.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof UnitProfile p && p.title.equals(title) && p.model.equals(model) && p.hookPoint.equals(hookPoint)
                && Arrays.equals(p.mean, mean) && Arrays.equals(p.std, std) && Arrays.equals(p.dead, dead);
    }

    @Override
    public int hashCode() {
        return (title.hashCode() * 31 + hookPoint.hashCode()) * 31 + Arrays.hashCode(mean);
    }

    @Override
    public String toString() {
        return "UnitProfile[" + hookPoint + ", " + mean.length + " units]";
    }
}

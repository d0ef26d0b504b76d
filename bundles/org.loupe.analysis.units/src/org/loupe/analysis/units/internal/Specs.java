package org.loupe.analysis.units.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

import org.loupe.core.model.HookKind;
import org.loupe.core.model.HookPoint;
import org.loupe.core.model.HookedModel;

/** Parsing of the hook-point lists and unit lists the unit analyses take, with messages for people. */
public final class Specs {

    private Specs() {
    }

    /**
     * The hook points of {@code spec} (names joined by {@code +} or {@code ,}; the command line's
     * {@code --param} splits at commas), or {@code selected} if it is blank.
     *
     * @throws IllegalArgumentException naming the unknown hook point and the closest ones, or a
     *                                  hook point whose units have no maps
     */
    public static List<HookPoint> layers(HookedModel model, String spec, HookPoint selected) {
        List<HookPoint> out = new ArrayList<>();
        if (spec == null || spec.isBlank()) {
            if (selected == null) {
                throw new IllegalArgumentException("name the hook points to scan with --param layers=a+b, or select one hook point");
            }
            out.add(selected);
        } else {
            for (String name : spec.split("[+,]")) {
                if (!name.isBlank()) {
                    HookPoint p = model.hookPoint(name.trim());
                    if (!out.contains(p)) {
                        out.add(p);
                    }
                }
            }
        }
        for (HookPoint p : out) {
            if (p.kind() == HookKind.ATTENTION) {
                throw new IllegalArgumentException("'" + p.name() + "' holds attention probabilities; dataset examples are kept for conv, "
                        + "token and vector hook points");
            }
        }
        return out;
    }

    /**
     * The units of {@code spec} ({@code all}, or indices and ranges joined by {@code +} or {@code ,}
     * such as {@code 0-7+12}) at a
     * hook point with {@code count} units; blank gives {@code fallback}.
     *
     * @throws IllegalArgumentException if a unit is out of range or the spec cannot be read
     */
    public static List<Integer> units(String spec, int count, String where, List<Integer> fallback) {
        if (spec == null || spec.isBlank()) {
            return fallback.stream().filter(u -> u < count).toList();
        }
        if (spec.trim().equalsIgnoreCase("all")) {
            List<Integer> all = new ArrayList<>();
            for (int u = 0; u < count; u++) {
                all.add(u);
            }
            return all;
        }
        TreeSet<Integer> out = new TreeSet<>();
        for (String part : spec.split("[+,]")) {
            String p = part.trim();
            try {
                int dash = p.indexOf('-', 1);
                int lo = Integer.parseInt(dash < 0 ? p : p.substring(0, dash).trim());
                int hi = dash < 0 ? lo : Integer.parseInt(p.substring(dash + 1).trim());
                for (int u = lo; u <= hi; u++) {
                    if (u < 0 || u >= count) {
                        throw new IllegalArgumentException("unit " + u + " (of '" + spec + "') is out of range: " + where + " has units 0 to "
                                + (count - 1));
                    }
                    out.add(u);
                }
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("cannot read the units '" + spec + "': give all, or indices and ranges such as 0-7+12");
            }
        }
        return List.copyOf(out);
    }
}

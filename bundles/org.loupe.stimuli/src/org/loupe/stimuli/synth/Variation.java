package org.loupe.stimuli.synth;

import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Collectors;

import org.loupe.core.analysis.Param;
import org.loupe.core.analysis.ParameterBinder;

/**
 * The parameters of a stimulus that are drawn at random for each image, read from its {@code vary}
 * parameter: items joined by {@code +} (or {@code ;}), each
 * <ul>
 * <li>{@code name}: drawn from the stimulus's default range for it (numbers), or among all values
 * (enums, booleans);</li>
 * <li>{@code name:lo..hi}: a number drawn uniformly from {@code [lo, hi]} (integers: each integer in
 * the range equally likely);</li>
 * <li>{@code name:a/b/c}: one of the listed values of an enum or boolean, equally likely;</li>
 * <li>{@code *}: every number that has a default range, and every enum and boolean.</li>
 * </ul>
 * Every other parameter keeps its given (or default) value. Draws are made in the record's
 * component order from the image's own random stream, so the order of items does not matter. A
 * range must lie inside the parameter's allowed range. {@code count}, {@code size}, {@code vary}
 * and text parameters (colours) cannot vary.
 *
 * @param <P> the parameter record
 *
 * @since 0.1
 */
public final class Variation<P extends Record> {

    private static final List<String> FIXED = List.of("count", "size", "vary");

    private final Class<P> type;
    private final List<Item> items;

    private record Item(RecordComponent component, double lo, double hi, List<String> choices) {
        String describe() {
            return component.getName() + (choices.isEmpty() ? " " + number(lo) + ".." + number(hi)
                    : " " + String.join("/", choices));
        }
    }

    private Variation(Class<P> type, List<Item> items) {
        this.type = type;
        this.items = List.copyOf(items);
    }

    /** The names in a {@code vary} text, without ranges (no checks). */
    public static List<String> names(String vary) {
        List<String> out = new ArrayList<>();
        for (String item : vary.split("[+;]")) {
            String t = item.trim();
            if (!t.isEmpty()) {
                int colon = t.indexOf(':');
                out.add(colon < 0 ? t : t.substring(0, colon).trim());
            }
        }
        return out;
    }

    /**
     * Reads {@code base.vary()} and checks it.
     *
     * @param defaultRanges the range each number is drawn from when no range is given
     * @throws IllegalArgumentException saying what is wrong and what is allowed
     */
    public static <P extends Record & StimulusParameters> Variation<P> parse(Class<P> type, P base, Map<String, double[]> defaultRanges) {
        Map<String, RecordComponent> variable = new LinkedHashMap<>();
        for (RecordComponent c : type.getRecordComponents()) {
            if (!FIXED.contains(c.getName()) && (isNumber(c.getType()) || c.getType() == boolean.class || c.getType().isEnum())) {
                variable.put(c.getName(), c);
            }
        }
        Map<String, String> given = new LinkedHashMap<>();
        List<String> listed = new ArrayList<>();
        for (String item : base.vary().split("[+;]")) {
            String t = item.trim();
            if (t.isEmpty()) {
                continue;
            }
            if (t.equals("*")) {
                for (RecordComponent c : variable.values()) {
                    if (!isNumber(c.getType()) || defaultRanges.containsKey(c.getName())) {
                        given.putIfAbsent(c.getName(), "");
                    }
                }
                continue;
            }
            int colon = t.indexOf(':');
            String name = colon < 0 ? t : t.substring(0, colon).trim();
            String range = colon < 0 ? "" : t.substring(colon + 1).trim();
            if (!variable.containsKey(name)) {
                boolean exists = Arrays.stream(type.getRecordComponents()).anyMatch(c -> c.getName().equals(name));
                throw new IllegalArgumentException("vary: " + (exists ? "'" + name + "' cannot vary" : "unknown parameter '" + name + "'")
                        + "; parameters that can vary: " + String.join(", ", variable.keySet()));
            }
            if (listed.contains(name)) {
                throw new IllegalArgumentException("vary: '" + name + "' is listed twice");
            }
            listed.add(name);
            given.put(name, range);
        }
        List<Item> items = new ArrayList<>();
        for (RecordComponent c : variable.values()) {
            if (given.containsKey(c.getName())) {
                items.add(item(c, given.get(c.getName()), defaultRanges.get(c.getName())));
            }
        }
        Variation<P> v = new Variation<>(type, items);
        v.checkExtremes(base);
        return v;
    }

    private static Item item(RecordComponent c, String range, double[] defaultRange) {
        String name = c.getName();
        Class<?> t = c.getType();
        if (!isNumber(t)) {
            List<String> all = t == boolean.class ? List.of("false", "true")
                    : Arrays.stream(t.getEnumConstants()).map(e -> ((Enum<?>) e).name().toLowerCase(Locale.ROOT)).toList();
            if (range.isEmpty()) {
                return new Item(c, 0, 0, all);
            }
            List<String> chosen = new ArrayList<>();
            for (String s : range.split("/")) {
                String v = s.trim().toLowerCase(Locale.ROOT);
                if (!all.contains(v)) {
                    throw new IllegalArgumentException("vary: '" + name + "' has no value '" + s.trim() + "'; values: " + String.join(", ", all));
                }
                chosen.add(v);
            }
            return new Item(c, 0, 0, List.copyOf(chosen));
        }
        Param p = c.getAnnotation(Param.class);
        double min = p == null ? Double.NEGATIVE_INFINITY : p.min();
        double max = p == null ? Double.POSITIVE_INFINITY : p.max();
        double lo;
        double hi;
        if (range.isEmpty()) {
            if (defaultRange != null) {
                lo = defaultRange[0];
                hi = defaultRange[1];
            } else if (!Double.isInfinite(min) && !Double.isInfinite(max)) {
                lo = min;
                hi = max;
            } else {
                throw new IllegalArgumentException("vary: '" + name + "' needs a range, for example " + name + ":-10..10");
            }
        } else {
            int dots = range.indexOf("..");
            try {
                if (dots < 0) {
                    throw new NumberFormatException();
                }
                lo = Double.parseDouble(range.substring(0, dots).trim());
                hi = Double.parseDouble(range.substring(dots + 2).trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("vary: the range of '" + name + "' must be LO..HI (two numbers), got '" + range + "'");
            }
            if (!(lo <= hi)) {
                throw new IllegalArgumentException("vary: the range of '" + name + "' must have LO <= HI, got '" + range + "'");
            }
            if (lo < min || hi > max) {
                throw new IllegalArgumentException("vary: the range " + range + " of '" + name + "' is outside its allowed range ["
                        + number(min) + ", " + number(max) + "]");
            }
        }
        if (isInteger(t)) {
            lo = Math.ceil(lo);
            hi = Math.floor(hi);
            if (lo > hi) {
                throw new IllegalArgumentException("vary: the range of integer parameter '" + name + "' contains no integer");
            }
        }
        return new Item(c, lo, hi, List.of());
    }

    /** Binds each end of each range alone, so a range that breaks a check fails now, not mid-stream. */
    private void checkExtremes(P base) {
        for (Item it : items) {
            List<String> values = it.choices.isEmpty() ? List.of(text(it, it.lo), text(it, it.hi)) : it.choices;
            for (String v : values) {
                try {
                    ParameterBinder.bind(type, base, Map.of(it.component.getName(), v, "vary", ""));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("vary: " + it.component.getName() + "=" + v + " is not allowed: " + e.getMessage(), e);
                }
            }
        }
    }

    /** True if nothing varies. */
    public boolean isEmpty() {
        return items.isEmpty();
    }

    /** The names of the varied parameters, in record order. */
    public List<String> names() {
        return items.stream().map(i -> i.component.getName()).toList();
    }

    /** The parameters for one image: {@code base} with each varied parameter drawn from {@code random}. */
    public P draw(P base, SplittableRandom random) {
        if (items.isEmpty()) {
            return base;
        }
        Map<String, String> values = new LinkedHashMap<>();
        for (Item it : items) {
            String v;
            if (!it.choices.isEmpty()) {
                v = it.choices.get(random.nextInt(it.choices.size()));
            } else if (isInteger(it.component.getType())) {
                v = Long.toString(it.lo == it.hi ? (long) it.lo : random.nextLong((long) it.lo, (long) it.hi + 1));
            } else {
                v = text(it, it.lo == it.hi ? it.lo : it.lo + random.nextDouble() * (it.hi - it.lo));
            }
            values.put(it.component.getName(), v);
        }
        return ParameterBinder.bind(type, base, values);
    }

    private static String text(Item it, double v) {
        return isInteger(it.component.getType()) ? Long.toString((long) v) : Double.toString(v);
    }

    private static boolean isNumber(Class<?> t) {
        return t == double.class || t == float.class || isInteger(t);
    }

    private static boolean isInteger(Class<?> t) {
        return t == int.class || t == long.class;
    }

    @Override
    public String toString() {
        return items.stream().map(Item::describe).collect(Collectors.joining(", "));
    }

    private static String number(double d) {
        if (Double.isInfinite(d)) {
            return d > 0 ? "inf" : "-inf";
        }
        return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d);
    }
}

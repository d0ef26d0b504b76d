package org.loupe.core.analysis;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Binds parameter records from text ({@code key=value}, as typed on the command line or in a form),
 * checks ranges and {@link Validating#validate()}, and describes records for forms and help.
 * Supported component types: String, int, long, float, double, boolean and enums.
 *
 * @since 0.1
 */
public final class ParameterBinder {

    private ParameterBinder() {
    }

    /** Describes every component of {@code type}, with defaults taken from {@code defaults}. */
    public static List<ParamSpec> specs(Class<? extends Record> type, Record defaults) {
        List<ParamSpec> out = new ArrayList<>();
        for (RecordComponent c : type.getRecordComponents()) {
            Param p = c.getAnnotation(Param.class);
            List<String> choices = c.getType().isEnum()
                    ? Arrays.stream(c.getType().getEnumConstants()).map(e -> ((Enum<?>) e).name().toLowerCase()).toList()
                    : List.of();
            out.add(new ParamSpec(c.getName(), c.getType(), text(read(c, defaults)), p == null ? "" : p.value(),
                    p == null ? Double.NEGATIVE_INFINITY : p.min(), p == null ? Double.POSITIVE_INFINITY : p.max(), choices));
        }
        return out;
    }

    /**
     * A copy of {@code defaults} with {@code overrides} applied, range-checked and validated.
     *
     * @throws IllegalArgumentException naming the parameter, the value and what is allowed
     */
    public static <P extends Record> P bind(Class<P> type, P defaults, Map<String, String> overrides) {
        RecordComponent[] comps = type.getRecordComponents();
        Map<String, RecordComponent> byName = new LinkedHashMap<>();
        for (RecordComponent c : comps) {
            byName.put(c.getName(), c);
        }
        for (String key : overrides.keySet()) {
            if (!byName.containsKey(key)) {
                throw new IllegalArgumentException("unknown parameter '" + key + "'; parameters are: " + String.join(", ", byName.keySet()));
            }
        }
        Object[] values = new Object[comps.length];
        for (int i = 0; i < comps.length; i++) {
            RecordComponent c = comps[i];
            String text = overrides.get(c.getName());
            values[i] = text == null ? read(c, defaults) : parse(c, text.trim());
            check(c, values[i]);
        }
        P bound = construct(type, comps, values);
        if (bound instanceof Validating v) {
            v.validate();
        }
        return bound;
    }

    /** The record's values by component name, as JSON-friendly objects (numbers, booleans, strings). */
    public static Map<String, Object> toMap(Record params) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (RecordComponent c : params.getClass().getRecordComponents()) {
            Object v = read(c, params);
            out.put(c.getName(), v instanceof Enum<?> e ? e.name().toLowerCase() : v);
        }
        return out;
    }

    /** Parses {@code key=value} strings into a map, rejecting malformed items. */
    public static Map<String, String> parseAssignments(List<String> items) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String item : items) {
            int eq = item.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("expected key=value, got '" + item + "'");
            }
            out.put(item.substring(0, eq).trim(), item.substring(eq + 1));
        }
        return out;
    }

    static String format(double d) {
        return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d);
    }

    private static String text(Object v) {
        if (v instanceof Enum<?> e) {
            return e.name().toLowerCase();
        }
        if (v instanceof Double || v instanceof Float) {
            return format(((Number) v).doubleValue());
        }
        return String.valueOf(v);
    }

    private static Object read(RecordComponent c, Record r) {
        try {
            c.getAccessor().setAccessible(true);
            return c.getAccessor().invoke(r);
        } catch (IllegalAccessException | InvocationTargetException e) {
            throw new IllegalStateException("cannot read parameter " + c.getName(), e);
        }
    }

    private static Object parse(RecordComponent c, String text) {
        Class<?> t = c.getType();
        String name = c.getName();
        try {
            if (t == String.class) {
                return text;
            } else if (t == int.class || t == Integer.class) {
                return Integer.parseInt(text);
            } else if (t == long.class || t == Long.class) {
                return Long.parseLong(text);
            } else if (t == float.class || t == Float.class) {
                return Float.parseFloat(text);
            } else if (t == double.class || t == Double.class) {
                return Double.parseDouble(text);
            } else if (t == boolean.class || t == Boolean.class) {
                if (text.equalsIgnoreCase("true") || text.equalsIgnoreCase("false")) {
                    return Boolean.parseBoolean(text);
                }
                throw new IllegalArgumentException("parameter '" + name + "' must be true or false, got '" + text + "'");
            } else if (t.isEnum()) {
                for (Object e : t.getEnumConstants()) {
                    if (((Enum<?>) e).name().equalsIgnoreCase(text)) {
                        return e;
                    }
                }
                throw new IllegalArgumentException("parameter '" + name + "' must be one of "
                        + Arrays.stream(t.getEnumConstants()).map(e -> ((Enum<?>) e).name().toLowerCase()).toList() + ", got '" + text + "'");
            }
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("parameter '" + name + "' must be a" + (t == int.class || t == long.class ? "n integer" : " number")
                    + ", got '" + text + "'");
        }
        throw new IllegalStateException("parameter '" + name + "' has unsupported type " + t.getName());
    }

    private static void check(RecordComponent c, Object v) {
        Param p = c.getAnnotation(Param.class);
        if (p == null || !(v instanceof Number n)) {
            return;
        }
        double d = n.doubleValue();
        if (Double.isNaN(d) || d < p.min() || d > p.max()) {
            throw new IllegalArgumentException("parameter '" + c.getName() + "' must be in " + (Double.isInfinite(p.min()) ? "(-inf" : "[" + format(p.min()))
                    + ", " + (Double.isInfinite(p.max()) ? "inf)" : format(p.max()) + "]") + ", got " + text(v));
        }
    }

    private static <P extends Record> P construct(Class<P> type, RecordComponent[] comps, Object[] values) {
        Class<?>[] types = Arrays.stream(comps).map(RecordComponent::getType).toArray(Class<?>[]::new);
        try {
            Constructor<P> ctor = type.getDeclaredConstructor(types);
            ctor.setAccessible(true);
            return ctor.newInstance(values);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof IllegalArgumentException iae) {
                throw iae;
            }
            throw new IllegalStateException("cannot create " + type.getSimpleName() + ": " + e.getCause(), e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot create " + type.getSimpleName(), e);
        }
    }
}

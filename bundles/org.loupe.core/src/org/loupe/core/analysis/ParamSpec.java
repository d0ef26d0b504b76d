package org.loupe.core.analysis;

import java.util.List;

/**
 * The description of one parameter, derived from a parameter record: what forms and {@code --help}
 * show.
 *
 * @param name         the record component's name (the key in {@code key=value})
 * @param type         the Java type
 * @param defaultValue the default, as text
 * @param description  the {@link Param} text, or empty
 * @param min          smallest allowed number, or -infinity
 * @param max          largest allowed number, or +infinity
 * @param choices      the allowed values of an enum, else empty
 *
 * @since 0.1
 */
public record ParamSpec(String name, Class<?> type, String defaultValue, String description, double min, double max,
        List<String> choices) {

    /** A one-line summary such as {@code bins (int, 1..1000, default 50): number of histogram bins}. */
    public String summary() {
        StringBuilder b = new StringBuilder(name).append(" (").append(choices.isEmpty() ? type.getSimpleName() : String.join("|", choices));
        if (!Double.isInfinite(min) || !Double.isInfinite(max)) {
            b.append(", ").append(Double.isInfinite(min) ? "" : ParameterBinder.format(min)).append("..")
                    .append(Double.isInfinite(max) ? "" : ParameterBinder.format(max));
        }
        b.append(", default ").append(defaultValue).append(")");
        if (!description.isEmpty()) {
            b.append(": ").append(description);
        }
        return b.toString();
    }
}

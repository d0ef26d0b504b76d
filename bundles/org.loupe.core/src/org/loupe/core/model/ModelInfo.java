package org.loupe.core.model;

import java.util.List;
import java.util.Optional;

/**
 * The identity of a loaded model, recorded in the provenance of every result computed on it.
 *
 * @param id             a stable identifier (built-in id, or the file name)
 * @param name           a human-readable name
 * @param architecture   the architecture family ({@code sequential-cnn}, {@code resnet50}, ...)
 * @param contentHash    SHA-256 of the weights (hex), so a result can be tied to exact weights
 * @param source         where it was loaded from (a path or {@code builtin:<id>})
 * @param parameterCount number of scalar parameters
 * @param configuration  the resolved configuration, each value with its origin (empty if the
 *                       loader does not report one)
 *
 * @since 0.1
 */
public record ModelInfo(String id, String name, String architecture, String contentHash, String source,
        long parameterCount, List<ConfigValue> configuration) {

    /** The configuration key of the input size ({@code 3x224x224}). */
    public static final String INPUT_SIZE = "input size";

    /** The configuration key of the resize and crop applied to images of other sizes. */
    public static final String RESIZE = "resize";

    /** The configuration key of the input normalisation. */
    public static final String NORMALIZATION = "normalization";

    /** A model identity without a reported configuration. */
    public ModelInfo(String id, String name, String architecture, String contentHash, String source, long parameterCount) {
        this(id, name, architecture, contentHash, source, parameterCount, List.of());
    }

    /** Copies the configuration. */
    public ModelInfo {
        configuration = configuration == null ? List.of() : List.copyOf(configuration);
    }

    /** The same identity with {@code count} parameters. */
    public ModelInfo withParameterCount(long count) {
        return new ModelInfo(id, name, architecture, contentHash, source, count, configuration);
    }

    /**
     * The same identity whose configuration also says the input size, resize and normalisation of
     * {@code input} where the loader did not report them (so every run's provenance records how
     * its images were brought to the model).
     */
    public ModelInfo withInput(InputSpec input) {
        List<ConfigValue> c = new java.util.ArrayList<>(configuration);
        String from = "the model's input specification";
        if (config(INPUT_SIZE).isEmpty()) {
            c.add(new ConfigValue(INPUT_SIZE, input.channels() + "x" + input.height() + "x" + input.width(), ConfigValue.Origin.CONFIG, from, null));
        }
        if (config(RESIZE).isEmpty()) {
            c.add(new ConfigValue(RESIZE, input.resize().describe(input.height(), input.width()), ConfigValue.Origin.CONFIG, from, null));
        }
        if (config(NORMALIZATION).isEmpty()) {
            c.add(new ConfigValue(NORMALIZATION, input.normalization().toString(), ConfigValue.Origin.CONFIG, from, null));
        }
        return c.size() == configuration.size() ? this : new ModelInfo(id, name, architecture, contentHash, source, parameterCount, c);
    }

    /** The configuration value called {@code key}, if there is one. */
    public Optional<ConfigValue> config(String key) {
        return configuration.stream().filter(c -> c.name().equals(key)).findFirst();
    }

    /** The guesses that can change the model's numbers ({@link ConfigValue#warns()}). */
    public List<ConfigValue> warnings() {
        return configuration.stream().filter(ConfigValue::warns).toList();
    }
}

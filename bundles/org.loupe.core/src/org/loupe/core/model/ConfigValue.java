package org.loupe.core.model;

/**
 * One value of a model's resolved configuration (architecture, attention heads, LayerNorm eps,
 * normalisation, input size, resize and crop, ...) with where it came from, so that a user can
 * see what Loupe read and what it guessed. Shown by {@code loupe list --model} and the Model view,
 * recorded in every run's provenance.
 *
 * @param name   what the value is ({@code heads}, {@code layer_norm_eps}, {@code normalization}, ...)
 * @param value  the value as text
 * @param origin whether it was read from the weight file, from a sidecar or config file, or guessed
 * @param detail where exactly, or why the guess ({@code config.json num_attention_heads},
 *               {@code width 768 / 64}, ...)
 * @param settle for a guess that can change the model's numbers: the sidecar line that would settle
 *               it (such as {@code "heads": 12}); null when a wrong guess cannot change the numbers
 *
 * @since 0.1
 */
public record ConfigValue(String name, String value, Origin origin, String detail, String settle) {

    /** Where a value came from. */
    public enum Origin {
        /** Read from the weight file: tensor names and shapes, or the file's published name. */
        FILE("file"),
        /** Given by a sidecar or a config file next to the weights (config.json, preprocessor_config.json). */
        CONFIG("config"),
        /** Not stated anywhere: Loupe's default for the architecture. */
        GUESSED("guessed");

        private final String label;

        Origin(String label) {
            this.label = label;
        }

        /** A short label: {@code file}, {@code config}, {@code guessed}. */
        public String label() {
            return label;
        }
    }

    /** Validates the fields. */
    public ConfigValue {
        if (name == null || name.isBlank() || value == null || origin == null) {
            throw new IllegalArgumentException("a configuration value needs a name, a value and an origin");
        }
        detail = detail == null ? "" : detail;
    }

    /** Whether this is a guess that can change the model's numbers (shown as a warning). */
    public boolean warns() {
        return origin == Origin.GUESSED && settle != null;
    }

    /** One line such as {@code heads: 12 (guessed: width 768 / 64)}. */
    public String describe() {
        return name + ": " + value + " (" + origin.label() + (detail.isEmpty() ? "" : ": " + detail) + ")";
    }

    /** The warning for a guess that can change the numbers, with the sidecar line that settles it; empty otherwise. */
    public String warning() {
        if (!warns()) {
            return "";
        }
        return name + " " + value + " is a guess (" + detail + "); if the model was made otherwise, its numbers are wrong. "
                + "Settle it in the sidecar with " + settle + " (or the model's own value).";
    }
}

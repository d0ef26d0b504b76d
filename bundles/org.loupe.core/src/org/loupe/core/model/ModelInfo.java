package org.loupe.core.model;

/**
 * The identity of a loaded model, recorded in the provenance of every result computed on it.
 *
 * @param id             a stable identifier (built-in id, or the file name)
 * @param name           a human-readable name
 * @param architecture   the architecture family ({@code sequential-cnn}, {@code resnet50}, ...)
 * @param contentHash    SHA-256 of the weights (hex), so a result can be tied to exact weights
 * @param source         where it was loaded from (a path or {@code builtin:<id>})
 * @param parameterCount number of scalar parameters
 */
public record ModelInfo(String id, String name, String architecture, String contentHash, String source,
        long parameterCount) {
}

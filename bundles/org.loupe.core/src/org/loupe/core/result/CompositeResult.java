package org.loupe.core.result;

import java.util.List;

/**
 * Several results shown together, in order.
 *
 * @param title the title
 * @param parts the parts
 *
 * @since 0.1
 */
public record CompositeResult(String title, List<Result> parts) implements Result {

    /** Copies the parts. */
    public CompositeResult {
        parts = List.copyOf(parts);
    }
}

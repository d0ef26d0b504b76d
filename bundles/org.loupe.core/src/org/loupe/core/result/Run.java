package org.loupe.core.result;

/**
 * A result with its provenance, as kept in the run store.
 *
 * @param id         the run's id in the store (sortable by time)
 * @param provenance what produced it
 * @param result     what was produced
 *
 * @since 0.1
 */
public record Run(String id, Provenance provenance, Result result) {
}

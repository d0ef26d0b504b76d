package org.loupe.test.broken;

/** The parameters of an analysis that takes none. */
public record NoParameters() {
}

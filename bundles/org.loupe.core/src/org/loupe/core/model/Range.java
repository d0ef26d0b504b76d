package org.loupe.core.model;

import java.util.Optional;

/**
 * The part of a network one forward pass runs: from the input or from a resumable hook point, to
 * the output or up to a hook point. Stopping after a hook point computes nothing beyond it (the
 * pass returns that activation as its output); starting at a hook point takes that activation as
 * given and runs the rest of the network.
 *
 * <p>Where the pass starts, the given activation <em>enters</em> the hook point: the hook point's own
 * hooks (record, intervene, gradient) apply to it, as they would in a full pass. Where it stops, the
 * returned activation is the one <em>leaving</em> the hook point, after its hooks. So a prefix that
 * stops after {@code P} with no hooks at {@code P}, followed by a suffix from {@code P}, computes
 * what the full pass computes.
 *
 * @param from      the hook point to start at, or null to start at the input
 * @param stopAfter the hook point to stop after, or null to run to the output
 *
 * @since 0.1
 */
public record Range(String from, String stopAfter) {

    /** The whole network: input to output. */
    public static final Range ALL = new Range(null, null);

    /** From the input up to and including {@code hookPoint}. */
    public static Range until(String hookPoint) {
        return new Range(null, hookPoint);
    }

    /** From {@code hookPoint} (given its activation) to the output. */
    public static Range from(String hookPoint) {
        return new Range(hookPoint, null);
    }

    /** This range, stopping after {@code hookPoint}. */
    public Range stopAfter(String hookPoint) {
        return new Range(from, hookPoint);
    }

    /** The start, if the pass does not start at the input. */
    public Optional<String> start() {
        return Optional.ofNullable(from);
    }

    /** The stop, if the pass does not run to the output. */
    public Optional<String> stop() {
        return Optional.ofNullable(stopAfter);
    }

    /** Whether this is the whole network. */
    public boolean isAll() {
        return from == null && stopAfter == null;
    }
}

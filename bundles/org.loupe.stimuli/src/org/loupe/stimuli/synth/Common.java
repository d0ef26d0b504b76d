package org.loupe.stimuli.synth;

import java.util.List;

/** Texts and small helpers shared by the stimulus parameter records. */
final class Common {

    /** The description of every stimulus's {@code vary} parameter. */
    static final String VARY = "parameters drawn at random for each image: name or name:lo..hi (enums: name:a/b), joined by +; * for all";

    private Common() {
    }

    /** A point as a ground-truth list {@code [x, y]}. */
    static List<Double> point(double x, double y) {
        return List.of(x, y);
    }
}

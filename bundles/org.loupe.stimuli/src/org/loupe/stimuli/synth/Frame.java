package org.loupe.stimuli.synth;

/**
 * The stimulus coordinate frame and its conversion to pixels. Stimulus parameters use a frame with
 * its origin at the image centre, x to the right and y up; directions (orientations) are angles in
 * degrees counter-clockwise from +x, so 0 points right and 90 points to the top of the image.
 * Pixel coordinates (ground-truth boxes, masks, {@code *Pixel} entries) have their origin at the
 * top-left corner, x right and y down; pixel (c, r) covers [c, c+1) x [r, r+1).
 *
 * @since 0.1
 */
public final class Frame {

    private Frame() {
    }

    /** Pixel x of stimulus x in an image of {@code size} pixels. */
    public static double px(int size, double x) {
        return size / 2.0 + x;
    }

    /** Pixel y of stimulus y in an image of {@code size} pixels. */
    public static double py(int size, double y) {
        return size / 2.0 - y;
    }

    /** The x component, in pixels (right), of the unit vector pointing at {@code degrees}. */
    public static double dx(double degrees) {
        return Math.cos(Math.toRadians(degrees));
    }

    /** The y component, in pixels (down), of the unit vector pointing at {@code degrees}. */
    public static double dy(double degrees) {
        return -Math.sin(Math.toRadians(degrees));
    }
}

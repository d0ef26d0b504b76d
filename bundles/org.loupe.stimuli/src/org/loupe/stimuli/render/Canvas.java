package org.loupe.stimuli.render;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;

import org.loupe.core.images.RasterImage;

/**
 * An RGB drawing surface for stimuli: a {@link BufferedImage} with a {@link Graphics2D} set up for
 * exact antialiased geometry (antialiasing on, quality rendering, pure strokes so shapes are not
 * nudged to pixel centres). Works headless. Pixel (x, y) covers the square [x, x+1) x [y, y+1);
 * its centre is (x + 0.5, y + 0.5).
 *
 * @since 0.1
 */
public final class Canvas implements AutoCloseable {

    private final BufferedImage image;
    private final Graphics2D graphics;
    private final int[] data;

    /** A black canvas of {@code width x height} pixels. */
    public Canvas(int width, int height) {
        image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        data = ((DataBufferInt) image.getRaster().getDataBuffer()).getData();
        graphics = image.createGraphics();
        graphics.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        graphics.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
        graphics.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
        graphics.setRenderingHint(RenderingHints.KEY_COLOR_RENDERING, RenderingHints.VALUE_COLOR_RENDER_QUALITY);
    }

    /** Width in pixels. */
    public int width() {
        return image.getWidth();
    }

    /** Height in pixels. */
    public int height() {
        return image.getHeight();
    }

    /** The graphics to draw with (owned by the canvas; do not dispose). */
    public Graphics2D graphics() {
        return graphics;
    }

    /** Replaces every pixel with {@code rgb} (packed {@code 0xRRGGBB}, row by row). */
    public void setPixels(int[] rgb) {
        if (rgb.length != data.length) {
            throw new IllegalArgumentException("expected " + data.length + " pixels, got " + rgb.length);
        }
        System.arraycopy(rgb, 0, data, 0, data.length);
    }

    /** A copy of the pixels, packed {@code 0xRRGGBB}, row by row. */
    public int[] pixels() {
        int[] out = data.clone();
        for (int i = 0; i < out.length; i++) {
            out[i] &= 0xFFFFFF;
        }
        return out;
    }

    /** The pixels as an image. */
    public RasterImage toRaster() {
        return new RasterImage(width(), height(), data);
    }

    @Override
    public void close() {
        graphics.dispose();
    }
}

package org.loupe.ui;

import org.eclipse.swt.graphics.ImageData;
import org.eclipse.swt.graphics.PaletteData;
import org.loupe.core.images.RasterImage;

/**
 * Conversions between Loupe's {@link RasterImage} and SWT images.
 *
 * @since 0.1
 */
public final class SwtImages {

    private SwtImages() {
    }

    /** SWT image data with the pixels of {@code image} (24-bit direct colour). */
    public static ImageData toImageData(RasterImage image) {
        ImageData data = new ImageData(image.width(), image.height(), 24, new PaletteData(0xFF0000, 0x00FF00, 0x0000FF));
        int[] px = image.rgb();
        for (int y = 0; y < image.height(); y++) {
            data.setPixels(0, y, image.width(), px, y * image.width());
        }
        return data;
    }
}

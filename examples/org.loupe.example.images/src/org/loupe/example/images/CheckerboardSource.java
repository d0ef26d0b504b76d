package org.loupe.example.images;

import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.OptionalInt;

import org.loupe.core.analysis.Param;
import org.loupe.core.analysis.Validating;
import org.loupe.core.images.ImageSource;
import org.loupe.core.images.ImageSourceFactory;
import org.loupe.core.images.RasterImage;
import org.loupe.core.images.SourceImage;

/**
 * Loupe's example image source: checkerboards made from parameters. Image {@code i} of
 * {@code count} has {@code cells} x {@code cells} squares of {@code size / cells} pixels, shifted
 * right by {@code i * shift} pixels (wrapping around), in two grey levels {@code contrast} apart
 * around mid-grey: pixel (x, y) is light where {@code floor((x + i * shift) / side) + floor(y / side)}
 * is even. Each image's ground truth holds its index and shift, so an analysis can relate a unit's
 * response to the phase of the pattern. The seed is not used: the images follow from the parameters.
 */
public class CheckerboardSource implements ImageSourceFactory<CheckerboardSource.Params> {

    /**
     * Parameters.
     *
     * @param count    how many images
     * @param size     width and height in pixels
     * @param cells    squares along each side
     * @param shift    pixels image i+1 is shifted right of image i
     * @param contrast the difference of the two grey levels, 0 (flat grey) to 1 (black and white)
     */
    public record Params(@Param(value = "number of images", min = 1, max = 100_000) int count,
            @Param(value = "width and height in pixels", min = 2, max = 4096) int size,
            @Param(value = "squares along each side", min = 1, max = 1024) int cells,
            @Param(value = "pixels each image is shifted right of the one before", min = 0, max = 4096) int shift,
            @Param(value = "difference of the two grey levels, 0 to 1", min = 0, max = 1) double contrast) implements Validating {

        @Override
        public void validate() {
            if (cells > size) {
                throw new IllegalArgumentException("parameter 'cells' (" + cells + ") must not exceed 'size' (" + size
                        + "): a square needs at least one pixel");
            }
        }
    }

    @Override
    public Class<Params> parametersType() {
        return Params.class;
    }

    @Override
    public Params defaults() {
        return new Params(8, 64, 8, 1, 1.0);
    }

    @Override
    public ImageSource open(Params p, long seed) {
        p.validate();
        int side = p.size() / p.cells();
        int light = grey(0.5 + p.contrast() / 2);
        int dark = grey(0.5 - p.contrast() / 2);
        return new ImageSource() {
            @Override
            public String describe() {
                return p.count() + " checkerboards of " + p.size() + "x" + p.size() + ", " + p.cells() + "x" + p.cells() + " squares, contrast "
                        + p.contrast() + ", shifted by " + p.shift() + " px per image";
            }

            @Override
            public OptionalInt size() {
                return OptionalInt.of(p.count());
            }

            @Override
            public Iterator<SourceImage> iterator() {
                return new Iterator<>() {
                    private int i;

                    @Override
                    public boolean hasNext() {
                        return i < p.count();
                    }

                    @Override
                    public SourceImage next() {
                        if (!hasNext()) {
                            throw new NoSuchElementException();
                        }
                        int offset = (int) ((long) i * p.shift() % p.size());
                        int[] px = new int[p.size() * p.size()];
                        for (int y = 0; y < p.size(); y++) {
                            for (int x = 0; x < p.size(); x++) {
                                int square = ((x + offset) % p.size()) / side + y / side;
                                px[y * p.size() + x] = square % 2 == 0 ? light : dark;
                            }
                        }
                        SourceImage image = new SourceImage("checkerboard-" + i, new RasterImage(p.size(), p.size(), px), null,
                                Map.of("index", i, "shift", offset));
                        i++;
                        return image;
                    }
                };
            }
        };
    }

    /** The RGB value of a grey level in [0, 1]. */
    private static int grey(double level) {
        int v = (int) Math.round(255 * level);
        return v << 16 | v << 8 | v;
    }
}

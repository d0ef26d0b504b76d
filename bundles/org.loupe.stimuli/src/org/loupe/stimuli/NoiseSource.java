package org.loupe.stimuli;

import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.OptionalInt;
import java.util.SplittableRandom;

import org.loupe.core.analysis.Param;
import org.loupe.core.images.ImageSource;
import org.loupe.core.images.ImageSourceFactory;
import org.loupe.core.images.RasterImage;
import org.loupe.core.images.SourceImage;

/**
 * Images of independent uniform random RGB pixels; image i depends only on the seed and i.
 *
 * @since 0.1
 */
public class NoiseSource implements ImageSourceFactory<NoiseSource.Params> {

    /**
     * Parameters.
     *
     * @param count how many images
     * @param size  width and height in pixels
     */
    public record Params(@Param(value = "number of images", min = 1, max = 100_000) int count,
            @Param(value = "width and height in pixels", min = 1, max = 4096) int size) {
    }

    @Override
    public Class<Params> parametersType() {
        return Params.class;
    }

    @Override
    public Params defaults() {
        return new Params(16, 64);
    }

    @Override
    public ImageSource open(Params p, long seed) {
        return new ImageSource() {
            @Override
            public String describe() {
                return p.count() + " uniform-noise images of " + p.size() + "x" + p.size() + " (seed " + seed + ")";
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
                        SplittableRandom r = new SplittableRandom(seed * 1_000_003L + i);
                        int[] px = new int[p.size() * p.size()];
                        for (int k = 0; k < px.length; k++) {
                            px[k] = r.nextInt(1 << 24);
                        }
                        String name = "noise-" + i;
                        i++;
                        return new SourceImage(name, new RasterImage(p.size(), p.size(), px), null, Map.of("index", i - 1));
                    }
                };
            }
        };
    }
}

package org.loupe.core.tests;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

import org.loupe.core.analysis.Param;
import org.loupe.core.images.ImageSource;
import org.loupe.core.images.ImageSourceFactory;
import org.loupe.core.images.RasterImage;
import org.loupe.core.images.SourceImage;

/** Test image source: {@code count} images, image i has gray level {@code level + i}. */
public class GraySource implements ImageSourceFactory<GraySource.Params> {

    /** Parameters. */
    public record Params(@Param(value = "images", min = 1, max = 100) int count,
            @Param(value = "first gray level", min = 0, max = 255) int level, @Param("size") int size) {
    }

    @Override
    public Class<Params> parametersType() {
        return Params.class;
    }

    @Override
    public Params defaults() {
        return new Params(3, 100, 2);
    }

    @Override
    public ImageSource open(Params p, long seed) {
        List<SourceImage> images = new ArrayList<>();
        for (int i = 0; i < p.count(); i++) {
            int v = Math.min(255, p.level() + i);
            int[] px = new int[p.size() * p.size()];
            Arrays.fill(px, v << 16 | v << 8 | v);
            images.add(new SourceImage("gray-" + v, new RasterImage(p.size(), p.size(), px), null, Map.of("level", v)));
        }
        return new ImageSource() {
            @Override
            public String describe() {
                return p.count() + " gray images";
            }

            @Override
            public OptionalInt size() {
                return OptionalInt.of(images.size());
            }

            @Override
            public Iterator<SourceImage> iterator() {
                return images.iterator();
            }
        };
    }
}

package org.loupe.example.images.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.loupe.core.images.ImageSource;
import org.loupe.core.images.SourceImage;
import org.loupe.core.registry.LoupeRegistry;

/** The example image source, opened by its id through the registry as an analysis or `--image` would. */
class CheckerboardSourceTest {

    private static final int LIGHT = 0xFFFFFF;
    private static final int DARK = 0x000000;

    private static List<SourceImage> images(String spec) {
        List<SourceImage> out = new ArrayList<>();
        try (ImageSource s = new LoupeRegistry().openImages(spec, 5)) {
            s.forEach(out::add);
        }
        return out;
    }

    @Test
    void contributedByThePlugin() {
        assertEquals("org.loupe.example.images", new LoupeRegistry().imageSources().stream()
                .filter(d -> d.id().equals("checkerboard")).findFirst().orElseThrow().contributor());
    }

    @Test
    void squaresAlternateAndEachImageIsShifted() {
        List<SourceImage> images = images("checkerboard:count=3,size=8,cells=2,shift=1");
        assertEquals(3, images.size());
        // image 0: 4x4 squares, light at the top left; image 1 is image 0 moved right by one pixel
        String[] rows0 = {"LLLLDDDD", "DDDDLLLL"};
        String[] rows1 = {"LLLDDDDL", "DDDLLLLD"};
        assertEquals(pattern(rows0), pattern(images.get(0)));
        assertEquals(pattern(rows1), pattern(images.get(1)));
        assertEquals(Map.of("index", 2, "shift", 2), images.get(2).groundTruth());
        assertEquals("checkerboard-2", images.get(2).name());
    }

    @Test
    void contrastSetsTheTwoGreyLevels() {
        SourceImage flat = images("checkerboard:count=1,size=4,cells=2,contrast=0").get(0);
        for (int px : flat.image().rgb()) {
            assertEquals(0x808080, px, "contrast 0 is mid-grey everywhere");
        }
        SourceImage half = images("checkerboard:count=1,size=4,cells=2,contrast=0.5").get(0);
        assertEquals(0xBFBFBF, half.image().pixel(0, 0), "light: round(255 * 0.75) = 191");
        assertEquals(0x404040, half.image().pixel(2, 0), "dark: round(255 * 0.25) = 64");
    }

    @Test
    void wrongParametersSayWhatIsAllowed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> images("checkerboard:size=4,cells=8"));
        assertTrue(e.getMessage().contains("'cells' (8) must not exceed 'size' (4)"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> images("checkerboard:contrast=2"));
        assertTrue(e.getMessage().contains("contrast"), e.getMessage());
    }

    /** The rows of 8x8 image with two kinds of rows, each repeated for 4 pixel rows. */
    private static List<String> pattern(String[] rows) {
        List<String> out = new ArrayList<>();
        for (int y = 0; y < 8; y++) {
            out.add(rows[y / 4]);
        }
        return out;
    }

    private static List<String> pattern(SourceImage image) {
        List<String> out = new ArrayList<>();
        for (int y = 0; y < image.image().height(); y++) {
            StringBuilder b = new StringBuilder();
            for (int x = 0; x < image.image().width(); x++) {
                int px = image.image().pixel(x, y);
                b.append(px == LIGHT ? 'L' : px == DARK ? 'D' : '?');
            }
            out.add(b.toString());
        }
        return out;
    }
}

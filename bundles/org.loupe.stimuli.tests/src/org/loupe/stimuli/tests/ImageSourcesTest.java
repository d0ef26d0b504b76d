package org.loupe.stimuli.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.loupe.core.images.ImageSource;
import org.loupe.core.images.RasterImage;
import org.loupe.core.images.SourceImage;
import org.loupe.core.registry.LoupeRegistry;

/** Folders stream with labels and skip what cannot be decoded; noise is reproducible from the seed. */
class ImageSourcesTest {

    @TempDir
    Path dir;

    private final LoupeRegistry registry = new LoupeRegistry();

    private static void png(Path file, int rgb) throws IOException {
        BufferedImage img = new BufferedImage(5, 3, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 3; y++) {
            for (int x = 0; x < 5; x++) {
                img.setRGB(x, y, rgb);
            }
        }
        Files.createDirectories(file.getParent());
        ImageIO.write(img, file.getFileName().toString().endsWith(".jpg") ? "jpg" : "png", file.toFile());
    }

    @Test
    void folderWithLabelsAndACorruptJpeg() throws IOException {
        png(dir.resolve("cat/a.png"), 0xFF0000);
        png(dir.resolve("cat/b.png"), 0x00FF00);
        png(dir.resolve("dog/c.jpg"), 0x0000FF);
        Files.write(dir.resolve("dog/broken.jpg"), new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, 1, 2, 3});
        png(dir.resolve("top.png"), 0x808080);
        Files.writeString(dir.resolve("notes.txt"), "not an image");
        try (ImageSource s = registry.openImages(dir.toString(), 0)) {
            assertEquals(5, s.size().getAsInt(), "candidate image files");
            List<SourceImage> images = new ArrayList<>();
            s.forEach(images::add);
            assertEquals(List.of("cat/a.png", "cat/b.png", "dog/c.jpg", "top.png"), images.stream().map(SourceImage::name).toList());
            assertEquals(List.of("cat", "cat", "dog"), images.subList(0, 3).stream().map(SourceImage::label).toList());
            assertNull(images.get(3).label());
            assertEquals(0xFF0000, images.get(0).image().pixel(2, 1));
            assertEquals(List.of("dog/broken.jpg: not a decodable image"), s.problems().stream().map(p -> p.replaceAll(" \\(.*", "")).toList());
        }
    }

    @Test
    void singleFileAndLimit() throws IOException {
        png(dir.resolve("one.png"), 0x123456);
        png(dir.resolve("two.png"), 0x654321);
        try (ImageSource s = registry.openImages(dir.resolve("one.png").toString(), 0)) {
            assertEquals(0x123456, s.iterator().next().image().pixel(0, 0));
        }
        try (ImageSource s = registry.openImageSource("folder", java.util.Map.of("path", dir.toString(), "limit", "1"), 0)) {
            assertEquals(1, s.size().getAsInt());
        }
    }

    @Test
    void emptyOrMissingFolders() throws IOException {
        Files.createDirectories(dir.resolve("empty"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> registry.openImages(dir.resolve("empty").toString(), 0));
        assertTrue(e.getMessage().contains("has no image files"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> registry.openImages(dir.resolve("nothing/here").toString(), 0));
        assertTrue(e.getMessage().contains("There is no file or folder"), e.getMessage());
    }

    @Test
    void noiseIsReproducibleFromTheSeed() {
        List<RasterImage> a = new ArrayList<>();
        List<RasterImage> b = new ArrayList<>();
        List<RasterImage> c = new ArrayList<>();
        registry.openImages("noise:count=3,size=8", 5).forEach(s -> a.add(s.image()));
        registry.openImages("noise:count=3,size=8", 5).forEach(s -> b.add(s.image()));
        registry.openImages("noise:count=3,size=8", 6).forEach(s -> c.add(s.image()));
        assertEquals(3, a.size());
        assertEquals(8, a.get(0).width());
        assertEquals(a, b);
        assertNotEquals(a, c);
        assertNotEquals(a.get(0), a.get(1));
        // uniform pixels: mean channel value near 127.5 over 3 x 64 pixels x 3 channels
        double sum = 0;
        for (RasterImage img : a) {
            for (int px : img.rgb()) {
                sum += ((px >> 16) & 255) + ((px >> 8) & 255) + (px & 255);
            }
        }
        assertEquals(127.5, sum / (3 * 64 * 3), 10);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> registry.openImages("noise:count=0", 0));
        assertTrue(e.getMessage().contains("parameter 'count' must be in [1, 100000], got 0"), e.getMessage());
    }
}

package org.loupe.testing;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

import javax.imageio.ImageIO;

/**
 * Test data on disk: folders of random images, raw float files for the oracle scripts.
 *
 * @since 0.1
 */
public final class TestImages {

    private TestImages() {
    }

    /** A folder {@code folder} of {@code count} random-pixel PNG images {@code imgNN.png} of {@code size x size}, drawn with {@code seed}. */
    public static Path random(Path folder, int count, int size, long seed) throws IOException {
        Files.createDirectories(folder);
        Random random = new Random(seed);
        for (int i = 0; i < count; i++) {
            BufferedImage img = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
            for (int y = 0; y < size; y++) {
                for (int x = 0; x < size; x++) {
                    img.setRGB(x, y, random.nextInt(0x1000000));
                }
            }
            ImageIO.write(img, "png", folder.resolve(String.format("img%02d.png", i)).toFile());
        }
        return folder;
    }

    /** Writes {@code values} as raw little-endian float32 (for the oracle scripts). */
    public static void writeFloats(Path file, float[] values) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(values);
        Files.write(file, b.array());
    }
}

package org.loupe.models.zoo;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Class labels bundled with Loupe.
 *
 * @since 0.1
 */
public final class Labels {

    private Labels() {
    }

    /** The 1000 ImageNet-1k class names in the order torchvision and timm use. */
    public static List<String> imagenet1k() {
        try (InputStream in = Labels.class.getResourceAsStream("/labels/imagenet-1k.txt")) {
            if (in == null) {
                throw new IllegalStateException("the bundled labels/imagenet-1k.txt is missing");
            }
            List<String> out = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
            if (out.size() != 1000) {
                throw new IllegalStateException("labels/imagenet-1k.txt has " + out.size() + " lines, expected 1000");
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code class 0} .. {@code class n-1}. */
    public static List<String> numbered(int n) {
        List<String> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add("class " + i);
        }
        return out;
    }
}

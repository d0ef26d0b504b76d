package org.loupe.models.zoo;

import java.util.List;

import org.loupe.models.cnn.ConvNeXtFamily;
import org.loupe.models.cnn.GoogLeNetFamily;
import org.loupe.models.cnn.InceptionV1Family;
import org.loupe.models.cnn.ResNetFamily;
import org.loupe.models.vit.VitArchitecture;

/**
 * The architecture families {@link ZooLoader} knows, in the order they are asked to detect.
 *
 * @since 0.1
 */
public final class Architectures {

    private Architectures() {
    }

    /** All families. */
    public static List<Architecture> all() {
        return List.of(
                new ResNetFamily(),
                new GoogLeNetFamily(),
                new InceptionV1Family(),
                new ConvNeXtFamily(),
                new VitArchitecture());
    }
}

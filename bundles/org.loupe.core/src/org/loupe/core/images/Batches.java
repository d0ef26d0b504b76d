package org.loupe.core.images;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Streams an image source in batches, the loop every analysis that runs a model over images needs:
 * at most {@code size} images are held at a time.
 *
 * @since 0.1
 */
public final class Batches {

    private Batches() {
    }

    /**
     * Hands the images of {@code source} to {@code body} in batches of at most {@code size}, in
     * order; calls {@code beforeBatch} before each batch (for example the run's cancellation check).
     *
     * @return the number of images
     */
    public static int forEach(ImageSource source, int size, Runnable beforeBatch, Consumer<List<SourceImage>> body) {
        if (size < 1) {
            throw new IllegalArgumentException("batch size must be at least 1, got " + size);
        }
        int count = 0;
        List<SourceImage> batch = new ArrayList<>(size);
        for (SourceImage image : source) {
            batch.add(image);
            if (batch.size() == size) {
                beforeBatch.run();
                body.accept(List.copyOf(batch));
                count += batch.size();
                batch.clear();
            }
        }
        if (!batch.isEmpty()) {
            beforeBatch.run();
            body.accept(List.copyOf(batch));
            count += batch.size();
        }
        return count;
    }
}

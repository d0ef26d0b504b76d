package org.loupe.stimuli;

import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;

import org.loupe.core.analysis.ParamSpec;
import org.loupe.core.analysis.ParameterBinder;
import org.loupe.core.images.ImageSource;
import org.loupe.core.images.ImageSourceFactory;
import org.loupe.core.images.SourceImage;
import org.loupe.core.registry.ImageSourceDescriptor;
import org.loupe.core.registry.LoupeRegistry;

/**
 * What a stimulus form with a live preview needs: the stimulus kinds, each one's parameters
 * (names, types, defaults, ranges, descriptions, enum choices) and its first image for a set of
 * parameter values.
 *
 * @since 0.1
 */
public final class Stimuli {

    /** The category of synthetic stimuli in {@code org.loupe.core.imageSources}. */
    public static final String CATEGORY = "Stimuli";

    private Stimuli() {
    }

    /** The contributed image sources of the {@value #CATEGORY} category, in declaration order. */
    public static List<ImageSourceDescriptor> kinds(LoupeRegistry registry) {
        return registry.imageSources().stream().filter(d -> d.category().equals(CATEGORY)).toList();
    }

    /** The parameters of a source, for a form. */
    public static List<ParamSpec> parameters(ImageSourceFactory<?> factory) {
        return specs(factory);
    }

    private static <P extends Record> List<ParamSpec> specs(ImageSourceFactory<P> f) {
        return ParameterBinder.specs(f.parametersType(), f.defaults());
    }

    /**
     * The first image the source gives for these parameters ({@code count} is set to 1 when the
     * source has it), for a live preview.
     *
     * @throws IllegalArgumentException if a parameter is wrong (the message names it)
     */
    public static SourceImage preview(ImageSourceFactory<?> factory, Map<String, String> parameters, long seed) {
        Map<String, String> p = new LinkedHashMap<>(parameters);
        boolean hasCount = Arrays.stream(factory.parametersType().getRecordComponents()).map(RecordComponent::getName).anyMatch("count"::equals);
        if (hasCount) {
            p.put("count", "1");
        }
        try (ImageSource s = factory.openFromText(p, seed)) {
            var it = s.iterator();
            if (!it.hasNext()) {
                throw new NoSuchElementException("the source gives no image: " + s.describe());
            }
            return it.next();
        }
    }
}

package org.loupe.stimuli.synth;

import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.OptionalInt;
import java.util.stream.Collectors;

import org.loupe.core.analysis.Param;
import org.loupe.core.analysis.ParameterBinder;
import org.loupe.core.analysis.Validating;
import org.loupe.core.images.ImageSource;
import org.loupe.core.images.ImageSourceFactory;
import org.loupe.core.images.SourceImage;
import org.loupe.core.registry.ImageSourceDescriptor;
import org.loupe.core.registry.LoupeRegistry;

/**
 * A stimulus sweep: one numeric parameter of an image source (any contributed source, usually a
 * stimulus such as {@code curves}) takes {@code steps} evenly spaced values while everything else
 * stays fixed: the images for tuning curves.
 *
 * <p>Values: {@code from + k * (to - from) / steps} for {@code k = 0 .. steps-1} (the end is left
 * out, right for periodic parameters: {@code from=0,to=360,steps=36} gives 0, 10, ..., 350), or
 * with {@code endpoint=true} {@code from + k * (to - from) / (steps - 1)} (both ends included).
 * Integer parameters get the values rounded. For each value the stimulus is opened with the sweep's
 * seed and its first {@code repeats} images are taken (its {@code count} is set to {@code repeats}),
 * so anything the stimulus draws at random ({@code vary}, noise backgrounds) is the same for every
 * value and only the swept parameter changes.
 *
 * <p>The stimulus's other parameters: every key of the spec that is not a sweep parameter is
 * passed on ({@code sweep:stimulus=curves,parameter=orientation,radius=40}), and so are the
 * {@code key=value} pairs of {@code fixed}, joined by {@code ;} (for forms). Unknown keys are errors
 * naming the parameters of both.
 *
 * <p>Each image's ground truth is the stimulus's plus {@code stimulus}, {@code parameter} (the
 * swept parameter's name), {@code value} (its value in this image, a double), {@code step} and
 * {@code repeat} (0-based).
 *
 * @since 0.1
 */
public class SweepSource implements ImageSourceFactory<SweepSource.Params> {

    /** The id this source is contributed under (a sweep cannot sweep itself). */
    public static final String ID = "sweep";

    /**
     * Parameters.
     *
     * @param stimulus  the image source to sweep
     * @param parameter its numeric parameter that varies
     * @param from      the first value
     * @param to        the end of the range
     * @param steps     the number of values
     * @param endpoint  whether {@code to} is the last value
     * @param repeats   images per value
     * @param fixed     more parameters for the stimulus, {@code key=value} joined by {@code ;}
     */
    public record Params(
            @Param("image source to sweep: curves, lines, edges, gratings, high-low, shapes, ...") String stimulus,
            @Param("the stimulus's numeric parameter that varies") String parameter,
            @Param("first value") double from,
            @Param("end of the range (the last value only with endpoint=true)") double to,
            @Param(value = "number of values", min = 1, max = 100_000) int steps,
            @Param("include 'to' as the last value (spacing (to-from)/(steps-1) instead of (to-from)/steps)") boolean endpoint,
            @Param(value = "images per value: the stimulus's first images, the same for every value", min = 1, max = 100_000) int repeats,
            @Param("more parameters for the stimulus: key=value joined by ; (other keys of the spec are passed on too)") String fixed)
            implements Validating {

        @Override
        public void validate() {
            if (!Double.isFinite(from) || !Double.isFinite(to)) {
                throw new IllegalArgumentException("sweep: 'from' and 'to' must be finite numbers");
            }
            if (stimulus.isBlank() || parameter.isBlank()) {
                throw new IllegalArgumentException("sweep: give stimulus=ID and parameter=NAME");
            }
        }

        /** The swept values, before rounding for integer parameters. */
        public double[] values() {
            double[] v = new double[steps];
            for (int k = 0; k < steps; k++) {
                v[k] = steps == 1 ? from : from + k * (to - from) / (endpoint ? steps - 1 : steps);
            }
            return v;
        }
    }

    @Override
    public Class<Params> parametersType() {
        return Params.class;
    }

    @Override
    public Params defaults() {
        return new Params("curves", "orientation", 0, 360, 36, false, 1, "");
    }

    @Override
    public ImageSource open(Params p, long seed) {
        return open(p, Map.of(), seed);
    }

    @Override
    public ImageSource openFromText(Map<String, String> parameters, long seed) {
        Map<String, String> own = new LinkedHashMap<>();
        Map<String, String> rest = new LinkedHashMap<>();
        List<String> ownNames = ownNames();
        parameters.forEach((k, v) -> (ownNames.contains(k) ? own : rest).put(k, v));
        return open(ParameterBinder.bind(Params.class, defaults(), own), rest, seed);
    }

    private static List<String> ownNames() {
        return Arrays.stream(Params.class.getRecordComponents()).map(RecordComponent::getName).toList();
    }

    private ImageSource open(Params p, Map<String, String> forwarded, long seed) {
        Map<String, String> base = new LinkedHashMap<>(forwarded);
        for (String pair : p.fixed().split(";")) {
            if (pair.isBlank()) {
                continue;
            }
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("sweep: 'fixed' must be key=value pairs joined by ';', got '" + pair.trim() + "'");
            }
            String key = pair.substring(0, eq).trim();
            if (base.put(key, pair.substring(eq + 1).trim()) != null) {
                throw new IllegalArgumentException("sweep: '" + key + "' is given twice");
            }
        }
        if (p.stimulus().equals(ID)) {
            throw new IllegalArgumentException("sweep: cannot sweep a sweep");
        }
        LoupeRegistry registry = new LoupeRegistry();
        ImageSourceDescriptor d = registry.imageSources().stream().filter(s -> s.id().equals(p.stimulus())).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("sweep: there is no stimulus '" + p.stimulus() + "'; image sources: "
                        + registry.imageSources().stream().map(ImageSourceDescriptor::id).filter(id -> !id.equals(ID)).collect(Collectors.joining(", "))));
        ImageSourceFactory<?> inner = d.createFactory();
        return new Sweep(p, inner, plan(p, inner, base), seed);
    }

    /** Checks everything and returns the stimulus parameters of each step. */
    private static List<Map<String, String>> plan(Params p, ImageSourceFactory<?> inner, Map<String, String> base) {
        String id = p.stimulus();
        Map<String, RecordComponent> comps = new LinkedHashMap<>();
        for (RecordComponent c : inner.parametersType().getRecordComponents()) {
            comps.put(c.getName(), c);
        }
        for (String key : base.keySet()) {
            if (!comps.containsKey(key)) {
                throw new IllegalArgumentException("sweep: unknown parameter '" + key + "'; parameters of " + id + ": "
                        + String.join(", ", comps.keySet()) + "; parameters of the sweep: " + String.join(", ", ownNames()));
            }
        }
        RecordComponent swept = comps.get(p.parameter());
        List<String> numeric = comps.values().stream().filter(c -> isNumber(c.getType()) && !c.getName().equals("count"))
                .map(RecordComponent::getName).toList();
        if (swept == null || !numeric.contains(p.parameter())) {
            throw new IllegalArgumentException("sweep: '" + p.parameter() + "' is not a numeric parameter of " + id + "; its numeric parameters: "
                    + String.join(", ", numeric));
        }
        if (base.containsKey(p.parameter())) {
            throw new IllegalArgumentException("sweep: '" + p.parameter() + "' is swept; do not also give it a value");
        }
        if (base.containsKey("count")) {
            throw new IllegalArgumentException("sweep: use 'repeats' for the number of images per value, not 'count'");
        }
        if (base.containsKey("vary") && Variation.names(base.get("vary")).contains(p.parameter())) {
            throw new IllegalArgumentException("sweep: '" + p.parameter() + "' is swept; remove it from vary");
        }
        if (base.containsKey("vary") && Variation.names(base.get("vary")).contains("*")) {
            throw new IllegalArgumentException("sweep: vary=* would also vary the swept '" + p.parameter() + "'; name the parameters to vary");
        }
        boolean hasCount = comps.containsKey("count");
        if (!hasCount && p.repeats() > 1) {
            throw new IllegalArgumentException("sweep: " + id + " has no 'count' parameter, so repeats must be 1");
        }
        boolean integer = swept.getType() == int.class || swept.getType() == long.class;
        List<Map<String, String>> steps = new ArrayList<>();
        for (double v : p.values()) {
            Map<String, String> m = new LinkedHashMap<>(base);
            m.put(p.parameter(), integer ? Long.toString(Math.round(v)) : Double.toString(v));
            if (hasCount) {
                m.put("count", Integer.toString(p.repeats()));
            }
            steps.add(m);
        }
        // bind the two ends now, so a bad range fails before any image is made
        for (Map<String, String> m : List.of(steps.get(0), steps.get(steps.size() - 1))) {
            try {
                bind(inner, m);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("sweep: " + p.parameter() + "=" + m.get(p.parameter()) + " does not work for " + id + ": "
                        + e.getMessage(), e);
            }
        }
        return steps;
    }

    private static <P extends Record> P bind(ImageSourceFactory<P> f, Map<String, String> m) {
        return ParameterBinder.bind(f.parametersType(), f.defaults(), m);
    }

    private static boolean isNumber(Class<?> t) {
        return t == double.class || t == float.class || t == int.class || t == long.class;
    }

    /** The opened sweep: opens the stimulus once per step, as the images are read. */
    private static final class Sweep implements ImageSource {
        private final Params p;
        private final ImageSourceFactory<?> inner;
        private final List<Map<String, String>> steps;
        private final long seed;

        Sweep(Params p, ImageSourceFactory<?> inner, List<Map<String, String>> steps, long seed) {
            this.p = p;
            this.inner = inner;
            this.steps = steps;
            this.seed = seed;
        }

        @Override
        public String describe() {
            return p.steps() + " values of " + p.stimulus() + " " + p.parameter() + " from " + p.from() + (p.endpoint() ? " to " : " towards ")
                    + p.to() + (p.repeats() > 1 ? ", " + p.repeats() + " images each" : "") + " (seed " + seed + ")";
        }

        @Override
        public OptionalInt size() {
            return OptionalInt.of(p.steps() * p.repeats());
        }

        @Override
        public Iterator<SourceImage> iterator() {
            return new Iterator<>() {
                private int step;
                private int repeat;
                private ImageSource current;
                private Iterator<SourceImage> images;

                @Override
                public boolean hasNext() {
                    while (true) {
                        if (images != null && repeat < p.repeats() && images.hasNext()) {
                            return true;
                        }
                        if (current != null) {
                            current.close();
                            current = null;
                            images = null;
                            step++;
                        }
                        if (step >= steps.size()) {
                            return false;
                        }
                        current = inner.openFromText(steps.get(step), seed);
                        images = current.iterator();
                        repeat = 0;
                    }
                }

                @Override
                public SourceImage next() {
                    if (!hasNext()) {
                        throw new NoSuchElementException();
                    }
                    SourceImage s = images.next();
                    String text = steps.get(step).get(p.parameter());
                    Map<String, Object> truth = new LinkedHashMap<>(s.groundTruth());
                    truth.put("stimulus", p.stimulus());
                    truth.put("parameter", p.parameter());
                    truth.put("value", Double.parseDouble(text));
                    truth.put("step", step);
                    truth.put("repeat", repeat);
                    String name = p.stimulus() + "-" + p.parameter() + "=" + text + (p.repeats() > 1 ? "-" + repeat : "");
                    repeat++;
                    return new SourceImage(name, s.image(), s.label(), truth);
                }
            };
        }
    }
}

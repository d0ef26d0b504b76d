package org.loupe.stimuli.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.loupe.core.analysis.ParamSpec;
import org.loupe.core.images.ImageSourceFactory;
import org.loupe.core.images.RasterImage;
import org.loupe.core.images.SourceImage;
import org.loupe.core.registry.ImageSourceDescriptor;
import org.loupe.core.registry.LoupeRegistry;
import org.loupe.stimuli.Stimuli;

/** What every stimulus shares: described parameters, the spec syntax, vary, determinism, exact ground truth, errors. */
class StimulusSourcesTest {

    private static final List<String> STIMULI = List.of("curves", "lines", "edges", "gratings", "high-low", "shapes");

    private final LoupeRegistry registry = new LoupeRegistry();

    private ImageSourceFactory<?> factory(String id) {
        return registry.imageSources().stream().filter(d -> d.id().equals(id)).findFirst().orElseThrow().createFactory();
    }

    private String error(String spec) {
        return assertThrows(IllegalArgumentException.class, () -> Px.first(registry, spec, 0)).getMessage();
    }

    @Test
    void everyParameterIsDescribedForForms() {
        Set<String> kinds = Stimuli.kinds(registry).stream().map(ImageSourceDescriptor::id).collect(Collectors.toSet());
        assertTrue(kinds.containsAll(STIMULI) && kinds.contains("sweep") && !kinds.contains("loupe-shapes"), kinds.toString());
        List<String> all = new ArrayList<>(STIMULI);
        all.add("sweep");
        all.add("loupe-shapes");
        for (String id : all) {
            ImageSourceFactory<?> f = factory(id);
            for (ParamSpec p : Stimuli.parameters(f)) {
                assertFalse(p.description().isBlank(), id + "." + p.name() + " has a description");
                boolean number = p.type() == int.class || p.type() == double.class;
                boolean open = id.equals("sweep") && (p.name().equals("from") || p.name().equals("to"));
                if (number && !open) {
                    assertTrue(Double.isFinite(p.min()) && Double.isFinite(p.max()), id + "." + p.name() + " has a range");
                }
                if (p.type().isEnum()) {
                    assertFalse(p.choices().isEmpty());
                }
            }
            // the defaults work, and a preview is one image of the default size
            SourceImage s = Stimuli.preview(f, Map.of(), 0);
            assertEquals(id.equals("loupe-shapes") ? 64 : 224, s.image().width(), id);
        }
        SourceImage p = Stimuli.preview(factory("curves"), Map.of("orientation", "45", "count", "10"), 0);
        assertEquals(45.0, Px.num(p, "orientation"));
        assertThrows(IllegalArgumentException.class, () -> Stimuli.preview(factory("curves"), Map.of("orientation", "-1"), 0));
    }

    @Test
    void theSpecSyntaxSetsParameters() {
        SourceImage s = Px.first(registry, "curves:orientation=90,radius=30", 5);
        assertEquals(90.0, Px.num(s, "orientation"));
        assertEquals(30.0, Px.num(s, "radius"));
        assertEquals(224, s.image().width());
        assertEquals(0, (int) Px.num(s, "index"));
        assertNotEquals(s.image(), Px.first(registry, "curves:orientation=0,radius=30", 5).image());
        assertEquals(3, Px.all(registry, "curves:count=3", 0).size());
    }

    /** The ground truth's parameters, as a spec that fixes them all. */
    private String specOf(String id, SourceImage s) {
        StringBuilder b = new StringBuilder(id).append(":count=1");
        for (RecordComponent c : factory(id).parametersType().getRecordComponents()) {
            if (!c.getName().equals("count") && !c.getName().equals("vary")) {
                b.append(',').append(c.getName()).append('=').append(s.groundTruth().get(c.getName()));
            }
        }
        return b.toString();
    }

    @Test
    void theGroundTruthParametersReproduceEachImageExactly() {
        for (String id : List.of("curves", "lines", "edges", "gratings", "shapes")) {
            List<SourceImage> images = Px.all(registry, id + ":count=12,size=48,vary=*", 11);
            Set<RasterImage> distinct = new HashSet<>();
            for (SourceImage s : images) {
                distinct.add(s.image());
                if (id.equals("curves") || id.equals("shapes")) {
                    if (!"plain".equals(s.groundTruth().get("background"))) {
                        continue; // textured backgrounds come from the image's own random stream
                    }
                }
                assertEquals(s.image(), Px.first(registry, specOf(id, s), 999).image(), id + " " + s.name() + " from " + specOf(id, s));
            }
            assertEquals(12, distinct.size(), id + ": vary=* gives different images");
        }
    }

    @Test
    void varyDrawsWithinTheGivenRanges() {
        List<SourceImage> images = Px.all(registry, "curves:count=300,size=64,vary=orientation:0..90+radius", 2);
        double omin = 360;
        double omax = 0;
        for (SourceImage s : images) {
            double o = Px.num(s, "orientation");
            omin = Math.min(omin, o);
            omax = Math.max(omax, o);
            assertTrue(o >= 0 && o <= 90, "orientation " + o);
            double r = Px.num(s, "radius");
            assertTrue(r >= 6.4 && r <= 32, "radius " + r + " in the default range size/10..size/2");
            assertEquals(90.0, Px.num(s, "angle"), "not varied: the default");
        }
        assertTrue(omin < 5 && omax > 85, omin + ".." + omax);
        Set<String> labels = Px.all(registry, "shapes:count=60,size=32,vary=shape:circle/star", 0).stream().map(SourceImage::label)
                .collect(Collectors.toSet());
        assertEquals(Set.of("circle", "star"), labels);
        // the order of items does not matter
        assertEquals(Px.all(registry, "shapes:count=5,size=32,vary=x+rotation", 1).stream().map(SourceImage::image).toList(),
                Px.all(registry, "shapes:count=5,size=32,vary=rotation+x", 1).stream().map(SourceImage::image).toList());
    }

    @Test
    void sameSeedSameImagesOtherSeedOtherImages() {
        for (String spec : List.of("curves:vary=*,background=noise", "lines:vary=*", "edges:vary=*", "gratings:vary=*", "high-low:vary=*",
                "shapes:vary=*,background=grating")) {
            String s = spec + ",size=40,count=";
            List<SourceImage> a = Px.all(registry, s + 6, 3);
            List<SourceImage> b = Px.all(registry, s + 6, 3);
            List<SourceImage> c = Px.all(registry, s + 6, 4);
            List<SourceImage> longer = Px.all(registry, s + 20, 3);
            for (int i = 0; i < 6; i++) {
                assertEquals(a.get(i).image(), b.get(i).image(), spec);
                assertEquals(a.get(i).groundTruth(), b.get(i).groundTruth(), spec);
                assertNotEquals(a.get(i).image(), c.get(i).image(), spec);
                assertEquals(a.get(i).image(), longer.get(i).image(), spec + ": image i does not depend on count");
            }
        }
    }

    @Test
    void parameterMistakesAreExplained() {
        assertEquals("parameter 'orientation' must be in [0, 360], got 400", error("curves:orientation=400"));
        assertEquals("parameter 'size' must be in [8, 1024], got 4", error("gratings:size=4"));
        assertTrue(error("curves:radios=3").startsWith("unknown parameter 'radios'; parameters are: count, size, vary, orientation, radius"));
        assertEquals("parameter 'frequency' must be at most size/2 = 32.0 cycles per image (the Nyquist limit), got 40.0",
                error("gratings:size=64,frequency=40"));
        assertEquals("parameter 'color' must be a colour (#rrggbb, rrggbb, #rgb or one of black, blue, cyan, gray, green, grey, magenta, orange, purple,"
                + " red, white, yellow), got 'blu'", error("shapes:color=blu"));
        assertEquals("parameter 'shape' must be one of [circle, square, triangle, star, cross, ring, crescent, heart, hexagon], got 'pentagon'",
                error("shapes:shape=pentagon"));
        assertEquals("highPeriod (50.0) must be smaller than lowPeriod (40.0)", error("high-low:highPeriod=50,lowPeriod=40"));
        assertEquals("vary: unknown parameter 'radios'; parameters that can vary: orientation, radius, angle, thickness, x, y, background, noise",
                error("curves:vary=radios"));
        assertEquals("vary: 'color' cannot vary; parameters that can vary: orientation, radius, angle, thickness, x, y, background, noise",
                error("curves:vary=color"));
        assertEquals("vary: the range of 'radius' must have LO <= HI, got '50..10'", error("curves:vary=radius:50..10"));
        assertEquals("vary: the range 0..720 of 'orientation' is outside its allowed range [0, 360]", error("curves:vary=orientation:0..720"));
        assertEquals("vary: the range of 'radius' must be LO..HI (two numbers), got 'big'", error("curves:vary=radius:big"));
        assertEquals("vary: 'radius' is listed twice", error("curves:vary=radius+radius:1..2"));
        assertEquals("vary: 'shape' has no value 'blob'; values: circle, square, triangle, star, cross, ring, crescent, heart, hexagon",
                error("shapes:vary=shape:circle/blob"));
        assertEquals("vary: frequency=40.0 is not allowed: parameter 'frequency' must be at most size/2 = 32.0 cycles per image (the Nyquist limit),"
                + " got 40.0", error("gratings:size=64,vary=frequency:1..40"));
    }
}

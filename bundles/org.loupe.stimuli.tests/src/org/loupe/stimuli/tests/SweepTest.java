package org.loupe.stimuli.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Locale;

import org.junit.jupiter.api.Test;
import org.loupe.core.images.ImageSource;
import org.loupe.core.images.SourceImage;
import org.loupe.core.registry.LoupeRegistry;

/** Sweeps give evenly spaced values of one parameter, with the rest fixed, and say so in the ground truth. */
class SweepTest {

    private final LoupeRegistry registry = new LoupeRegistry();

    @Test
    void anOrientationSweepOfCurves() {
        String spec = "sweep:stimulus=curves,parameter=orientation,from=0,to=360,steps=36,radius=20,size=80";
        try (ImageSource s = registry.openImages(spec, 0)) {
            assertEquals(36, s.size().getAsInt());
        }
        List<SourceImage> images = Px.all(registry, spec, 0);
        assertEquals(36, images.size());
        double worst = 0;
        for (int k = 0; k < 36; k++) {
            SourceImage s = images.get(k);
            assertEquals(10.0 * k, Px.num(s, "value"), 1e-9);
            assertEquals(10.0 * k, Px.num(s, "orientation"), 1e-9);
            assertEquals("orientation", s.groundTruth().get("parameter"));
            assertEquals("curves", s.groundTruth().get("stimulus"));
            assertEquals(k, (int) Px.num(s, "step"));
            assertEquals(20.0, Px.num(s, "radius"));
            assertEquals(80, s.image().width());
            // the image really has that orientation: the circle centre is 20 px behind the midpoint (the image centre)
            double cx = 40 - 20 * Math.cos(Math.toRadians(10 * k));
            double cy = 40 + 20 * Math.sin(Math.toRadians(10 * k));
            double[] m = CurveTest.measure(s.image(), cx, cy);
            worst = Math.max(worst, Px.angleDiff(Px.direction(m[0] - cx, m[1] - cy), 10 * k, 360));
        }
        System.out.printf(Locale.ROOT, "sweep: 36 curve orientations, worst measured direction error %.3f deg%n", worst);
        assertTrue(worst < 0.5);
    }

    @Test
    void endpointsRepeatsAndCommonRandomNumbers() {
        // contrast 0..1 in 11 steps, both ends included; the measured Michelson contrast follows
        List<SourceImage> g = Px.all(registry, "sweep:stimulus=gratings,parameter=contrast,from=0,to=1,steps=11,endpoint=true,size=32,frequency=4,phase=67.5", 0);
        assertEquals(11, g.size());
        for (int k = 0; k < 11; k++) {
            double lo = 1;
            double hi = 0;
            for (int x = 0; x < 32; x++) {
                lo = Math.min(lo, Px.lum(g.get(k).image(), x, 5));
                hi = Math.max(hi, Px.lum(g.get(k).image(), x, 5));
            }
            assertEquals(0.1 * k, Px.num(g.get(k), "value"), 1e-12);
            assertEquals(0.1 * k, (hi - lo) / (hi + lo), 0.02, "measured contrast at step " + k);
        }
        // three random placements per diameter; placement k is the same for every diameter
        List<SourceImage> sh = Px.all(registry,
                "sweep:stimulus=shapes,parameter=diameter,from=20,to=60,steps=5,endpoint=true,repeats=3,vary=x+y+rotation,size=96,shape=star", 4);
        assertEquals(15, sh.size());
        for (int i = 0; i < 15; i++) {
            SourceImage s = sh.get(i);
            assertEquals(20 + 10 * (i / 3), Px.num(s, "diameter"), 1e-12);
            assertEquals(i % 3, (int) Px.num(s, "repeat"));
            SourceImage first = sh.get(i % 3);
            assertEquals(first.groundTruth().get("centerPixel"), s.groundTruth().get("centerPixel"));
            assertEquals(Px.num(first, "rotation"), Px.num(s, "rotation"));
            if (i >= 3) {
                assertNotEquals(first.image(), s.image());
                assertTrue(Px.num(s, "area") > Px.num(sh.get(i - 3), "area"), "a larger diameter draws a larger star");
            }
        }
        assertNotEquals(sh.get(0).groundTruth().get("centerPixel"), sh.get(1).groundTruth().get("centerPixel"));
    }

    @Test
    void integerParametersAndFixedPairs() {
        List<SourceImage> n = Px.all(registry, "sweep:stimulus=noise,parameter=size,from=8,to=16,steps=3,endpoint=true", 0);
        assertEquals(List.of(8, 12, 16), n.stream().map(s -> s.image().width()).toList());
        assertEquals(12.0, Px.num(n.get(1), "value"));
        // 'fixed' is the same as passing the keys directly
        List<SourceImage> a = Px.all(registry, "sweep:stimulus=lines,parameter=position,from=-10,to=10,steps=4,size=48,thickness=2,contrast=-1", 0);
        List<SourceImage> b = Px.all(registry, "sweep:stimulus=lines,parameter=position,from=-10,to=10,steps=4,fixed=size=48;thickness=2;contrast=-1", 0);
        assertEquals(a.stream().map(SourceImage::image).toList(), b.stream().map(SourceImage::image).toList());
        assertEquals(List.of(-10.0, -5.0, 0.0, 5.0), a.stream().map(s -> Px.num(s, "value")).toList());
    }

    private String error(String spec) {
        return assertThrows(IllegalArgumentException.class, () -> {
            try (ImageSource s = registry.openImages(spec, 0)) {
                s.iterator().next();
            }
        }).getMessage();
    }

    @Test
    void mistakesAreExplained() {
        String m = error("sweep:stimulus=curves,parameter=orientation,radios=3");
        assertTrue(m.startsWith("sweep: unknown parameter 'radios'; parameters of curves: count, size, vary, orientation, radius, angle"), m);
        assertTrue(m.endsWith("parameters of the sweep: stimulus, parameter, from, to, steps, endpoint, repeats, fixed"), m);
        m = error("sweep:stimulus=curvez,parameter=orientation");
        assertTrue(m.startsWith("sweep: there is no stimulus 'curvez'; image sources: ") && m.contains("curves") && !m.contains("sweep,"), m);
        m = error("sweep:stimulus=curves,parameter=color");
        assertEquals("sweep: 'color' is not a numeric parameter of curves; its numeric parameters: size, orientation, radius, angle, thickness, x, y, noise", m);
        m = error("sweep:stimulus=curves,parameter=orientation,from=0,to=400,steps=5,endpoint=true");
        assertEquals("sweep: orientation=400.0 does not work for curves: parameter 'orientation' must be in [0, 360], got 400", m);
        m = error("sweep:stimulus=curves,parameter=orientation,orientation=4");
        assertEquals("sweep: 'orientation' is swept; do not also give it a value", m);
        m = error("sweep:stimulus=curves,parameter=orientation,vary=radius+orientation");
        assertEquals("sweep: 'orientation' is swept; remove it from vary", m);
        m = error("sweep:stimulus=curves,parameter=orientation,vary=*");
        assertEquals("sweep: vary=* would also vary the swept 'orientation'; name the parameters to vary", m);
        m = error("sweep:stimulus=curves,parameter=orientation,count=3");
        assertEquals("sweep: use 'repeats' for the number of images per value, not 'count'", m);
        m = error("sweep:stimulus=sweep,parameter=steps");
        assertEquals("sweep: cannot sweep a sweep", m);
        m = error("sweep:stimulus=curves,parameter=orientation,fixed=radius=3;radius=4");
        assertEquals("sweep: 'radius' is given twice", m);
        m = error("sweep:steps=0");
        assertEquals("parameter 'steps' must be in [1, 100000], got 0", m);
    }
}

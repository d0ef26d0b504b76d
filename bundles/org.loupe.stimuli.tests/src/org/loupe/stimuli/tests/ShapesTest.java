package org.loupe.stimuli.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Locale;

import org.junit.jupiter.api.Test;
import org.loupe.core.images.RasterImage;
import org.loupe.core.images.SourceImage;
import org.loupe.core.registry.LoupeRegistry;

/** The shapes stimulus puts the stated shape at the stated place, size and rotation. */
class ShapesTest {

    private final LoupeRegistry registry = new LoupeRegistry();

    @Test
    void shapesMatchTheirClosedFormGeometry() {
        int n = 96;
        for (String shape : new String[] {"circle", "ring", "square", "triangle", "hexagon"}) {
            for (double rot : new double[] {0, 17, 100}) {
                double d = 50;
                double ox = 7;
                double oy = -4;
                SourceImage s = Px.first(registry, String.format(Locale.ROOT, "shapes:size=%d,shape=%s,diameter=%s,rotation=%s,x=%s,y=%s,color=#102030,bg=#f0e0d0",
                        n, shape, d, rot, ox, oy), 0);
                assertEquals(shape, s.label());
                double cx = n / 2.0 + ox;
                double cy = n / 2.0 - oy;
                RasterImage m = (RasterImage) s.groundTruth().get("mask");
                int in = 0;
                int out = 0;
                for (int y = 0; y < n; y++) {
                    for (int x = 0; x < n; x++) {
                        int p = s.image().pixel(x, y);
                        // on a plain background the mask is exactly where the pixels differ from it
                        assertEquals(p != 0xF0E0D0, m.pixel(x, y) != 0, shape + " mask at " + x + "," + y);
                        switch (Geometry.cover(shape, cx, cy, d, rot, x, y)) {
                            case IN -> {
                                assertEquals(0x102030, p, shape + " rot " + rot + " covers " + x + "," + y);
                                in++;
                            }
                            case OUT -> {
                                assertEquals(0xF0E0D0, p, shape + " rot " + rot + " misses " + x + "," + y);
                                out++;
                            }
                            default -> {
                            }
                        }
                    }
                }
                assertTrue(in > 300 && out > 5000, shape + ": " + in + " inside, " + out + " outside");
            }
        }
    }

    @Test
    void everyShapeFitsInItsCircleWhateverTheRotation() {
        for (String shape : new String[] {"circle", "square", "triangle", "star", "cross", "ring", "crescent", "heart", "hexagon"}) {
            for (int rot = 0; rot < 360; rot += 30) {
                SourceImage s = Px.first(registry, "shapes:size=64,diameter=40,shape=" + shape + ",rotation=" + rot, 0);
                RasterImage m = (RasterImage) s.groundTruth().get("mask");
                double far = 0;
                for (int y = 0; y < 64; y++) {
                    for (int x = 0; x < 64; x++) {
                        if (m.pixel(x, y) != 0) {
                            // the nearest point of the pixel to the centre is inside the circle of diameter 40
                            double near = Math.hypot(Math.max(Math.abs(x + 0.5 - 32) - 0.5, 0), Math.max(Math.abs(y + 0.5 - 32) - 0.5, 0));
                            far = Math.max(far, near);
                        }
                    }
                }
                assertTrue(far <= 20, shape + " at " + rot + " reaches " + far);
                assertTrue(far >= 17.5, shape + " at " + rot + " reaches only " + far + ": it should touch its circle");
                @SuppressWarnings("unchecked")
                List<Integer> b = (List<Integer>) s.groundTruth().get("bbox");
                assertTrue(b.get(0) >= 12 && b.get(2) <= 52 && b.get(1) >= 12 && b.get(3) <= 52, shape + " box " + b);
            }
        }
    }

    @Test
    void noisyAndTexturedBackgroundsKeepTheShapeIntact() {
        for (String bg : new String[] {"noise", "gradient", "grating"}) {
            SourceImage s = Px.first(registry, "shapes:size=64,shape=square,diameter=40,background=" + bg + ",noise=0.3,color=black,bg=white", 4);
            // the square's inside (half side 14.1 px around 32,32) is black whatever the background
            for (int y = 20; y < 44; y++) {
                for (int x = 20; x < 44; x++) {
                    assertEquals(0, s.image().pixel(x, y), bg + " at " + x + "," + y);
                }
            }
            // the background really varies
            int corner = s.image().pixel(1, 1);
            boolean varies = false;
            for (int y = 0; y < 8 && !varies; y++) {
                for (int x = 0; x < 64; x++) {
                    varies |= s.image().pixel(x, y) != corner || s.image().pixel(x, 63 - y) != corner;
                }
            }
            assertTrue(varies, bg + " background varies");
        }
    }
}

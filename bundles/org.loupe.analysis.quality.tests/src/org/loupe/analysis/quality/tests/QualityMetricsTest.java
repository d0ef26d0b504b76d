package org.loupe.analysis.quality.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;

import org.junit.jupiter.api.Test;
import org.loupe.analysis.quality.Baselines;
import org.loupe.analysis.quality.Mask;
import org.loupe.analysis.quality.PixelMap;
import org.loupe.analysis.quality.PointingGame;
import org.loupe.analysis.quality.SegmentationScore;

/** The localisation metrics on maps and masks whose scores are known by hand. */
class QualityMetricsTest {

    /** A 4x4 mask with the object in the top-left 2x2 square. */
    private static Mask square() {
        boolean[] in = new boolean[16];
        in[0] = in[1] = in[4] = in[5] = true;
        return new Mask(4, 4, in);
    }

    private static PixelMap map(float... v) {
        return new PixelMap(4, 4, v);
    }

    @Test
    void pointingGameHitsMissesAndSplitsTies() {
        Mask m = square();
        assertEquals(1, PointingGame.hit(map(0, 0, 0, 0, 0, 9, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1), m), "maximum at (1, 1), inside");
        assertEquals(0, PointingGame.hit(map(5, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 6), m), "maximum at (3, 3), outside");
        assertEquals(0.25, PointingGame.hit(map(new float[16]), m), "a constant map: 4 of 16 tied maxima inside");
        assertEquals(0.5, PointingGame.hit(map(2, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0), m), "two tied maxima, one inside");
        PointingGame g = new PointingGame();
        g.add(map(0, 0, 0, 0, 0, 9, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1), m);
        g.add(map(new float[16]), m);
        assertEquals(2, g.images());
        assertEquals(0.625, g.accuracy(), 1e-12);
    }

    @Test
    void toleranceCountsNearMisses() {
        Mask m = square();
        PixelMap atCorner = map(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1);
        assertEquals(0, PointingGame.hit(atCorner, m, 2.5), "(3, 3) is sqrt(8) = 2.83 from (1, 1)");
        assertEquals(1, PointingGame.hit(atCorner, m, 2.9));
        PixelMap right = map(0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
        assertEquals(0, PointingGame.hit(right, m, 1.99), "(3, 0) is 2 from (1, 0)");
        assertEquals(1, PointingGame.hit(right, m, 2));
        PointingGame g = new PointingGame(2);
        g.add(right, m);
        g.add(atCorner, m);
        assertEquals(0.5, g.accuracy());
        assertEquals(15 * 64 / 224.0, PointingGame.zhangTolerance(64), 1e-12);
        assertThrows(IllegalArgumentException.class, () -> new PointingGame(-1));
    }

    @Test
    void segmentationThresholdsAtTheMeanAndCountsOverImages() {
        Mask m = square();
        SegmentationScore perfect = new SegmentationScore();
        perfect.add(map(1, 1, 0, 0, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0), m);
        assertEquals(1, perfect.pixelAccuracy());
        assertEquals(1, perfect.meanIou());

        // predicted: the top row (4 pixels above the mean 0.25); truth: the top-left square
        SegmentationScore s = new SegmentationScore();
        s.add(map(1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0), m);
        // correct: (0,0), (1,0) object; 10 background pixels outside both -> 12 of 16
        assertEquals(12 / 16.0, s.pixelAccuracy(), 1e-12);
        assertEquals(2 / 6.0, s.iou(1), 1e-12, "object: intersection 2, union 6");
        assertEquals(10 / 14.0, s.iou(0), 1e-12, "background: intersection 10, union 14");
        assertEquals((2 / 6.0 + 10 / 14.0) / 2, s.meanIou(), 1e-12);

        s.add(map(1, 1, 0, 0, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0), m);
        assertEquals(28 / 32.0, s.pixelAccuracy(), 1e-12, "counts are summed over images");
        assertEquals(6 / 10.0, s.iou(1), 1e-12);
        assertEquals(2, s.images());
    }

    @Test
    void resizeIsBilinearWithAlignedPixelCentres() {
        // torch.nn.functional.interpolate(torch.tensor([[[[0., 1.], [2., 3.]]]]), size=4, mode="bilinear", align_corners=False)
        PixelMap up = new PixelMap(2, 2, new float[] {0, 1, 2, 3}).resize(4, 4);
        float[] expected = {0, 0.25f, 0.75f, 1, 0.5f, 0.75f, 1.25f, 1.5f, 1.5f, 1.75f, 2.25f, 2.5f, 2, 2.25f, 2.75f, 3};
        for (int i = 0; i < 16; i++) {
            assertEquals(expected[i], up.values()[i], 1e-6, "pixel " + i);
        }
    }

    @Test
    void baselines() {
        PixelMap c = Baselines.centreBias(5, 5);
        assertEquals(1, c.get(2, 2), 1e-7, "the centre");
        assertEquals(Math.exp(-8 / (2 * 1.25 * 1.25)), c.get(0, 0), 1e-6, "a corner, distance sqrt(8), sigma 5/4");
        assertEquals(c.get(0, 1), c.get(1, 0), 0, "isotropic");
        PixelMap r1 = Baselines.random(4, 3, new Random(7));
        PixelMap r2 = Baselines.random(4, 3, new Random(7));
        assertEquals(r1, r2, "the same seed gives the same map");
        for (float v : r1.values()) {
            assertTrue(v >= 0 && v < 1);
        }
        // chance level: random maps hit a quarter-area object about a quarter of the time
        PointingGame g = new PointingGame();
        Random rnd = new Random(1);
        for (int i = 0; i < 4000; i++) {
            g.add(Baselines.random(4, 4, rnd), square());
        }
        assertEquals(0.25, g.accuracy(), 0.03);
    }

    @Test
    void mismatchedSizesAreRefusedWithAHint() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PointingGame.hit(new PixelMap(2, 2, new float[4]), square()));
        assertTrue(e.getMessage().contains("2x2") && e.getMessage().contains("4x4") && e.getMessage().contains("resize"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new PixelMap(3, 3, new float[8]));
    }
}

package org.loupe.analysis.units.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.loupe.core.model.HookedModel;
import org.loupe.core.result.CompositeResult;
import org.loupe.core.result.TableResult;
import org.loupe.core.result.UnitRef;

/** Network Dissection of a planted circle detector labels it "circle", clearly ahead of every other concept. */
class DissectionTest {

    static final String SHAPES = "shapes:count=120,size=32,diameter=10,color=white,bg=black,background=plain,"
            + "vary=shape:circle/square/triangle/star/cross+x:-9..9+y:-9..9";

    @TempDir
    Path dir;

    @Test
    void aPlantedCircleDetectorIsLabelledCircle() throws Exception {
        Fixture f = new Fixture(dir);
        try (HookedModel net = PlantedModels.circleDetector(f)) {
            CompositeResult r = f.run("org.loupe.analysis.dissect", net, "relu2", SHAPES, Map.of());
            TableResult t = Fixture.table(r, "Unit labels of relu2");
            List<Object> row = t.rows().get(0);
            assertEquals(new UnitRef(net.info().id(), "relu2", 0), row.get(0));
            assertEquals("circle", row.get(1), "best label, in " + row + "; " + Fixture.summary(r));
            assertEquals("object", row.get(2));
            double iou = ((Number) row.get(3)).doubleValue();
            double second = ((Number) row.get(5)).doubleValue();
            assertTrue(iou > 0.2, "the top 0.5 % of the detector's map lies inside circles: IoU " + iou);
            assertTrue(iou > 2 * second, "circle (" + iou + ") is far ahead of " + row.get(4) + " (" + second + ")");
            assertEquals("yes", row.get(6));
            assertTrue(Fixture.summary(r).startsWith("1 of 1 units of relu2 are interpretable"), Fixture.summary(r));
        }
    }

    @Test
    void imagesWithoutConceptMasksAreRefusedWithTheReason() throws Exception {
        Fixture f = new Fixture(dir);
        String images = f.randomImages("imgs", 4, 32, 1).toString();
        try (HookedModel net = PlantedModels.circleDetector(f)) {
            var e = org.junit.jupiter.api.Assertions.assertThrows(org.loupe.core.analysis.AnalysisException.class,
                    () -> f.run("org.loupe.analysis.dissect", net, "relu2", images, Map.of()));
            assertTrue(e.getMessage().contains("no concept masks in their ground truth"), e.getMessage());
        }
    }
}

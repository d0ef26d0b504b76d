package org.loupe.analysis.units.tests;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.loupe.core.images.SourceImage;
import org.loupe.core.model.HookedModel;
import org.loupe.core.result.ChartResult;
import org.loupe.core.result.CompositeResult;

/**
 * An edge unit's preferred orientation seen two ways agrees: the peak of its tuning curve over an
 * orientation sweep (org.loupe.analysis.basic) and the orientation of its top dataset examples over
 * edges of random orientation and position, within 15 degrees.
 */
class EdgeTest {

    @TempDir
    Path dir;

    @Test
    void tuningPeakAndTopExamplesAgreeOnTheOrientation() throws Exception {
        Fixture f = new Fixture(dir);
        String edges = "edges:count=160,size=32,vary=orientation+position";
        try (HookedModel net = PlantedModels.edgeDetector(f)) {
            CompositeResult tuning = f.run("org.loupe.analysis.tuningCurve", net, "relu1", 0,
                    "sweep:stimulus=edges,parameter=orientation,from=0,to=360,steps=72", Map.of("response", "max"), null);
            ChartResult curve = (ChartResult) tuning.parts().stream().filter(p -> p instanceof ChartResult).findFirst().orElseThrow();
            double[] x = curve.series().get(0).x();
            double[] y = curve.series().get(0).y();
            int best = 0;
            for (int i = 1; i < y.length; i++) {
                best = y[i] > y[best] ? i : best;
            }
            double peak = x[best];

            CompositeResult examples = f.run("org.loupe.analysis.datasetExamples", net, "relu1", 0, edges,
                    Map.of("k", "5", "index", dir.resolve("index").toString()), null);
            List<SourceImage> images = f.images(edges);
            double sx = 0;
            double sy = 0;
            StringBuilder seen = new StringBuilder();
            for (List<Object> r : Fixture.side(Fixture.table(examples, "Dataset examples of relu1"), "top")) {
                double o = ((Number) images.get(((Number) r.get(3)).intValue()).groundTruth().get("orientation")).doubleValue();
                sx += Math.cos(Math.toRadians(o));
                sy += Math.sin(Math.toRadians(o));
                seen.append(String.format(" %.1f", o));
            }
            double mean = Math.toDegrees(Math.atan2(sy, sx));
            double diff = Math.abs(((mean - peak) % 360 + 540) % 360 - 180);
            assertTrue(diff <= 15, "tuning peak " + peak + " vs top examples' mean orientation " + mean + " (" + seen + ")");
        }
    }
}

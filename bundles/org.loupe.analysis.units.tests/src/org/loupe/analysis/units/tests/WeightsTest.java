package org.loupe.analysis.units.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.loupe.core.model.HookedModel;
import org.loupe.core.result.ChartResult;
import org.loupe.core.result.CompositeResult;
import org.loupe.core.result.ImageGridResult;
import org.loupe.core.result.TableResult;
import org.loupe.core.result.TextResult;
import org.loupe.core.result.UnitRef;

/** Weights between units on a model with planted connections: the strongest are the planted ones, with their norms. */
class WeightsTest {

    static final String WEIGHTS = "org.loupe.analysis.weights";

    @TempDir
    Path dir;

    @Test
    void theStrongestInputsAreThePlantedOnes() throws Exception {
        Fixture f = new Fixture(dir);
        try (HookedModel net = PlantedModels.connections(f)) {
            CompositeResult r = f.run(WEIGHTS, net, "relu2", 0, null, Map.of("top", "4"), null);
            TableResult t = Fixture.table(r, "Strongest inputs of relu2:0");
            String id = net.info().id();
            assertEquals(List.of(new UnitRef(id, "relu1", 2), new UnitRef(id, "relu1", 0)), t.rows().subList(0, 2).stream().map(x -> x.get(1)).toList(),
                    "relu2:0 (through relu2 back to conv2) reads relu1:2 most, then relu1:0");
            double[] norms = Fixture.column(t, "L2 norm");
            assertEquals(3, norms[0], 1e-5);
            assertEquals(2, norms[1], 1e-5);
            assertEquals(0.1, norms[2], 1e-5);
            assertEquals(0.1, norms[3], 1e-5);
            assertEquals(-0.2 * 3, Fixture.column(t, "sum")[0], 1e-5, "0.6 - 0.8 of the norm");
            ImageGridResult kernels = Fixture.grid(r, "Kernel slices into relu2:0");
            assertEquals(4, kernels.images().size());
            var k = kernels.images().get(0);
            int cell = k.width() / 3;
            // the unit's largest weight magnitude (2.4, the corner of the strongest slice) is full colour
            assertEquals(0x0000FF, k.pixel(cell / 2, cell / 2), "the corner weight, -2.4, is full blue");
            assertEquals(0xFF4040, k.pixel(cell + cell / 2, cell + cell / 2), "the centre weight, 1.8 = 0.75 of it, is red at 3/4");
            assertEquals(0xFFFFFF, k.pixel(2 * cell + cell / 2, cell / 2), "a zero weight is white");
            ChartResult hist = (ChartResult) r.parts().stream().filter(p -> p instanceof ChartResult).findFirst().orElseThrow();
            assertEquals(8, Arrays.stream(hist.series().get(0).y()).sum(), 1e-9, "2 x 4 unit pairs");
            assertEquals(1, hist.series().get(0).y()[19], 1e-9, "one pair at the largest norm");

            CompositeResult one = f.run(WEIGHTS, net, "conv2", 1, null, Map.of("top", "1"), null);
            assertEquals(new UnitRef(id, "relu1", 3), Fixture.table(one, "Strongest inputs").rows().get(0).get(1));

            CompositeResult first = f.run(WEIGHTS, net, "relu1", 3, null, Map.of("top", "3"), null);
            TableResult image = Fixture.table(first, "Strongest inputs of relu1:3");
            assertEquals("image channel 0", image.rows().get(0).get(1), "conv1 reads the image; ties keep channel order");
            assertEquals(1 / 3.0, Fixture.column(image, "L2 norm")[0], 1e-6);
        }
    }

    @Test
    void theStrongestOutputsAreThePlantedOnes() throws Exception {
        Fixture f = new Fixture(dir);
        try (HookedModel net = PlantedModels.connections(f)) {
            String id = net.info().id();
            CompositeResult three = f.run(WEIGHTS, net, "relu1", 3, null, Map.of("top", "2"), null);
            TableResult t = Fixture.table(three, "Strongest outputs of relu1:3");
            assertEquals(List.of(new UnitRef(id, "conv2", 1), new UnitRef(id, "conv2", 0)), t.rows().stream().map(x -> x.get(1)).toList(),
                    "conv2 unit 1 reads relu1:3 alone (norm 1), unit 0 weakly (0.1)");
            assertArrayEquals(new double[] {1, 0.1}, Fixture.column(t, "L2 norm"), 1e-5);
            assertEquals(2, Fixture.grid(three, "Kernel slices out of relu1:3").images().size());

            TableResult two = Fixture.table(f.run(WEIGHTS, net, "relu1", 2, null, Map.of("top", "2"), null), "Strongest outputs of relu1:2");
            assertEquals(new UnitRef(id, "conv2", 0), two.rows().get(0).get(1));
            assertArrayEquals(new double[] {3, 0}, Fixture.column(two, "L2 norm"), 1e-5);

            CompositeResult last = f.run(WEIGHTS, net, "relu2", 0, null, Map.of(), null);
            String none = last.parts().stream().filter(p -> p.title().equals("Output connections")).map(p -> ((TextResult) p).text())
                    .findFirst().orElseThrow();
            assertTrue(none.startsWith("No convolution reads relu2"), none);
        }
    }
}

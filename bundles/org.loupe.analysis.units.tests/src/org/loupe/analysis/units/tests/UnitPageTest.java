package org.loupe.analysis.units.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.loupe.core.analysis.AnalysisException;
import org.loupe.core.model.HookedModel;
import org.loupe.core.result.ChartKind;
import org.loupe.core.result.ChartResult;
import org.loupe.core.result.CompositeResult;
import org.loupe.core.result.ImageGridResult;
import org.loupe.core.result.Result;
import org.loupe.core.result.TableResult;
import org.loupe.core.result.TextResult;
import org.loupe.core.result.UnitRef;

/**
 * The unit page of a planted circle detector: every section comes from the analysis that computes
 * it, the label is "circle", and a section whose analysis does not apply (the detector has no
 * classes to ablate against) says why while the others are shown.
 */
class UnitPageTest {

    @TempDir
    Path dir;

    @Test
    void thePageOfAPlantedCircleDetectorShowsEverySection() throws Exception {
        Fixture f = new Fixture(dir);
        try (HookedModel net = PlantedModels.circleDetector(f)) {
            CompositeResult page = f.run("org.loupe.analysis.unitPage", net, "relu2", 0, DissectionTest.SHAPES,
                    Map.of("steps", "16", "facets", "2", "k", "4"), null);
            assertEquals("Unit page of relu2:0", page.title());
            String unit = ((TextResult) page.parts().get(0)).text();
            assertTrue(unit.startsWith("relu2:0 of Circle detector") && unit.contains("Label: circle (object, IoU"), unit);
            TableResult neighbours = (TableResult) page.parts().get(1);
            assertEquals(List.of("", new UnitRef(net.info().id(), "relu2", 0), ""), neighbours.rows().get(0), "relu2 has one unit");

            CompositeResult fv = section(page, "Feature visualization");
            assertEquals(2, part(fv, ImageGridResult.class).images().size(), "two diversity facets");
            assertEquals(16, part(fv, ChartResult.class).series().get(0).y().length, "the objective at each step");

            CompositeResult examples = section(page, "Dataset examples");
            List<ImageGridResult> grids = examples.parts().stream().filter(ImageGridResult.class::isInstance).map(ImageGridResult.class::cast).toList();
            assertEquals(List.of("Top examples", "Bottom examples"), grids.stream().map(ImageGridResult::title).toList());
            assertTrue(grids.get(0).captions().stream().allMatch(c -> c.startsWith("top: ")) && grids.get(0).captions().size() == 4,
                    grids.get(0).captions().toString());
            assertTrue(grids.get(1).captions().stream().allMatch(c -> c.startsWith("bottom: ")), grids.get(1).captions().toString());

            CompositeResult tuning = section(page, "Tuning curve over edge orientation");
            List<ChartResult> charts = tuning.parts().stream().filter(ChartResult.class::isInstance).map(ChartResult.class::cast).toList();
            assertEquals(List.of(ChartKind.LINE, ChartKind.POLAR), charts.stream().map(ChartResult::kind).toList());
            assertEquals(24, charts.get(1).series().get(0).x().length, "24 orientations");

            CompositeResult weights = section(page, "Strongest input connections");
            TableResult inputs = part(weights, TableResult.class);
            assertEquals(new UnitRef(net.info().id(), "relu1", 0), inputs.rows().get(0).get(1), "conv2 reads relu1's only unit");

            CompositeResult ablation = section(page, "Effect of ablating it on each class");
            assertEquals(ChartKind.BAR, part(ablation, ChartResult.class).kind(), "one bar per class");

            CompositeResult label = section(page, "Automatic label");
            assertTrue(((TextResult) label.parts().get(0)).text().startsWith("Label: circle (object, IoU"), label.toString());
        }
    }

    /** Images without concept masks cannot label the unit: that section says why, the examples are still shown. */
    @Test
    void aSectionThatCannotBeComputedSaysWhyAndTheOthersAreShown() throws Exception {
        Fixture f = new Fixture(dir);
        String images = f.randomImages("imgs", 6, 32, 1).toString();
        try (HookedModel net = PlantedModels.circleDetector(f)) {
            CompositeResult page = f.run("org.loupe.analysis.unitPage", net, "relu2", 0, images, Map.of("sections", "label+examples", "k", "2"), null);
            assertEquals(List.of("Unit", "Neighbours", "Dataset examples", "Automatic label"), page.parts().stream().map(Result::title).toList());
            assertEquals(2, part(section(page, "Dataset examples"), ImageGridResult.class).images().size());
            String why = ((TextResult) page.parts().get(3)).text();
            assertTrue(why.startsWith("Not shown: ") && why.contains("no concept masks in their ground truth") && !why.contains("Exception"), why);
        }
    }

    @Test
    void aWrongSectionIsRefusedNamingTheSections() throws Exception {
        Fixture f = new Fixture(dir);
        try (HookedModel net = PlantedModels.circleDetector(f)) {
            AnalysisException e = assertThrows(AnalysisException.class, () -> f.run("org.loupe.analysis.unitPage", net, "relu2", 0,
                    DissectionTest.SHAPES, Map.of("sections", "examples+pictures"), null));
            assertTrue(e.getMessage().contains("'pictures'") && e.getMessage().contains("featureviz, examples, tuning"), e.getMessage());
            assertFalse(e.getMessage().contains("Exception"), e.getMessage());
        }
    }

    private static CompositeResult section(CompositeResult page, String title) {
        Result r = page.parts().stream().filter(p -> p.title().equals(title)).findFirst()
                .orElseThrow(() -> new AssertionError("no section " + title + " in " + page.parts().stream().map(Result::title).toList()));
        if (r instanceof TextResult t) {
            throw new AssertionError(title + ": " + t.text());
        }
        return (CompositeResult) r;
    }

    private static <T extends Result> T part(CompositeResult c, Class<T> type) {
        return c.parts().stream().filter(type::isInstance).map(type::cast).findFirst()
                .orElseThrow(() -> new AssertionError("no " + type.getSimpleName() + " in " + c.title()));
    }
}

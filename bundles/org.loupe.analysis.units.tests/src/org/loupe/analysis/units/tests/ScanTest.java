package org.loupe.analysis.units.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import javax.imageio.ImageIO;

import org.eclipse.core.runtime.NullProgressMonitor;
import org.eclipse.core.runtime.OperationCanceledException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.loupe.core.model.HookedModel;
import org.loupe.core.result.CompositeResult;
import org.loupe.core.result.ImageGridResult;
import org.loupe.core.result.TableResult;
import org.loupe.core.result.UnitRef;
import org.loupe.djl.LoupeEngine;
import org.loupe.models.io.Tensor;
import org.loupe.testing.Oracle;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/**
 * Dataset-example scans: the top-k and bottom-k images of every unit equal a plain PyTorch loop
 * (forward hooks, a stable sort over the images), batching does not change them, the index is
 * reused when nothing changed and rebuilt when the source did, an interrupted scan resumes to the
 * same result, and the receptive fields match the architecture's closed form.
 */
class ScanTest {

    static final String EXAMPLES = "org.loupe.analysis.datasetExamples";

    @TempDir
    Path dir;

    private Map<String, String> params(String index, String batch) {
        return Map.of("layers", "conv1,relu1,conv2", "k", "5", "batchSize", batch, "index", dir.resolve(index).toString(), "units", "0-1");
    }

    @Test
    void topAndBottomImagesEqualPyTorch() throws Exception {
        Fixture f = new Fixture(dir);
        String images = f.randomImages("imgs", 37, 16, 5).toString();
        Path model = OracleModel.folder();
        try (HookedModel net = f.registry.openModel(model.resolve("units-cnn.json").toString(), null);
                NDManager m = LoupeEngine.get().newBaseManager()) {
            CompositeResult result = f.run(EXAMPLES, net, "conv1", images, params("index", "7"));
            NDArray x = f.input(m, net, images);
            Fixture.writeFloats(dir.resolve("input.bin"), x.toFloatArray());
            Files.writeString(dir.resolve("job.json"), String.format("""
                    {"config": "%s", "weights": "%s", "input": "%s", "shape": %s, "layers": ["conv1", "relu1", "conv2"], "k": 5, "batch": 4}
                    """, model.resolve("units-cnn.json"), model.resolve("units-cnn.npz"), dir.resolve("input.bin"),
                    Arrays.toString(x.getShape().getShape())));
            Path out = dir.resolve("units_ref.npz");
            Oracle.run(out, "units.py", dir.resolve("job.json").toString(), out.toString());
            Map<String, Tensor> ref = Oracle.refs(out);
            for (String layer : List.of("conv1", "relu1", "conv2")) {
                TableResult t = Fixture.table(result, "Dataset examples of " + layer);
                int units = layer.equals("conv2") ? 12 : 8;
                int cols = layer.equals("conv2") ? 8 : 16;
                for (String side : layer.equals("relu1") ? List.of("top") : List.of("top", "bottom")) {
                    String s = side.equals("top") ? "_top_" : "_bot_";
                    List<List<Object>> rows = Fixture.side(t, side);
                    assertEquals(units * 5, rows.size(), layer + " " + side + ": 5 images per unit");
                    float[] idx = ref.get(layer + s + "idx").toFloats();
                    float[] val = ref.get(layer + s + "val").toFloats();
                    float[] pos = ref.get(layer + s + "pos").toFloats();
                    for (int i = 0; i < rows.size(); i++) {
                        List<Object> r = rows.get(i);
                        String what = layer + " " + side + " row " + i + " " + r;
                        assertEquals(new UnitRef(net.info().id(), layer, i / 5), r.get(0), what);
                        assertEquals((long) idx[i], r.get(3), what + ": image index");
                        assertEquals(val[i], ((Number) r.get(5)).doubleValue(), 1e-4 * Math.max(1, Math.abs(val[i])), what + ": value");
                        assertEquals((long) pos[i] / cols, r.get(6), what + ": row of the maximum");
                        assertEquals((long) pos[i] % cols, r.get(7), what + ": column of the maximum");
                    }
                }
            }
            // relu1's bottom images are all zero ties: the earliest images, as a stable sort gives them
            double[] bottom = Fixture.side(Fixture.table(result, "Dataset examples of relu1"), "bottom").stream()
                    .mapToDouble(r -> ((Number) r.get(5)).doubleValue()).toArray();
            assertTrue(Arrays.stream(bottom).allMatch(v -> v >= 0), "relu1 is never negative");

            CompositeResult other = f.run(EXAMPLES, net, "conv1", images, params("index2", "3"));
            for (String layer : List.of("conv1", "relu1", "conv2")) {
                assertSameExamples(Fixture.table(result, "Dataset examples of " + layer), Fixture.table(other, "Dataset examples of " + layer),
                        layer + ": batches of 3 give what batches of 7 give");
            }
        }
    }

    /** The same images and positions, values within 1e-5 (a conv over another batch size may round differently). */
    private static void assertSameExamples(TableResult expected, TableResult actual, String what) {
        assertEquals(expected.rows().size(), actual.rows().size(), what);
        for (int i = 0; i < expected.rows().size(); i++) {
            List<Object> e = expected.rows().get(i);
            List<Object> a = actual.rows().get(i);
            for (int c = 0; c < e.size(); c++) {
                if (c == 5) {
                    assertEquals(((Number) e.get(c)).doubleValue(), ((Number) a.get(c)).doubleValue(), 1e-5, what + " row " + i);
                } else {
                    assertEquals(e.get(c), a.get(c), what + " row " + i + " column " + expected.columns().get(c));
                }
            }
        }
    }

    @Test
    void receptiveFieldsAndCropsFollowTheArchitecture() throws Exception {
        Fixture f = new Fixture(dir);
        String images = f.randomImages("imgs", 6, 16, 9).toString();
        try (HookedModel net = f.registry.openModel(OracleModel.folder().resolve("units-cnn.json").toString(), null)) {
            CompositeResult result = f.run(EXAMPLES, net, "conv1", images, params("index", "0"));
            String summary = Fixture.summary(result);
            // conv1 3x3; pool 2x2 stride 2 makes 4; conv2 3x3 at stride 2 makes 4 + 2 * 2 = 8
            assertTrue(summary.contains("conv1: receptive field 3x3 pixels, stride 1"), summary);
            assertTrue(summary.contains("relu1: receptive field 3x3 pixels, stride 1"), summary);
            assertTrue(summary.contains("conv2: receptive field 8x8 pixels, stride 2"), summary);
            ImageGridResult grid = Fixture.grid(result, "conv2:1 top and bottom");
            TableResult t = Fixture.table(result, "Dataset examples of conv2");
            List<List<Object>> rows = t.rows().stream().filter(r -> ((UnitRef) r.get(0)).unit() == 1).toList();
            assertEquals(10, grid.images().size(), "5 top and 5 bottom crops");
            for (int i = 0; i < rows.size(); i++) {
                long row = (Long) rows.get(i).get(6);
                long col = (Long) rows.get(i).get(7);
                // the field of map position r spans input pixels 2r-3 .. 2r+4, clipped to 0 .. 15; crops are enlarged 8 times
                long h = Math.min(15, 2 * row + 4) - Math.max(0, 2 * row - 3) + 1;
                long w = Math.min(15, 2 * col + 4) - Math.max(0, 2 * col - 3) + 1;
                assertEquals(h * 8, grid.images().get(i).height(), "crop height at row " + row);
                assertEquals(w * 8, grid.images().get(i).width(), "crop width at column " + col);
            }
        }
    }

    @Test
    void theIndexIsReusedAndAChangedSourceIsRescanned() throws Exception {
        Fixture f = new Fixture(dir);
        Path folder = f.randomImages("imgs", 12, 16, 3);
        try (HookedModel net = f.registry.openModel(OracleModel.folder().resolve("units-cnn.json").toString(), null)) {
            CompositeResult first = f.run(EXAMPLES, net, "conv1", folder.toString(), params("index", "4"));
            assertTrue(Fixture.summary(first).contains("scanned 12 images"), Fixture.summary(first));
            CompositeResult second = f.run(EXAMPLES, net, "conv1", folder.toString(), params("index", "4"));
            assertTrue(Fixture.summary(second).contains("read from the index"), Fixture.summary(second));
            assertEquals(Fixture.table(first, "Dataset examples of conv2"), Fixture.table(second, "Dataset examples of conv2"));

            BufferedImage white = new BufferedImage(16, 16, BufferedImage.TYPE_INT_RGB);
            for (int y = 0; y < 16; y++) {
                for (int x = 0; x < 16; x++) {
                    white.setRGB(x, y, 0xFFFFFF);
                }
            }
            ImageIO.write(white, "png", folder.resolve("img05.png").toFile());
            CompositeResult changed = f.run(EXAMPLES, net, "conv1", folder.toString(), params("index", "4"));
            assertTrue(Fixture.summary(changed).contains("the source changed since it was indexed: rescanned"), Fixture.summary(changed));
            CompositeResult fresh = f.run(EXAMPLES, net, "conv1", folder.toString(), params("fresh", "4"));
            assertEquals(Fixture.table(fresh, "Dataset examples of conv1"), Fixture.table(changed, "Dataset examples of conv1"),
                    "the rescan equals a scan of the changed folder into a new index");
            assertNotEquals(Fixture.table(first, "Dataset examples of conv1"), Fixture.table(changed, "Dataset examples of conv1"),
                    "a white image changes some unit's examples");
        }
    }

    @Test
    void anInterruptedScanResumesToTheUninterruptedResult() throws Exception {
        Fixture f = new Fixture(dir);
        String images = f.randomImages("imgs", 30, 16, 8).toString();
        try (HookedModel net = f.registry.openModel(OracleModel.folder().resolve("units-cnn.json").toString(), null)) {
            Map<String, String> p = Map.of("layers", "relu1+conv2", "k", "4", "batchSize", "3", "checkpointEvery", "2",
                    "index", dir.resolve("resumed").toString());
            // cancels once the scan has written its first periodic checkpoint (after 2 batches): the scan stops before its next batch
            Path checkpoint = dir.resolve("resumed");
            NullProgressMonitor cancelling = new NullProgressMonitor() {
                @Override
                public boolean isCanceled() {
                    try (var files = Files.walk(checkpoint)) {
                        return files.anyMatch(x -> x.getFileName().toString().equals("checkpoint.bin"));
                    } catch (java.io.IOException e) {
                        return false;
                    }
                }
            };
            assertThrows(OperationCanceledException.class, () -> f.run(EXAMPLES, net, "relu1", null, images, p, cancelling));
            try (var files = Files.walk(dir.resolve("resumed"))) {
                assertTrue(files.anyMatch(x -> x.getFileName().toString().equals("checkpoint.bin")), "the cancelled scan left a checkpoint");
            }
            CompositeResult resumed = f.run(EXAMPLES, net, "relu1", images, p);
            assertTrue(Fixture.summary(resumed).contains("resumed an interrupted scan at image"), Fixture.summary(resumed));
            CompositeResult whole = f.run(EXAMPLES, net, "relu1", images, Map.of("layers", "relu1,conv2", "k", "4", "batchSize", "3",
                    "index", dir.resolve("whole").toString()));
            assertTrue(Fixture.summary(whole).contains("scanned 30 images"), Fixture.summary(whole));
            for (String layer : List.of("relu1", "conv2")) {
                assertEquals(Fixture.table(whole, "Dataset examples of " + layer), Fixture.table(resumed, "Dataset examples of " + layer),
                        layer + ": resumed = uninterrupted");
            }
        }
    }
}

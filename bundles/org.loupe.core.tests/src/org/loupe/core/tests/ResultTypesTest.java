package org.loupe.core.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.loupe.core.analysis.Selection;
import org.loupe.core.images.RasterImage;
import org.loupe.core.registry.LoupeRegistry;
import org.loupe.core.registry.ResultType;
import org.loupe.core.registry.ResultTypes;
import org.loupe.core.result.ChartKind;
import org.loupe.core.result.ChartResult;
import org.loupe.core.result.Colormap;
import org.loupe.core.result.CompositeResult;
import org.loupe.core.result.FloatMap;
import org.loupe.core.result.GalleryItem;
import org.loupe.core.result.GalleryResult;
import org.loupe.core.result.HeatMapResult;
import org.loupe.core.result.ImageResult;
import org.loupe.core.result.OverlayStyle;
import org.loupe.core.result.Result;
import org.loupe.core.result.ResultCodec;
import org.loupe.core.result.Run;
import org.loupe.core.result.RunFiles;
import org.loupe.core.result.Series;
import org.loupe.core.result.TableResult;
import org.loupe.core.result.TextResult;
import org.loupe.core.result.UnitRef;
import org.loupe.core.run.AnalysisJob;
import org.loupe.core.run.AnalysisRequest;
import org.loupe.core.run.AnalysisRunner;
import org.loupe.core.store.RunStore;

import com.google.gson.JsonObject;

/** Result types come from the extension point with their codecs; every built-in and the new parts round-trip losslessly. */
class ResultTypesTest {

    @TempDir
    Path dir;

    private static RasterImage image(int w, int h, int seed) {
        int[] px = new int[w * h];
        for (int i = 0; i < px.length; i++) {
            px[i] = (int) ((i * 2654435761L + seed * 40503L) & 0xFFFFFF);
        }
        return new RasterImage(w, h, px);
    }

    /** Floats whose bits a lossy store would change: NaN payloads, -0, subnormals, infinities, values with no short decimal. */
    static float[] awkwardFloats(int n) {
        float[] v = new float[n];
        java.util.Random r = new java.util.Random(5);
        for (int i = 0; i < n; i++) {
            v[i] = Float.intBitsToFloat(r.nextInt() & 0x3FFFFFFF | 0x3F000000) * (r.nextBoolean() ? 1 : -1);
        }
        v[0] = Float.intBitsToFloat(0x7FC00123); // a quiet NaN with a payload
        v[1] = -0.0f;
        v[2] = Float.MIN_VALUE;
        v[3] = Float.NEGATIVE_INFINITY;
        v[4] = Float.MAX_VALUE;
        v[5] = 0.1f;
        return v;
    }

    static CompositeResult newParts() {
        FloatMap cam = new FloatMap(new int[] {2, 3, 4}, awkwardFloats(24));
        FloatMap smooth = FloatMap.of(2, 2, new float[] {0f, 0.25f, 0.5f, 1f});
        RasterImage img = image(8, 6, 3);
        UnitRef u = new UnitRef("demo-cnn", "relu1", 15);
        return new CompositeResult("New parts", List.of(
                new HeatMapResult("Attribution", cam, img, new OverlayStyle(Colormap.DIVERGING, -2, 2, 0.6), "two heads"),
                new HeatMapResult("Map alone", smooth, null, new OverlayStyle(Colormap.VIRIDIS, 0, 1, 1), ""),
                new GalleryResult("Top images", List.of(new GalleryItem(img, "cat", 3.25, u), new GalleryItem(image(4, 4, 9), "", null, null),
                        new GalleryItem(img, "with a detail", 1.5, u, new CompositeResult("Detail of relu1:15", List.of(new ImageResult("big", img, ""),
                                new TextResult("Parameters", "steps 8"))))),
                        4, "activation"),
                new ChartResult("Tuning", ChartKind.POLAR, "orientation", "response",
                        List.of(new Series("unit 15", new double[] {0, 90, 180, 270}, new double[] {1, 0.5, 0.25, 0.125}))),
                new TableResult("Units", List.of("unit", "score"), List.of(List.of(u, 0.5), List.of(new UnitRef("m", "blocks.3.attn", 0), 1)))));
    }

    @Test
    void builtInTypesAreDeclaredThroughTheExtensionPoint() {
        ResultTypes types = new LoupeRegistry().resultTypes();
        for (String id : List.of("image", "imageGrid", "gallery", "heatMap", "chart", "table", "text", "composite")) {
            ResultType t = types.forId(id).orElseThrow(() -> new AssertionError("no result type " + id));
            assertEquals("org.loupe.core", t.contributor());
        }
        assertEquals("heatMap", types.forResult(newParts().parts().get(0)).orElseThrow().id());
        assertEquals(List.of(), types.problems());
    }

    @Test
    void everyBuiltInAndEveryNewPartReopensUnchangedAfterARestart() throws IOException {
        Run saved = new RunStore(dir).save(RunStoreTest.provenance("x.all", Instant.parse("2026-03-01T00:00:00Z")),
                new CompositeResult("Everything", List.of(RunStoreTest.everyKind(), newParts())));
        Run loaded = new RunStore(dir, new LoupeRegistry().resultTypes()).load(saved.id()); // new registry, new store
        assertEquals(saved, loaded);
        CompositeResult parts = (CompositeResult) ((CompositeResult) loaded.result()).parts().get(1);
        assertEquals(new UnitRef("demo-cnn", "relu1", 15), ((TableResult) parts.parts().get(4)).rows().get(0).get(0));
        assertEquals(ChartKind.POLAR, ((ChartResult) parts.parts().get(3)).kind());
        assertTrue(Files.exists(dir.resolve(saved.id()).resolve("map-000.npy")));
    }

    @Test
    void floatMapsAreStoredBitExact() throws IOException {
        float[] v = awkwardFloats(3 * 5 * 7);
        HeatMapResult r = new HeatMapResult("m", new FloatMap(new int[] {3, 5, 7}, v), null, new OverlayStyle(Colormap.GRAY, 0, 1, 1), "");
        Run saved = new RunStore(dir).save(RunStoreTest.provenance("x.map", Instant.now()), r);
        float[] back = ((HeatMapResult) new RunStore(dir).load(saved.id()).result()).map().values();
        assertEquals(v.length, back.length);
        for (int i = 0; i < v.length; i++) {
            assertEquals(Float.floatToRawIntBits(v[i]), Float.floatToRawIntBits(back[i]), "bits of value " + i);
        }
        assertArrayEquals(new int[] {3, 5, 7}, ((HeatMapResult) new RunStore(dir).load(saved.id()).result()).map().shape());
    }

    @Test
    void npyFilesAreWhatNumpyWritesAndReads() throws Exception {
        float[] v = {1.5f, -2.25f, 0.1f, 3e-39f, 7f, 8f};
        Run saved = new RunStore(dir).save(RunStoreTest.provenance("x.npy", Instant.now()),
                new HeatMapResult("m", new FloatMap(new int[] {1, 2, 3}, v), null, new OverlayStyle(Colormap.GRAY, 0, 1, 1), ""));
        Path ours = dir.resolve(saved.id()).resolve("map-000.npy");
        String out = python("import numpy as np; a = np.load('" + ours + "'); print(a.dtype, a.shape, ' '.join(repr(float(x)) for x in a.ravel()))");
        StringBuilder expected = new StringBuilder("float32 (1, 2, 3)");
        for (float f : v) {
            expected.append(' ').append(python("import numpy as np; print(repr(float(np.float32(" + Float.toString(f) + "))))").trim());
        }
        assertEquals(expected.toString(), out.trim());

        // a file numpy wrote reads back with its exact values, here replacing our own map
        python("import numpy as np; np.save('" + ours + "', np.arange(12, dtype=np.float32).reshape(3, 4) / 3)");
        FloatMap read = ((HeatMapResult) new RunStore(dir).load(saved.id()).result()).map();
        assertArrayEquals(new int[] {3, 4}, read.shape());
        for (int i = 0; i < 12; i++) {
            assertEquals(Float.floatToRawIntBits(i / 3f), Float.floatToRawIntBits(read.values()[i]), "value " + i);
        }
    }

    private static String python(String code) throws Exception {
        Process p = new ProcessBuilder("/usr/bin/python3", "-c", code).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
        return out;
    }

    @Test
    void runsWrittenByTheEarlierClosedCodecStillOpen() throws IOException {
        Path run = dir.resolve("20260101-000000-000-old-1234");
        Files.createDirectories(run);
        Files.writeString(run.resolve("run.json"), """
                {"format": "loupe-run/1", "id": "20260101-000000-000-old-1234",
                 "provenance": {"analysisId": "x.old", "analysisName": "Old", "model": {"id": "m", "name": "M", "architecture": "a",
                   "contentHash": "h", "source": "s", "parameterCount": 1}, "selection": {"hookPoint": "conv1", "unit": 2, "images": null},
                   "parameters": {"bins": 50}, "seed": 7, "loupeVersion": "0.1.0", "started": "2026-01-01T00:00:00Z", "durationMillis": 5},
                 "result": {"title": "Old run", "type": "composite", "parts": [
                   {"title": "Chart", "type": "chart", "kind": "line", "xLabel": "x", "yLabel": "y",
                    "series": [{"name": "s", "x": [0.0, 1.0], "y": [2.5, NaN]}]},
                   {"title": "Table", "type": "table", "columns": ["unit", "name"], "rows": [[3, "a"]]},
                   {"title": "Text", "type": "text", "text": "hi"}]}}
                """);
        Run r = new RunStore(dir).load(run.getFileName().toString());
        CompositeResult c = (CompositeResult) r.result();
        assertEquals(new ChartResult("Chart", ChartKind.LINE, "x", "y", List.of(new Series("s", new double[] {0, 1}, new double[] {2.5, Double.NaN}))),
                c.parts().get(0));
        assertEquals(new TableResult("Table", List.of("unit", "name"), List.of(List.of(3L, "a"))), c.parts().get(1));
        assertEquals(new TextResult("Text", "hi"), c.parts().get(2));
    }

    /** A result type of a plug-in, given in code the way the extension point would give it. */
    record Marks(String title, List<String> marks) implements Result {
    }

    static final class MarksCodec implements ResultCodec<Marks> {
        @Override
        public void write(Marks r, JsonObject out, RunFiles files) {
            out.addProperty("marks", String.join("|", r.marks()));
        }

        @Override
        public Marks read(JsonObject in, RunFiles files) {
            return new Marks(in.get("title").getAsString(), List.of(in.get("marks").getAsString().split("\\|")));
        }
    }

    @Test
    void aPluginTypeReopensWhereItsTypeIsKnownAndSaysWhatIsMissingElsewhere() throws IOException {
        ResultTypes types = new LoupeRegistry().resultTypes().with("org.example.marks", Marks.class, new MarksCodec());
        Result result = new CompositeResult("with marks", List.of(new Marks("m", List.of("a", "b")), new TextResult("t", "x")));
        Run saved = new RunStore(dir, types).save(RunStoreTest.provenance("x.marks", Instant.now()), result);
        assertTrue(Files.readString(dir.resolve(saved.id()).resolve("run.json")).contains("\"type\": \"org.example.marks\""));
        assertEquals(result, new RunStore(dir, new LoupeRegistry().resultTypes().with("org.example.marks", Marks.class, new MarksCodec()))
                .load(saved.id()).result());

        RunStore without = new RunStore(dir);
        IOException e = assertThrows(IOException.class, () -> without.load(saved.id()));
        assertTrue(e.getMessage().contains("'org.example.marks', which no installed plug-in provides"), e.getMessage());
        assertEquals(1, without.list().size(), "a run of an unknown type is still listed");
    }

    /** A declared type for the resolution test. */
    record Declared(String id, String resultClass, String contributor) implements ResultType {
        @Override
        public ResultCodec<?> codec() {
            throw new AssertionError("not used");
        }
    }

    @Test
    void duplicateDeclarationsResolveTheSameWhateverTheOrder() {
        List<ResultType> decls = List.of(new Declared("x.a", "C1", "org.zeta"), new Declared("x.a", "C2", "org.alpha"),
                new Declared("image", "Other", "org.alpha"), new Declared("image", "org.loupe.core.result.ImageResult", "org.loupe.core"));
        for (int shift = 0; shift < decls.size(); shift++) {
            List<ResultType> order = new ArrayList<>(decls);
            java.util.Collections.rotate(order, shift);
            ResultTypes t = new ResultTypes(order);
            assertEquals("org.alpha", t.forId("x.a").orElseThrow().contributor());
            assertEquals("org.loupe.core", t.forId("image").orElseThrow().contributor());
            assertEquals(2, t.problems().size(), t.problems().toString());
        }
    }

    @Test
    void heatMapPictureIsTheColormapBlendedOverTheImage() {
        RasterImage gray = new RasterImage(4, 2, new int[] {0x808080, 0x808080, 0x808080, 0x808080, 0x808080, 0x808080, 0x808080, 0x808080});
        OverlayStyle half = new OverlayStyle(Colormap.GRAY, 0, 1, 0.5);
        // a constant map of 1 is white; half over mid gray (128) gives round(0.5 * 255 + 0.5 * 128) = 192
        RasterImage white = new HeatMapResult("h", FloatMap.of(1, 1, new float[] {1}), gray, half, "").render(0);
        for (int p : white.rgb()) {
            assertEquals(0xC0C0C0, p);
        }
        // a 1x2 map [0, 1] upsampled to 4 wide (align_corners=False): sample x = 0, 0.25, 0.75, 1 -> 0, 64, 191, 255
        RasterImage ramp = new HeatMapResult("h", FloatMap.of(1, 2, new float[] {0, 1}), null, new OverlayStyle(Colormap.GRAY, 0, 1, 1), "")
                .render(0);
        assertEquals(2, ramp.width(), "without an image the map is drawn at its own size");
        RasterImage over = new HeatMapResult("h", FloatMap.of(1, 2, new float[] {0, 1}), gray, new OverlayStyle(Colormap.GRAY, 0, 1, 1), "")
                .render(0);
        assertArrayEquals(new int[] {0x000000, 0x404040, 0xBFBFBF, 0xFFFFFF}, java.util.Arrays.copyOf(over.rgb(), 4));
        assertEquals(0x440154, Colormap.VIRIDIS.rgb(0));
        assertEquals(0xFDE725, Colormap.VIRIDIS.rgb(1));
        assertEquals(0x21908C, Colormap.VIRIDIS.rgb(0.5));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new OverlayStyle(Colormap.GRAY, 1, 1, 0.5));
        assertTrue(e.getMessage().contains("min < max"), e.getMessage());
    }

    @Test
    void unitLinksParseBackAndBadOnesSayWhatIsExpected() {
        UnitRef u = new UnitRef("builtin:demo-cnn", "layer1.0.conv1", 7);
        assertEquals("builtin:demo-cnn#layer1.0.conv1:7", u.link());
        assertEquals(u, UnitRef.parse(u.link()));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> UnitRef.parse("relu1:3"));
        assertTrue(e.getMessage().contains("expected model#hookPoint:unit"), e.getMessage());
    }

    @Test
    void partialResultsReachTheListenerInOrderBeforeTheRunIsSaved() throws Exception {
        RunStore store = new RunStore(dir);
        List<String> heard = new ArrayList<>();
        store.addListener(s -> heard.add("saved " + s.title()));
        try (var model = TinyModels.linear()) {
            AnalysisRequest request = new AnalysisRequest("org.loupe.core.tests.slow", model, new Selection(null, null, null),
                    Map.of("steps", "3"), 0);
            Run run = new AnalysisRunner(new LoupeRegistry(), store).run(request, null, p -> heard.add(p.title()));
            assertEquals(List.of("Step 1", "Step 2", "Step 3", "saved Counted"), heard);
            assertEquals(new TextResult("Counted", "3"), run.result());

            // the same through a job, as the workbench runs it
            List<String> fromJob = new java.util.concurrent.CopyOnWriteArrayList<>();
            AnalysisJob job = new AnalysisJob("publishing", new AnalysisRunner(new LoupeRegistry(), store), request);
            job.addPartialListener(p -> fromJob.add(((TextResult) p).text()));
            job.schedule();
            job.join();
            assertEquals(List.of("1 of 3", "2 of 3", "3 of 3"), fromJob);
            assertEquals("Counted", job.run().result().title());
        }
    }
}

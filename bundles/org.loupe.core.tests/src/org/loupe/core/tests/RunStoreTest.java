package org.loupe.core.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.loupe.core.analysis.Selection;
import org.loupe.core.images.RasterImage;
import org.loupe.core.model.ConfigValue;
import org.loupe.core.model.ModelInfo;
import org.loupe.core.result.ChartKind;
import org.loupe.core.result.ChartResult;
import org.loupe.core.result.CompositeResult;
import org.loupe.core.result.ImageGridResult;
import org.loupe.core.result.ImageResult;
import org.loupe.core.result.Provenance;
import org.loupe.core.result.Run;
import org.loupe.core.result.Series;
import org.loupe.core.result.TableResult;
import org.loupe.core.result.TextResult;
import org.loupe.core.store.RunStore;
import org.loupe.core.store.RunSummary;

/** Runs survive a restart unchanged; damaged runs are reported, never fatal; writes are atomic. */
class RunStoreTest {

    @TempDir
    Path dir;

    static Provenance provenance(String analysis, Instant started) {
        return new Provenance(analysis, "Test analysis", new ModelInfo("m", "Model M", "test", "abc123", "builtin:m", 42),
                new Selection("conv1", 3, "noise:count=4"), Map.of("bins", 50, "lr", 0.05f, "mode", "max", "flag", true),
                7, "0.1.0", started, 1234);
    }

    static CompositeResult everyKind() {
        int[] px = new int[6 * 4];
        for (int i = 0; i < px.length; i++) {
            px[i] = (i * 10) << 16 | (255 - i * 10) << 8 | (i * 7);
        }
        RasterImage img = new RasterImage(6, 4, px);
        return new CompositeResult("All kinds", List.of(
                new ImageResult("One image", img, "caption"),
                new ImageGridResult("Grid", List.of(img, img), List.of("a", "b"), 2),
                new ChartResult("Chart", ChartKind.HISTOGRAM, "value", "count",
                        List.of(new Series("s", new double[] {0.5, 1.5, Double.NaN}, new double[] {3, 1e-9, 7}))),
                new ChartResult("Bars", ChartKind.BAR, "class", "p", List.of(new Series("p", new double[] {0, 1}, new double[] {0.7, 0.3})),
                        List.of("cat", "dog, big")),
                new TableResult("Table", List.of("unit", "mean", "name"), List.of(List.of(0, 0.25, "x"), List.of(1, -1.5f, "y"))),
                new TextResult("Text", "two\nlines")));
    }

    @Test
    void savedRunReopensIdenticallyAfterRestart() throws IOException {
        RunStore store = new RunStore(dir);
        List<RunSummary> heard = new ArrayList<>();
        store.addListener(heard::add);
        Run saved = store.save(provenance("org.loupe.test.a", Instant.parse("2026-01-02T03:04:05Z")), everyKind());
        assertEquals(1, heard.size());
        assertEquals(saved.id(), heard.get(0).id());

        RunStore reopened = new RunStore(dir); // a new process
        List<RunSummary> list = reopened.list();
        assertEquals(1, list.size());
        assertEquals("All kinds", list.get(0).title());
        assertEquals("conv1", list.get(0).hookPoint());
        Run loaded = reopened.load(saved.id());
        assertEquals(saved, loaded);
        assertEquals(0.05, loaded.provenance().parameters().get("lr"));
        assertEquals(50L, loaded.provenance().parameters().get("bins"));
    }

    /** A model's resolved configuration, guesses and the lines that settle them included, is saved with the run and read back. */
    @Test
    void modelConfigurationSurvivesTheStore() throws IOException {
        ModelInfo info = new ModelInfo("v", "ViT", "vit-h-14", "abc", "/m/vit.pth", 7, List.of(
                new ConfigValue("heads", "16 (of 80)", ConfigValue.Origin.GUESSED, "width 1280 is ViT-H's", "\"heads\": 16"),
                new ConfigValue(ModelInfo.RESIZE, "shorter side to 518, centre crop 518x518", ConfigValue.Origin.FILE, "file name", null),
                new ConfigValue("layer_norm_eps", "1.0E-6", ConfigValue.Origin.CONFIG, "config.json layer_norm_eps", null)));
        Provenance p = new Provenance("x.config", "Test analysis", info, Selection.NONE, Map.of(), 1, "0.1.0",
                Instant.parse("2026-01-01T00:00:00Z"), 5);
        Run saved = new RunStore(dir).save(p, new TextResult("t", "x"));
        ModelInfo loaded = new RunStore(dir).load(saved.id()).provenance().model();
        assertEquals(info, loaded);
        assertEquals(List.of(info.configuration().get(0)), loaded.warnings());
        assertTrue(loaded.warnings().get(0).warning().contains("Settle it in the sidecar with \"heads\": 16"));
    }

    @Test
    void listIsNewestFirstAndSkipsDamagedRuns() throws IOException {
        RunStore store = new RunStore(dir);
        Run older = store.save(provenance("x.older", Instant.parse("2026-01-01T00:00:00Z")), new TextResult("old", "o"));
        Run newer = store.save(provenance("x.newer", Instant.parse("2026-02-01T00:00:00Z")), new TextResult("new", "n"));
        Path broken = dir.resolve("20260301-000000-000-broken-1234");
        Files.createDirectories(broken);
        Files.writeString(broken.resolve("run.json"), "{ not json");
        List<RunSummary> list = store.list();
        assertEquals(List.of(newer.id(), older.id()), list.stream().map(RunSummary::id).toList());
        assertEquals(1, store.problems().size());
        assertTrue(store.problems().get(0).contains("20260301-000000-000-broken-1234"), store.problems().toString());
        IOException e = assertThrows(IOException.class, () -> store.load(broken.getFileName().toString()));
        assertTrue(e.getMessage().contains("not valid JSON"), e.getMessage());
    }

    @Test
    void idsAreUniqueAndNoTemporaryFoldersRemain() throws IOException {
        RunStore store = new RunStore(dir);
        Instant t = Instant.parse("2026-01-01T00:00:00Z");
        Run a = store.save(provenance("x.same", t), new TextResult("a", "a"));
        Run b = store.save(provenance("x.same", t), new TextResult("b", "b"));
        assertNotEquals(a.id(), b.id());
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(2, s.count());
        }
    }

    @Test
    void unsupportedResultTypeFailsCleanlyWithoutLeavingAnything() throws IOException {
        RunStore store = new RunStore(dir);
        record Odd(String title) implements org.loupe.core.result.Result {
        }
        IOException e = assertThrows(IOException.class, () -> store.save(provenance("x.odd", Instant.now()), new Odd("odd")));
        assertTrue(e.getMessage().contains("cannot store results of type"), e.getMessage());
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(0, s.count());
        }
    }

    @Test
    void folderExportReadsBack() throws IOException {
        Run run = new Run("r1", provenance("x.export", Instant.parse("2026-01-01T00:00:00Z")), everyKind());
        Path out = dir.resolve("export");
        RunStore.writeFolder(run, out);
        assertTrue(Files.exists(out.resolve("run.json")));
        assertTrue(Files.exists(out.resolve("image-000.png")));
        assertEquals(run, RunStore.readFolder(out));
    }
}

package org.loupe.cli.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.loupe.cli.Cli;
import org.loupe.core.store.RunStore;
import org.loupe.core.store.RunSummary;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/** The command line, run in-process as `loupe ...` would run it. */
class CliTest {

    static final String STATS = "org.loupe.example.activationStats";

    @TempDir
    Path dir;

    record Outcome(int code, String out, String err) {
    }

    static Outcome loupe(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = new Cli(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8)).run(args);
        return new Outcome(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    static void contains(String text, String... fragments) {
        for (String f : fragments) {
            assertTrue(text.contains(f), "expected '" + f + "' in:\n" + text);
        }
    }

    @Test
    void listShowsEveryContributionWithIdAndDescription() {
        Outcome o = loupe("list");
        assertEquals(0, o.code(), o.err());
        contains(o.out(), "Model loaders:", "org.loupe.models.seqcnn", "Built-in models:", "seq-cnn-seeded", "(default)",
                "Analyses:", STATS, "Histogram, mean and std per unit", "[Activations; conv,tokens,attention,vector,logits]",
                "Image sources:", "folder", "noise");
    }

    @Test
    void listModelShowsHookPointsWithShapes() {
        Outcome o = loupe("list", "--model", "seq-cnn-seeded");
        assertEquals(0, o.code(), o.err());
        contains(o.out(), "Seeded CNN (untrained) (sequential-cnn)", "input: 3x32x32", "12 hook points:", "conv1", "conv       (16, 32, 32)",
                "logits     (10)");
        assertTrue(o.out().lines().anyMatch(l -> l.startsWith("  fc ") && l.contains("logits     (10)") && l.endsWith(" logits *")), o.out());
        Outcome vit = loupe("list", "--model", "demo-vit");
        assertEquals(0, vit.code(), vit.err());
        assertTrue(vit.out().lines().anyMatch(l -> l.startsWith("  blocks.1.attn.probs ") && l.contains(" attn_probs block 1 tokens cls 0 + ")
                && !l.endsWith("*")), vit.out());
        assertTrue(vit.out().lines().anyMatch(l -> l.startsWith("  blocks.1.resid_mid ") && l.contains(" resid_mid block 1 tokens cls 0 + ")
                && l.endsWith(" patches *")), vit.out());
    }

    @Test
    void runWritesJsonPngAndCsvAndStoresTheRun() throws Exception {
        Path out = dir.resolve("out");
        Path runs = dir.resolve("runs");
        Outcome o = loupe("run", STATS, "--model", "seq-cnn-seeded", "--layer", "relu1", "--image", "noise:count=8,size=32", "--param",
                "bins=20", "--seed", "3", "--out", out.toString(), "--runs", runs.toString());
        assertEquals(0, o.code(), o.err());
        contains(o.out(), "Activation statistics on Seeded CNN (untrained) at relu1: done in", "saved as run");
        JsonObject json = JsonParser.parseString(Files.readString(out.resolve("run.json"))).getAsJsonObject();
        JsonObject prov = json.getAsJsonObject("provenance");
        assertEquals(STATS, prov.get("analysisId").getAsString());
        assertEquals(20, prov.getAsJsonObject("parameters").get("bins").getAsInt());
        assertEquals(3, prov.get("seed").getAsLong());
        assertEquals("seq-cnn-seeded", prov.getAsJsonObject("model").get("id").getAsString());
        assertEquals(64, prov.getAsJsonObject("model").get("contentHash").getAsString().length());
        assertTrue(prov.get("durationMillis").getAsLong() >= 0);
        Path png = out.resolve("02-histogram-of-relu1-activations.png");
        BufferedImage img = ImageIO.read(png.toFile());
        assertEquals(900, img.getWidth());
        List<String> csv = Files.readAllLines(out.resolve("02-histogram-of-relu1-activations.csv"));
        assertEquals("series,activation,count", csv.get(0));
        assertEquals(21, csv.size());
        long total = csv.stream().skip(1).mapToLong(l -> Long.parseLong(l.split(",")[2])).sum();
        assertEquals(8L * 16 * 32 * 32, total, "every activation value is counted once");
        contains(Files.readString(out.resolve("01-summary.txt")), "over 8 images");
        List<RunSummary> stored = new RunStore(runs).list();
        assertEquals(1, stored.size());
        assertEquals(json.get("id").getAsString(), stored.get(0).id());
    }

    @Test
    void wrongCommandLinesExitWithUsageErrors() throws Exception {
        Path out = dir.resolve("o");
        String inRun = "loupe run " + STATS;
        assertUsage(loupe("frobnicate"), "loupe", "unknown command 'frobnicate'");
        assertUsage(loupe("run"), "loupe run", "'run' needs an analysis id first");
        assertUsage(loupe("run", "nope.analysis", "--model", "seq-cnn-seeded", "--out", out.toString()), "loupe run",
                "no analysis 'nope.analysis'; analyses:");
        assertUsage(loupe("run", STATS, "--model", "seq-cnn-seeded"), inRun, "'run' needs --out DIR");
        assertUsage(loupe("run", STATS, "--model", "seq-cnn-seeded", "--out", out.toString(), "--unit", "x"), inRun,
                "--unit must be an integer, got 'x'");
        assertUsage(loupe("run", STATS, "--model", "seq-cnn-seeded", "--out", out.toString(), "--param", "bins=1"), inRun,
                "parameter 'bins' must be in [2, 1000], got 1");
        assertUsage(loupe("run", STATS, "--model", "seq-cnn-seeded", "--out", out.toString(), "--param", "colour=red"), inRun,
                "unknown parameter 'colour'; parameters are: bins, batchSize, deadThreshold");
        assertUsage(loupe("run", STATS, "--model", "seq-cnn-seeded", "--out", out.toString(), "--frob"), inRun, "unknown option '--frob' for 'run'");
        assertUsage(loupe("run", STATS, "--model"), inRun, "option --model needs a value");
        Files.createDirectories(out);
        Files.writeString(out.resolve("keep.txt"), "precious");
        assertUsage(loupe("run", STATS, "--model", "seq-cnn-seeded", "--layer", "relu1", "--out", out.toString()), inRun, "is not empty");
        assertEquals("precious", Files.readString(out.resolve("keep.txt")));
    }

    private static void assertUsage(Outcome o, String command, String fragment) {
        assertEquals(2, o.code(), o.out() + o.err());
        contains(o.err(), fragment, "Try '" + command + " --help'.");
    }

    @Test
    void badModelsAndLayersFailWithClearMessages() throws Exception {
        Path out = dir.resolve("o");
        Outcome o = loupe("run", STATS, "--model", "seq-cnn-seeded", "--layer", "conv9", "--out", out.toString(), "--runs", dir.resolve("r").toString());
        assertEquals(2, o.code(), "a layer the model does not have is a wrong argument");
        contains(o.err(), "has no hook point 'conv9'. Did you mean: conv1");
        Files.writeString(dir.resolve("m.json"), "{\"architecture\": \"sequential-cnn\", \"input\": {\"channels\": 3, \"height\": 8, \"width\": 8},"
                + " \"layers\": [{\"name\": \"c\", \"type\": \"conv2d\", \"out_channels\": 2, \"kernel\": 3}]}");
        Files.write(dir.resolve("m.safetensors"), new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11});
        o = loupe("list", "--model", dir.resolve("m.json").toString());
        assertEquals(1, o.code());
        contains(o.err(), "m.safetensors is not a valid safetensors file");
        o = loupe("run", STATS, "--model", "seq-cnn-seeded", "--out", out.toString(), "--runs", dir.resolve("r").toString());
        assertEquals(2, o.code(), "a missing --layer is a wrong command line");
        contains(o.err(), "needs a hook point of kind");
        assertTrue(!Files.exists(out.resolve("run.json")), "nothing is written on failure");
    }

    @Test
    void helpEverywhere() {
        Outcome o = loupe("--help");
        assertEquals(0, o.code());
        contains(o.out(), "Usage: loupe [COMMAND]", "list", "run ANALYSIS");
        contains(loupe("run", "--help").out(), "--param KEY=VALUE", "--out DIR");
        contains(loupe("list", "--help").out(), "Usage: loupe list");
        o = loupe("run", STATS, "--help");
        assertEquals(0, o.code());
        contains(o.out(), "Activation statistics (" + STATS + ")", "bins (int, 2..1000, default 50): number of histogram bins",
                "Image sources for --image", "noise:count=16,size=64");
    }

    @Test
    void benchTimesModelAndAnchorInTurnsWithOneLinePerContestant() {
        Outcome o = loupe("bench", "--model", "seq-cnn-seeded", "--anchor", "seq-cnn-seeded", "--cache", "none,all", "--mode", "forward,grad",
                "--batch", "2", "--warmup", "1", "--iterations", "3");
        assertEquals(0, o.code(), o.err());
        List<JsonObject> lines = o.out().lines().map(l -> JsonParser.parseString(l).getAsJsonObject()).toList();
        assertEquals(6, lines.size(), o.out());
        for (int i = 0; i < 6; i++) {
            JsonObject l = lines.get(i);
            assertEquals(List.of("model", "model", "anchor").get(i % 3), l.get("role").getAsString());
            assertEquals(List.of("none", "all", "none").get(i % 3), l.get("cache").getAsString());
            assertEquals(i < 3 ? "forward" : "forward+grad", l.get("mode").getAsString());
            assertEquals(3, l.get("contestants").getAsInt());
            assertEquals(2, l.get("batch").getAsInt());
            assertTrue(l.get("min_ms").getAsDouble() > 0 && l.get("min_ms").getAsDouble() <= l.get("median_ms").getAsDouble(), l.toString());
        }
    }

    @Test
    void benchRefusesAnAnchorOfAnotherInputSize() {
        Outcome o = loupe("bench", "--model", "seq-cnn-seeded", "--anchor", "demo-cnn", "--iterations", "1");
        assertEquals(2, o.code());
        contains(o.err(), "--anchor must take the input size of --model: 3x64x64 vs 3x32x32");
    }
}

package org.loupe.analysis.causal.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.loupe.cli.Cli;
import org.loupe.core.analysis.AnalysisException;
import org.loupe.core.model.HookedModel;

/** Wrong input gets a message that says what is wrong and what to write instead, without library internals. */
class BadInputTest {

    @TempDir
    Path dir;

    Fixture f;
    String images;

    @BeforeEach
    void setUp() throws Exception {
        f = new Fixture(dir);
        images = f.randomImages("imgs", 2, 16, 1).toString();
    }

    private String fails(String analysis, String layer, String imgs, Map<String, String> params) throws Exception {
        try (HookedModel model = f.registry.openModel(OracleModel.folder().resolve("causal-cnn.json").toString(), null)) {
            String message = assertThrows(AnalysisException.class, () -> f.run(analysis, model, layer, imgs, params)).getMessage();
            assertTrue(!message.contains("Exception") && !message.contains("ai.djl"), "no library internals: " + message);
            return message;
        }
    }

    private static void says(String message, String... parts) {
        for (String p : parts) {
            assertTrue(message.contains(p), "'" + message + "' should say '" + p + "'");
        }
    }

    @Test
    void wrongLayer() throws Exception {
        says(fails("org.loupe.analysis.ablation", "relu7", images, Map.of()), "relu7", "relu1");
        says(fails("org.loupe.analysis.ablationSweep", "relu7", images, Map.of()), "relu7");
    }

    @Test
    void unitOutOfRange() throws Exception {
        says(fails("org.loupe.analysis.ablation", "relu1", images, Map.of("sites", "units:8")), "unit 8 is out of range", "0..7");
        says(fails("org.loupe.analysis.ablation", "relu1", images, Map.of("sites", "neuron:2,16,0")), "outside", "16x16");
        says(fails("org.loupe.analysis.ablationSweep", "relu1", images, Map.of("steps", "0-9")), "step 8 is out of range", "0..7");
        says(fails("org.loupe.analysis.ablation", "relu1", images, Map.of("target", "z")), "'z' is not a class", "a, b, c, d, e");
    }

    /** On the command line a unit the layer does not have is a wrong argument: exit 2, nothing run or stored. */
    @Test
    void aUnitTheLayerDoesNotHaveIsAWrongArgumentOfTheCommandLine() throws Exception {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Path runs = dir.resolve("runs");
        int code = new Cli(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8))
                .run("run", "ablation", "--model", OracleModel.folder().resolve("causal-cnn.json").toString(), "--layer", "relu1", "--image", images,
                        "--param", "sites=units:8", "--out", dir.resolve("out").toString(), "--runs", runs.toString());
        String message = err.toString(StandardCharsets.UTF_8);
        assertEquals(2, code, message);
        says(message, "unit 8 is out of range", "0..7");
        assertFalse(message.contains("Ablating"), "nothing ran:\n" + message);
        if (Files.exists(runs)) {
            try (var stored = Files.list(runs)) {
                assertEquals(0, stored.count(), "nothing is stored");
            }
        }
        assertFalse(Files.exists(dir.resolve("out")), "no output folder is left behind");
    }

    @Test
    void malformedSites() throws Exception {
        says(fails("org.loupe.analysis.ablation", "relu1", images, Map.of("sites", "unit 3")), "cannot read the sites 'unit 3'", "units:3,5");
        says(fails("org.loupe.analysis.ablation", "relu1", images, Map.of("sites", "units:x")), "'x' is not a whole number");
        says(fails("org.loupe.analysis.ablation", "relu1", images, Map.of("sites", "region:0-4")), "region:Y0-Y1,X0-X1");
        says(fails("org.loupe.analysis.ablation", "relu1", images, Map.of("sites", "tokens:0")), "tokens apply to token and attention hook points");
        says(fails("org.loupe.analysis.ablationSweep", "relu1", images, Map.of("over", "heads")), "heads apply to");
        says(fails("org.loupe.analysis.ablationSweep", "relu1", images, Map.of("steps", "1-x")), "cannot read the steps '1-x'", "0-15,20");
    }

    @Test
    void mismatchedCleanAndCorruptedImages() throws Exception {
        Path folder = dir.resolve("pairs");
        Files.createDirectories(folder);
        ImageIO.write(new BufferedImage(16, 16, BufferedImage.TYPE_INT_RGB), "png", folder.resolve("a.png").toFile());
        ImageIO.write(new BufferedImage(20, 16, BufferedImage.TYPE_INT_RGB), "png", folder.resolve("b.png").toFile());
        says(fails("org.loupe.analysis.patching", "relu1", folder.toString(), Map.of()), "a.png is 16x16", "b.png is 20x16", "same size");
        String three = f.randomImages("three", 3, 16, 2).toString();
        says(fails("org.loupe.analysis.patching", "relu1", three, Map.of()), "in pairs", "there are 3");
        says(fails("org.loupe.analysis.patching", "relu1", images, Map.of("corrupt", "blur:3")), "cannot read the corruption 'blur:3'", "noise:SIGMA");
        says(fails("org.loupe.analysis.patching", "relu1", images, Map.of("corrupt", "occlude:0-40,0-4")), "does not fit");
        says(fails("org.loupe.analysis.patching", "relu1", images, Map.of("map", "relu1,relu2")), "same number of units", "relu2 has 12");
        String same = dir.resolve("same").toString();
        Files.createDirectories(Path.of(same));
        Files.copy(Path.of(images, "img00.png"), Path.of(same, "a.png"));
        Files.copy(Path.of(images, "img00.png"), Path.of(same, "b.png"));
        says(fails("org.loupe.analysis.patching", "relu1", same, Map.of()), "nothing to restore");
    }

    @Test
    void resamplingNeedsTwoImages() throws Exception {
        String one = f.randomImages("one", 1, 16, 4).toString();
        says(fails("org.loupe.analysis.ablation", "relu1", one, Map.of("replacement", "resample")), "at least two images");
    }
}

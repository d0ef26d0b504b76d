package org.loupe.analysis.attribution.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.loupe.cli.Cli;
import org.loupe.core.analysis.AnalysisException;
import org.loupe.core.model.HookedModel;

/** Wrong input gets a message that says what is wrong and what to write instead, without library internals. */
class BadInputTest {

    static final String P = "org.loupe.analysis.attribution.";

    @TempDir
    Path dir;

    Fixture f;
    String images;

    @BeforeEach
    void setUp() throws Exception {
        f = new Fixture(dir);
        images = f.randomImages("imgs", 2, 16, 1).toString();
    }

    private String fails(String analysis, String imgs, Map<String, String> params) throws Exception {
        try (HookedModel model = f.registry.openModel(Fixture.oracleModel().toString(), null)) {
            String message = assertThrows(AnalysisException.class, () -> f.run(P + analysis, model, imgs, params)).getMessage();
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
        says(fails("gradcam", images, Map.of("layer", "conv9")), "conv9");
        says(fails("gradcam", images, Map.of("layer", "fc")), "needs a convolutional hook point", "'fc' is", "Try tanh2");
        says(fails("gradcam", images, Map.of("variant", "scorecam")), "unknown variant 'scorecam'", "gradcam++");
        says(fails("compare", images, Map.of("methods", "saliency,lime")), "unknown method 'lime'", "hirescam");
    }

    @Test
    void classOutOfRange() throws Exception {
        for (String a : new String[] {"saliency", "integratedGradients", "occlusion", "rise", "gradcam"}) {
            says(fails(a, images, Map.of("targetClass", "4")), "targetClass 4 is out of range", "0..3");
        }
    }

    @Test
    void badStepsAndSettings() throws Exception {
        says(fails("integratedGradients", images, Map.of("steps", "0")), "steps");
        says(fails("integratedGradients", images, Map.of("steps", "1", "method", "riemann_trapezoid")), "at least 2", "riemann_trapezoid");
        says(fails("integratedGradients", images, Map.of("method", "simpson")), "unknown integration rule 'simpson'", "gausslegendre");
        says(fails("occlusion", images, Map.of("window", "40")), "larger than the input", "at most 16");
        says(fails("smoothgrad", images, Map.of("variant", "meangrad")), "unknown variant 'meangrad'", "vargrad");
        says(fails("rise", images, Map.of("keep", "0")), "keep");
    }

    @Test
    void badBaseline() throws Exception {
        says(fails("integratedGradients", images, Map.of("baseline", "gray")), "cannot read the baseline 'gray'", "blurred:SIGMA", "image:PATH");
        says(fails("occlusion", images, Map.of("baseline", "blurred:x")), "'x' is not a number");
        says(fails("rise", images, Map.of("baseline", "image:" + dir.resolve("none.png"))), "none.png", "does not exist");
        Path bad = dir.resolve("bad.png");
        Files.writeString(bad, "not an image");
        says(fails("integratedGradients", images, Map.of("baseline", "image:" + bad)), "bad.png", "could not be decoded");
    }

    @Test
    void undecodableImage() throws Exception {
        Path folder = dir.resolve("broken");
        Files.createDirectories(folder);
        Files.writeString(folder.resolve("broken.png"), "not an image");
        says(fails("saliency", folder.toString(), Map.of()), "broken.png");
    }

    /** On the command line a wrong layer is a wrong argument: exit 2, nothing run or stored. */
    @Test
    void aWrongLayerIsAWrongArgumentOfTheCommandLine() throws Exception {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Path runs = dir.resolve("runs");
        int code = new Cli(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8))
                .run("run", "gradcam", "--model", Fixture.oracleModel().toString(), "--image", images, "--param", "layer=conv9",
                        "--out", dir.resolve("out").toString(), "--runs", runs.toString());
        String message = err.toString(StandardCharsets.UTF_8);
        assertEquals(2, code, message);
        says(message, "conv9");
        if (Files.exists(runs)) {
            try (var stored = Files.list(runs)) {
                assertEquals(0, stored.count(), "nothing is stored");
            }
        }
        assertFalse(Files.exists(dir.resolve("out")), "no output folder is left behind");
    }
}

package org.loupe.analysis.units.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.loupe.cli.Cli;

/** {@code loupe export-pages}: an index and one page per unit, with the images beside them; wrong arguments exit 2. */
class ExportPagesTest {

    @TempDir
    Path dir;

    private final String workspace = System.getProperty("loupe.workspace");

    @AfterEach
    void restore() {
        if (workspace == null) {
            System.clearProperty("loupe.workspace");
        } else {
            System.setProperty("loupe.workspace", workspace);
        }
    }

    @Test
    void writesAnIndexAndAPagePerUnitWithTheirImages() throws Exception {
        System.setProperty("loupe.workspace", dir.resolve("workspace").toString());
        Fixture f = new Fixture(dir);
        PlantedModels.connections(f).close();
        String images = f.randomImages("imgs", 10, 12, 4).toString();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Path pages = dir.resolve("pages");
        int code = new Cli(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8)).run(
                "export-pages", "--model", dir.resolve("connections.json").toString(), "--layer", "relu2", "--out", pages.toString(),
                "--image", images, "--k", "3", "--featureviz-steps", "8");
        assertEquals(0, code, err.toString(StandardCharsets.UTF_8));
        String index = Files.readString(pages.resolve("index.html"));
        assertTrue(index.contains("<a href=\"unit-0.html\">relu2:0</a>") && index.contains("<a href=\"unit-1.html\">relu2:1</a>"), index);
        assertTrue(index.contains("no concept masks"), "random images give no labels, and the index says why: " + index);
        String unit0 = Files.readString(pages.resolve("unit-0.html"));
        assertTrue(unit0.contains("Dataset examples: top") && unit0.contains("Dataset examples: bottom"), unit0);
        assertEquals(6, unit0.split("<figure>").length - 1, "3 top and 3 bottom crops");
        assertTrue(unit0.contains("<h2>Feature visualization</h2><figure class=\"viz\"><img src=\"img/u0-featureviz.png\"><figcaption>activation "),
                unit0);
        assertTrue(index.contains("src=\"img/u1-featureviz.png\""), "the index shows each unit's visualization: " + index);
        java.awt.image.BufferedImage viz = javax.imageio.ImageIO.read(pages.resolve("img/u0-featureviz.png").toFile());
        assertTrue(viz != null && viz.getWidth() > 1, "the visualization is a PNG");
        int first = unit0.indexOf("<td>relu1:2</td>");
        assertTrue(first > 0 && first < unit0.indexOf("<td>relu1:0</td>"), "the strongest input, relu1:2, comes first: " + unit0);
        try (var files = Files.list(pages.resolve("img"))) {
            assertTrue(files.filter(p -> p.toString().endsWith(".png")).count() >= 2 * (6 + 4), "crops and kernels of both units as PNG");
        }

        int bad = new Cli(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8)).run(
                "export-pages", "--model", dir.resolve("connections.json").toString(), "--layer", "relu9", "--out", dir.resolve("p2").toString(),
                "--image", images);
        assertEquals(Cli.USAGE, bad);
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("relu9"), err.toString(StandardCharsets.UTF_8));
        err.reset();
        assertEquals(Cli.USAGE, new Cli(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8)).run(
                "export-pages", "--model", dir.resolve("connections.json").toString(), "--layer", "relu2", "--out", dir.resolve("p3").toString(),
                "--image", images, "--featureviz-steps", "-1"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("--featureviz-steps must be between 0 (none) and 10000, got -1"),
                err.toString(StandardCharsets.UTF_8));
    }
}

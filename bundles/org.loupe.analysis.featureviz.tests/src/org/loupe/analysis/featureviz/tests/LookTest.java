package org.loupe.analysis.featureviz.tests;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Graphics2D;
import java.awt.Image;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.loupe.core.analysis.Selection;
import org.loupe.core.images.ImageTensors;
import org.loupe.core.model.HookKind;
import org.loupe.core.model.HookedModel;
import org.loupe.core.model.Hooks;
import org.loupe.core.registry.LoupeRegistry;
import org.loupe.core.result.CompositeResult;
import org.loupe.core.result.GalleryItem;
import org.loupe.core.result.GalleryResult;
import org.loupe.core.run.AnalysisRequest;
import org.loupe.core.run.AnalysisRunner;
import org.loupe.core.store.RunStore;
import org.loupe.djl.LoupeEngine;
import org.loupe.testing.Oracle;

import ai.djl.ndarray.NDManager;

/**
 * Galleries of the demo models, written as contact sheets to {@code target/work/look} to be looked
 * at (relu1 and relu3 channels and the class logits of the demo CNN, token features of the demo
 * ViT, and the demo ViT's class logits as silhouettes), with what can be checked without eyes: most
 * classes' visualisations are classified as their class (the demo CNN's in pixel space 5 of 8: square
 * and triangle look like star, heart like ring; the demo ViT's silhouettes 8 of 8), and the relu1
 * channels reach positive activations. The demo CNN's in pixel space: on the demo CNN
 * the FFT image's optimisation sometimes diverges (the objective becomes NaN, after 40 to 180
 * steps, differently from run to run), which the analysis reports as an error; not yet found why.
 */
class LookTest {

    @TempDir
    Path dir;

    private GalleryResult gallery(LoupeRegistry registry, HookedModel model, String layer, String units, int steps, String param)
            throws Exception {
        var run = new AnalysisRunner(registry, new RunStore(dir.resolve("runs"))).run(new AnalysisRequest("org.loupe.analysis.featurevizLayer",
                model, Selection.of(layer), Map.of("units", units, "steps", Integer.toString(steps), "batch", "16", "param", param), 1), null);
        GalleryResult g = (GalleryResult) ((CompositeResult) run.result()).parts().get(1);
        sheet(g, Oracle.work("look").resolve(model.info().id() + "-" + layer.replace('/', '_') + ".png"));
        return g;
    }

    private static void sheet(GalleryResult g, Path file) throws Exception {
        int cell = 96;
        int cols = Math.min(8, g.items().size());
        int rows = (g.items().size() + cols - 1) / cols;
        BufferedImage out = new BufferedImage(cols * cell, rows * cell, BufferedImage.TYPE_INT_RGB);
        Graphics2D gr = out.createGraphics();
        for (int i = 0; i < g.items().size(); i++) {
            Image img = g.items().get(i).image().toBufferedImage().getScaledInstance(cell - 4, cell - 4, Image.SCALE_FAST);
            gr.drawImage(img, (i % cols) * cell + 2, (i / cols) * cell + 2, null);
        }
        gr.dispose();
        Files.createDirectories(file.getParent());
        ImageIO.write(out, "png", file.toFile());
    }

    @Test
    void demoGalleriesShowTheirUnits() throws Exception {
        LoupeRegistry registry = new LoupeRegistry();
        try (HookedModel cnn = registry.openModel("demo-cnn", null)) {
            GalleryResult relu1 = gallery(registry, cnn, "relu1", "0-15", 256, "pixel");
            long positive = relu1.items().stream().filter(i -> i.value() > 0.05).count();
            assertTrue(positive >= 12, "relu1 channels reach positive activations: " + positive + " of 16");
            gallery(registry, cnn, "relu3", "0-15", 256, "pixel");
            String logits = cnn.hookPoints().stream().filter(h -> h.kind() == HookKind.LOGITS).reduce((a, b) -> b).orElseThrow().name();
            int right = classified(cnn, gallery(registry, cnn, logits, "0-7", 256, "pixel"));
            // chance is 1 in 8 per class; 5 of 8 by chance has a probability below 0.001
            assertTrue(right >= 5, "the demo CNN's class visualisations are classified as their class: " + right + " of 8");
        }
        try (HookedModel vit = registry.openModel("demo-vit", null)) {
            String block = vit.hookPoints().stream().filter(h -> h.kind() == HookKind.TOKENS).reduce((a, b) -> b).orElseThrow().name();
            gallery(registry, vit, block, "0-7", 128, "pixel");
            // as silhouettes the class logits show the classes' outlines (docs/user-guide.md); 8 of 8 on 2026-12-03
            int right = classified(vit, gallery(registry, vit, "head", "0-7", 256, "silhouette"));
            assertTrue(right >= 6, "the demo ViT's silhouettes are classified as their class: " + right + " of 8");
        }
    }

    /** How many of the gallery's eight class visualisations the model classifies as their class; prints them. */
    private static int classified(HookedModel model, GalleryResult classes) {
        int right = 0;
        StringBuilder seen = new StringBuilder();
        try (NDManager m = LoupeEngine.get().newBaseManager()) {
            for (int k = 0; k < 8; k++) {
                GalleryItem it = classes.items().get(k);
                float[] out = model.forward(ImageTensors.toInput(m, List.of(it.image()), model.inputSpec()), Hooks.none()).output().toFloatArray();
                int best = 0;
                for (int c = 1; c < out.length; c++) {
                    best = out[c] > out[best] ? c : best;
                }
                right += best == k ? 1 : 0;
                seen.append(model.labels().get(k)).append(" -> ").append(model.labels().get(best)).append("; ");
            }
        }
        System.out.println(model.info().name() + ": class visualisations classified as: " + seen);
        return right;
    }
}

package org.loupe.ui.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.eclipse.swt.graphics.GC;
import org.eclipse.swt.graphics.Image;
import org.eclipse.ui.PlatformUI;
import org.junit.jupiter.api.Test;
import org.loupe.render.Exporter;
import org.loupe.ui.ImageCanvas;

/** Captions of a grid of images stay inside their cells, so neighbouring captions never overlap. */
class ImageCanvasTest {

    @Test
    void aCaptionWiderThanItsCellIsShortenedWithAnEllipsis() {
        Image image = new Image(PlatformUI.getWorkbench().getDisplay(), 8, 8);
        GC gc = new GC(image);
        try {
            assertEquals("relu4:12", ImageCanvas.fitted(gc, "relu4:12", 128), "a caption that fits is left alone");
            String caption = "Feature visualization of relu4 unit 12, objective 0.9747";
            String fitted = ImageCanvas.fitted(gc, caption, 128);
            assertTrue(gc.textExtent(caption).x > 128, "the test caption is wider than the cell");
            assertTrue(gc.textExtent(fitted).x <= 128, "'" + fitted + "' fits in 128 pixels");
            assertTrue(fitted.endsWith("\u2026") && caption.startsWith(fitted.substring(0, fitted.length() - 1)),
                    "'" + fitted + "' is the caption's start and an ellipsis");
        } finally {
            gc.dispose();
            image.dispose();
        }
    }

    /** The same holds for the grids written by Export (contact sheets, kernel slices). */
    @Test
    void anExportedGridsCaptionIsShortenedToItsCell() {
        java.awt.Graphics2D g = new java.awt.image.BufferedImage(8, 8, java.awt.image.BufferedImage.TYPE_INT_RGB).createGraphics();
        try {
            g.setFont(new java.awt.Font(java.awt.Font.SANS_SERIF, java.awt.Font.PLAIN, 11));
            java.awt.FontMetrics m = g.getFontMetrics();
            assertEquals("relu4:12", Exporter.fitted(m, "relu4:12", 128));
            String caption = "pool2: 20: L2 0.510, sum +0.0836 and more words";
            String fitted = Exporter.fitted(m, caption, 128);
            assertTrue(m.stringWidth(caption) > 128 && m.stringWidth(fitted) <= 128, "'" + fitted + "' fits in 128 pixels");
            assertTrue(fitted.endsWith("\u2026") && caption.startsWith(fitted.substring(0, fitted.length() - 1)), fitted);
        } finally {
            g.dispose();
        }
    }
}

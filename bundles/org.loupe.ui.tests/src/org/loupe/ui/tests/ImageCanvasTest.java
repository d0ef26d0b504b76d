package org.loupe.ui.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.eclipse.swt.graphics.GC;
import org.eclipse.swt.graphics.Image;
import org.eclipse.ui.PlatformUI;
import org.junit.jupiter.api.Test;
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
}

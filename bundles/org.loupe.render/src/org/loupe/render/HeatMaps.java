package org.loupe.render;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.Locale;

import org.loupe.core.result.HeatMapResult;
import org.loupe.core.result.OverlayStyle;

/**
 * Pictures of heat maps for export: the overlay at a readable size with its colour bar and range. Works headless.
 *
 * @since 0.1
 */
public final class HeatMaps {

    private static final int BAR = 16;
    private static final int MIN_SIZE = 256;
    private static final int MIN_THICKNESS = 48;
    private static final int MAX_SIZE = 1024;

    private HeatMaps() {
    }

    /**
     * The nearest-neighbour enlargement of a {@code w x h} picture: its larger side at least 256
     * pixels, and a thin map (layers x tokens, units x classes) at least 48 pixels across its smaller
     * side as long as the larger stays within 1024.
     */
    static int scale(int w, int h) {
        int big = Math.max(w, h);
        int thick = Math.min((int) Math.ceil((double) MIN_THICKNESS / Math.min(w, h)), Math.max(1, MAX_SIZE / big));
        return Math.max(1, Math.max((int) Math.ceil((double) MIN_SIZE / big), thick));
    }

    /**
     * Channel {@code channel} of {@code map} drawn over its image (nearest-neighbour enlarged, see
     * {@link #scale}, so that small and thin maps stay legible), with a vertical colour bar labelled with the
     * style's range on the right.
     */
    public static BufferedImage withColorbar(HeatMapResult map, int channel) {
        BufferedImage picture = map.render(channel).toBufferedImage();
        int scale = scale(picture.getWidth(), picture.getHeight());
        int w = picture.getWidth() * scale;
        int h = picture.getHeight() * scale;
        int pad = 8;
        BufferedImage out = new BufferedImage(w + 3 * pad + BAR + 64, h + 2 * pad, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        try {
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, out.getWidth(), out.getHeight());
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_NEAREST_NEIGHBOR);
            g.drawImage(picture, pad, pad, w, h, null);
            OverlayStyle s = map.style();
            int x0 = w + 2 * pad;
            for (int y = 0; y < h; y++) {
                g.setColor(new Color(s.colormap().rgb(1 - (double) y / Math.max(1, h - 1))));
                g.drawLine(x0, pad + y, x0 + BAR - 1, pad + y);
            }
            g.setColor(Color.DARK_GRAY);
            g.drawRect(x0, pad, BAR - 1, h - 1);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
            g.drawString(String.format(Locale.ROOT, "%.3g", s.max()), x0 + BAR + 4, pad + 10);
            g.drawString(String.format(Locale.ROOT, "%.3g", s.min()), x0 + BAR + 4, pad + h);
        } finally {
            g.dispose();
        }
        return out;
    }
}

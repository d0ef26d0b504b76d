package org.loupe.ui.overlay;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.loupe.core.images.RasterImage;
import org.loupe.core.result.HeatMapResult;
import org.loupe.core.result.OverlayStyle;
import org.loupe.render.Exporter;
import org.loupe.render.HeatMaps;

/**
 * Writes what an {@link OverlayEditor} shows, as it shows it (colormap, range and opacity of the
 * moment), through Loupe's exporters. For map {@code i} (numbered from 1) labelled {@code label}:
 * {@code NN-label-overlay.png} (the map over the image with its colour bar; only with an image),
 * {@code NN-label-map.png} (the map alone, enlarged, with its colour bar), {@code NN-label.npy}
 * (the raw float map, bit for bit) and {@code NN-label.csv} ({@code channel,y,x,value}). Headless.
 *
 * @since 0.1
 */
public final class OverlayExport {

    private OverlayExport() {
    }

    /**
     * Writes the files of {@code maps} over {@code image} (null for none) drawn with {@code settings} into {@code dir}
     * (created if missing) and returns them in order.
     *
     * @throws IOException if a file cannot be written, or one of them already exists (nothing is overwritten)
     */
    public static List<Path> write(RasterImage image, List<LabelledMap> maps, OverlaySettings settings, Path dir) throws IOException {
        Files.createDirectories(dir);
        List<Path> written = new ArrayList<>();
        for (int i = 0; i < maps.size(); i++) {
            LabelledMap m = maps.get(i);
            String base = String.format(Locale.ROOT, "%02d-%s", i + 1, Exporter.slug(m.label()));
            for (String suffix : List.of("-overlay.png", "-map.png", ".npy", ".csv")) {
                if (Files.exists(dir.resolve(base + suffix))) {
                    throw new IOException(dir.resolve(base + suffix) + " already exists; choose an empty folder (nothing was overwritten)");
                }
            }
            OverlayStyle style = settings.styleFor(m);
            HeatMapResult alone = new HeatMapResult(m.label(), m.plane(), null, style, "");
            if (image != null) {
                written.add(Exporter.writePng(HeatMaps.withColorbar(new HeatMapResult(m.label(), m.plane(), image, style, ""), 0),
                        dir.resolve(base + "-overlay.png")));
            }
            written.add(Exporter.writePng(HeatMaps.withColorbar(alone, 0), dir.resolve(base + "-map.png")));
            written.add(Exporter.writeNpy(m.plane(), dir.resolve(base + ".npy")));
            written.add(Exporter.writeCsv(alone, dir.resolve(base + ".csv")));
        }
        return written;
    }
}

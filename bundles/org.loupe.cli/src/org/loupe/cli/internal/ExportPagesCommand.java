package org.loupe.cli.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

import org.loupe.core.analysis.AnalysisException;
import org.loupe.core.analysis.Selection;
import org.loupe.core.images.RasterImage;
import org.loupe.core.model.HookKind;
import org.loupe.core.model.HookPoint;
import org.loupe.core.model.HookedModel;
import org.loupe.core.model.ModelLoadException;
import org.loupe.core.result.ChartResult;
import org.loupe.core.result.CompositeResult;
import org.loupe.core.result.GalleryItem;
import org.loupe.core.result.GalleryResult;
import org.loupe.core.result.ImageGridResult;
import org.loupe.core.result.Result;
import org.loupe.core.result.TableResult;
import org.loupe.core.result.TextResult;
import org.loupe.core.result.UnitRef;
import org.loupe.core.run.AnalysisRequest;
import org.loupe.core.run.AnalysisRunner;
import org.loupe.core.store.Locations;
import org.loupe.core.store.RunStore;
import org.loupe.render.Exporter;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code loupe export-pages}: static HTML pages for every unit of one layer, a Microscope that needs
 * no server. It runs the unit analyses ({@code dataset-examples}, {@code weights}, {@code dissect})
 * and writes an index and one page per unit with the images beside them.
 */
@Command(name = "export-pages", separator = " ", usageHelpWidth = 100, descriptionHeading = "%n", optionListHeading = "%nOptions:%n",
        description = {"Writes static HTML pages for the units of one layer: an index (each unit with its label and top example) and one "
                + "page per unit with its feature visualization, its top and bottom dataset examples (crops of the receptive field), its "
                + "strongest input connections with their kernels, and its Network Dissection label and IoU. Open DIR/index.html in a "
                + "browser."})
final class ExportPagesCommand implements Callable<Integer> {

    private static final String EXAMPLES = "org.loupe.analysis.datasetExamples";
    private static final String WEIGHTS = "org.loupe.analysis.weights";
    private static final String DISSECT = "org.loupe.analysis.dissect";
    private static final String GALLERY = "org.loupe.analysis.featurevizLayer";

    private final Env env;

    @Spec
    CommandSpec spec;

    @Mixin
    HelpOption help;

    @Option(names = "--model", required = true, paramLabel = "M", description = "a built-in model id or a model file")
    String model;

    @Option(names = "--layer", required = true, paramLabel = "L", description = "the hook point whose units get pages")
    String layer;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "a new or empty folder for the pages")
    Path out;

    @Option(names = "--image", paramLabel = "SPEC", description = "the images to scan and dissect (default: ${DEFAULT-VALUE})")
    String images = "loupe-shapes:count=256";

    @Option(names = "--units", paramLabel = "U", description = "the units: all, or indices and ranges like 0-7+12 (default: ${DEFAULT-VALUE})")
    String units = "all";

    @Option(names = "--k", paramLabel = "K", description = "dataset examples per unit, top and bottom (default: ${DEFAULT-VALUE})")
    int k = 6;

    @Option(names = "--featureviz-steps", paramLabel = "N", description = "optimisation steps of each unit's feature visualization "
            + "(Lucent's defaults, the units in batches; 0: none; default: ${DEFAULT-VALUE})")
    int featurevizSteps = 256;

    ExportPagesCommand(Env env) {
        this.env = env;
    }

    @Override
    public Integer call() throws ModelLoadException, AnalysisException, IOException {
        if (k < 1 || k > 100) {
            throw new ParameterException(spec.commandLine(), "--k must be between 1 and 100, got " + k);
        }
        if (featurevizSteps < 0 || featurevizSteps > 10000) {
            throw new ParameterException(spec.commandLine(), "--featureviz-steps must be between 0 (none) and 10000, got " + featurevizSteps);
        }
        OutputFolder folder;
        try {
            folder = OutputFolder.prepare("--out", out);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        try (HookedModel m = Models.open(env, spec.commandLine(), "--model", model)) {
            HookPoint point = m.findHookPoint(layer).orElseThrow(() -> new ParameterException(spec.commandLine(), "--layer: "
                    + org.loupe.core.model.UnknownHookPointException.of(layer, m).getMessage()));
            AnalysisRunner runner = new AnalysisRunner(env.registry(), new RunStore(Locations.runStore()));
            ConsoleMonitor monitor = new ConsoleMonitor(env.err());
            CompositeResult examples = (CompositeResult) runner.compute(new AnalysisRequest(EXAMPLES, m, new Selection(layer, null, images),
                    Map.of("k", Integer.toString(k), "units", units), 0), monitor);
            CompositeResult dissection = null;
            String dissectionNote = "";
            if (point.kind() == HookKind.CONV_CHANNELS) {
                try {
                    dissection = (CompositeResult) runner.compute(new AnalysisRequest(DISSECT, m, new Selection(layer, null, images), Map.of(), 0),
                            monitor);
                } catch (AnalysisException e) {
                    dissectionNote = "No labels: " + Messages.clean(e.getMessage());
                }
            } else {
                dissectionNote = "No labels: dissection needs a conv hook point.";
            }
            Pages pages = new Pages(folder.path(), m.info().name(), layer);
            Map<Integer, Object[]> labels = new HashMap<>();
            if (dissection != null) {
                TableResult t = table(dissection, "Unit labels");
                for (List<Object> r : t.rows()) {
                    labels.put(((UnitRef) r.get(0)).unit(), new Object[] {r.get(1), r.get(3), r.get(6)});
                }
                dissectionNote = text(dissection);
            }
            List<Object[]> index = new ArrayList<>();
            List<ImageGridResult> grids = examples.parts().stream().filter(p -> p instanceof ImageGridResult g && g.title().startsWith(layer + ":"))
                    .map(p -> (ImageGridResult) p).toList();
            Map<Integer, GalleryItem> visualizations = new HashMap<>();
            String visualizationNote = featurevizSteps == 0 ? "not computed (--featureviz-steps 0)" : "";
            if (featurevizSteps > 0 && !grids.isEmpty()) {
                String list = grids.stream().map(g -> Integer.toString(unitOf(g))).collect(java.util.stream.Collectors.joining(","));
                try {
                    CompositeResult gallery = (CompositeResult) runner.compute(new AnalysisRequest(GALLERY, m, new Selection(layer, null, null),
                            Map.of("units", list, "steps", Integer.toString(featurevizSteps)), 0), monitor);
                    gallery.parts().stream().filter(p -> p instanceof GalleryResult).map(p -> (GalleryResult) p).findFirst().ifPresent(g -> g.items()
                            .forEach(item -> visualizations.put(item.unit().unit(), item)));
                } catch (AnalysisException e) {
                    visualizationNote = Messages.clean(e.getMessage());
                }
            }
            for (int g = 0; g < grids.size(); g++) {
                ImageGridResult grid = grids.get(g);
                int unit = unitOf(grid);
                Integer previous = g > 0 ? unitOf(grids.get(g - 1)) : null;
                Integer next = g + 1 < grids.size() ? unitOf(grids.get(g + 1)) : null;
                CompositeResult weights = null;
                String weightsNote = "";
                if (point.kind() == HookKind.CONV_CHANNELS) {
                    try {
                        weights = (CompositeResult) runner.compute(new AnalysisRequest(WEIGHTS, m, new Selection(layer, unit, null),
                                Map.of("top", "8"), 0), null);
                    } catch (AnalysisException e) {
                        weightsNote = Messages.clean(e.getMessage());
                    }
                }
                Object[] label = labels.get(unit);
                GalleryItem visualization = visualizations.get(unit);
                String thumb = pages.unit(unit, previous, next, grid, weights, weightsNote, label, visualization,
                        visualization == null && visualizationNote.isEmpty() ? "not available for this unit" : visualizationNote);
                index.add(new Object[] {unit, label, thumb, visualization == null ? null : "img/u" + unit + "-featureviz.png"});
            }
            pages.index(index, text(examples), dissectionNote);
            env.out().printf("wrote %d unit pages and %s%n", index.size(), folder.path().resolve("index.html"));
        }
        return 0;
    }

    private int unitOf(ImageGridResult grid) {
        return Integer.parseInt(grid.title().substring(layer.length() + 1, grid.title().indexOf(' ')));
    }

    private static TableResult table(CompositeResult r, String prefix) {
        return (TableResult) r.parts().stream().filter(p -> p instanceof TableResult t && t.title().startsWith(prefix)).findFirst().orElseThrow();
    }

    private static String text(CompositeResult r) {
        return r.parts().stream().filter(p -> p instanceof TextResult).map(p -> ((TextResult) p).text()).findFirst().orElse("");
    }

    /** Writes the HTML files and their images. */
    private static final class Pages {
        private static final String STYLE = "<style>body{font-family:sans-serif;margin:24px;color:#222}"
                + "img{image-rendering:pixelated;border:1px solid #ccc;margin:2px}figure{display:inline-block;margin:4px;text-align:center;"
                + "font-size:11px;width:136px;vertical-align:top}figure img{width:128px;height:auto}table{border-collapse:collapse}"
                + "td,th{border:1px solid #ddd;padding:4px 8px;font-size:13px}th{background:#f4f4f4}.note{color:#555;font-size:13px}"
                + ".kernel img{width:48px;height:48px}.viz img{width:192px}figure.viz{width:200px}</style>";
        private final Path dir;
        private final String model;
        private final String layer;

        Pages(Path dir, String model, String layer) throws IOException {
            this.dir = dir;
            this.model = model;
            this.layer = layer;
            Files.createDirectories(dir.resolve("img"));
        }

        private String png(RasterImage image, String name) throws IOException {
            Exporter.writePng(image.toBufferedImage(), dir.resolve("img").resolve(name));
            return "img/" + name;
        }

        /** Writes one unit's page; the path of its first top example, for the index. */
        String unit(int unit, Integer previous, Integer next, ImageGridResult grid, CompositeResult weights, String weightsNote,
                Object[] label, GalleryItem visualization, String visualizationNote) throws IOException {
            StringBuilder h = head(layer + ":" + unit);
            h.append("<p><a href=\"index.html\">&larr; all units of ").append(esc(layer)).append("</a>");
            if (previous != null) {
                h.append(" &middot; <a href=\"unit-").append(previous).append(".html\">previous</a>");
            }
            if (next != null) {
                h.append(" &middot; <a href=\"unit-").append(next).append(".html\">next</a>");
            }
            h.append("</p>");
            h.append("<h1>").append(esc(model)).append(" &mdash; ").append(esc(layer)).append(':').append(unit).append("</h1>");
            h.append("<p><b>Label:</b> ").append(label == null ? "none" : esc(String.valueOf(label[0])) + String.format(Locale.ROOT,
                    " (IoU %.3f%s)", ((Number) label[1]).doubleValue(), "yes".equals(label[2]) ? ", interpretable" : ", below the threshold"))
                    .append("</p>");
            h.append("<h2>Feature visualization</h2>");
            if (visualization == null) {
                h.append("<p class=\"note\">").append(esc(visualizationNote)).append("</p>");
            } else {
                String src = png(visualization.image(), "u" + unit + "-featureviz.png");
                h.append("<figure class=\"viz\"><img src=\"").append(src).append("\"><figcaption>")
                        .append(visualization.value() == null ? "" : String.format(Locale.ROOT, "activation %.4g", visualization.value()))
                        .append("</figcaption></figure>");
            }
            String thumb = null;
            int half = grid.images().size() / 2;
            for (String side : List.of("top", "bottom")) {
                h.append("<h2>Dataset examples: ").append(side).append("</h2><div>");
                for (int i = side.equals("top") ? 0 : half; i < (side.equals("top") ? half : grid.images().size()); i++) {
                    String src = png(grid.images().get(i), "u" + unit + "-" + side + "-" + i + ".png");
                    thumb = thumb == null ? src : thumb;
                    h.append("<figure><img src=\"").append(src).append("\"><figcaption>").append(esc(grid.captions().get(i)))
                            .append("</figcaption></figure>");
                }
                h.append("</div>");
            }
            h.append("<h2>Strongest input connections</h2>");
            if (weights == null) {
                h.append("<p class=\"note\">").append(esc(weightsNote.isEmpty() ? "not shown for this hook point" : weightsNote)).append("</p>");
            } else {
                TableResult t = table(weights, "Strongest inputs");
                ImageGridResult kernels = (ImageGridResult) weights.parts().stream().filter(p -> p instanceof ImageGridResult).findFirst().orElseThrow();
                h.append("<table class=\"kernel\"><tr><th>rank</th><th>input unit</th><th>kernel</th><th>L2 norm</th><th>sum</th></tr>");
                for (int i = 0; i < t.rows().size(); i++) {
                    List<Object> r = t.rows().get(i);
                    Object in = r.get(1);
                    String name = in instanceof UnitRef u ? u.label() : String.valueOf(in);
                    String src = png(kernels.images().get(i), "u" + unit + "-kernel-" + i + ".png");
                    h.append("<tr><td>").append(r.get(0)).append("</td><td>").append(esc(name)).append("</td><td><img src=\"").append(src)
                            .append("\"></td><td>").append(String.format(Locale.ROOT, "%.4g", ((Number) r.get(2)).doubleValue()))
                            .append("</td><td>").append(String.format(Locale.ROOT, "%+.4g", ((Number) r.get(3)).doubleValue())).append("</td></tr>");
                }
                h.append("</table>");
                for (Result p : weights.parts()) {
                    if (p instanceof ChartResult c) {
                        Exporter.writeChartPng(c, dir.resolve("img").resolve("u" + unit + "-sparsity.png"));
                        h.append("<h2>Weight sparsity</h2><img style=\"width:600px\" src=\"img/u").append(unit).append("-sparsity.png\">");
                    }
                }
            }
            h.append("</body></html>\n");
            Files.writeString(dir.resolve("unit-" + unit + ".html"), h, StandardCharsets.UTF_8);
            return thumb;
        }

        void index(List<Object[]> units, String examples, String dissection) throws IOException {
            StringBuilder h = head(model + " " + layer);
            h.append("<h1>").append(esc(model)).append(" &mdash; ").append(esc(layer)).append("</h1>");
            h.append("<p class=\"note\">").append(esc(dissection)).append("</p><p class=\"note\">").append(esc(examples)).append("</p>");
            h.append("<table><tr><th>unit</th><th>feature visualization</th><th>top example</th><th>label</th><th>IoU</th></tr>");
            Map<Integer, Object[]> sorted = new LinkedHashMap<>();
            units.forEach(u -> sorted.put((Integer) u[0], u));
            for (Object[] u : sorted.values()) {
                Object[] label = (Object[]) u[1];
                h.append("<tr><td><a href=\"unit-").append(u[0]).append(".html\">").append(esc(layer)).append(':').append(u[0])
                        .append("</a></td><td>").append(u[3] == null ? "" : "<img style=\"width:64px\" src=\"" + u[3] + "\">")
                        .append("</td><td>").append(u[2] == null ? "" : "<img style=\"width:48px\" src=\"" + u[2] + "\">").append("</td><td>")
                        .append(label == null ? "" : esc(String.valueOf(label[0]))).append("</td><td>")
                        .append(label == null ? "" : String.format(Locale.ROOT, "%.3f", ((Number) label[1]).doubleValue())).append("</td></tr>");
            }
            h.append("</table></body></html>\n");
            Files.writeString(dir.resolve("index.html"), h, StandardCharsets.UTF_8);
        }

        private static StringBuilder head(String title) {
            return new StringBuilder("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>").append(esc(title)).append("</title>")
                    .append(STYLE).append("</head><body>");
        }

        private static String esc(String s) {
            return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
        }
    }
}

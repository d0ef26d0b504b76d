package org.loupe.core.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.imageio.ImageIO;

import org.loupe.core.analysis.Selection;
import org.loupe.core.images.RasterImage;
import org.loupe.core.model.ModelInfo;
import org.loupe.core.result.ChartKind;
import org.loupe.core.result.ChartResult;
import org.loupe.core.result.CompositeResult;
import org.loupe.core.result.ImageGridResult;
import org.loupe.core.result.ImageResult;
import org.loupe.core.result.ImagesUsed;
import org.loupe.core.result.Provenance;
import org.loupe.core.result.Result;
import org.loupe.core.result.Run;
import org.loupe.core.result.Series;
import org.loupe.core.result.TableResult;
import org.loupe.core.result.TextResult;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonPrimitive;

/**
 * Writes a {@link Run} as a folder ({@code run.json} plus one PNG per image) and reads it back
 * unchanged. The JSON is meant to be read by people and scripts too.
 */
public final class RunCodec {

    /** The name of the JSON file in a run folder. */
    public static final String RUN_JSON = "run.json";
    private static final String FORMAT = "loupe-run/1";
    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().serializeSpecialFloatingPointValues()
            .disableHtmlEscaping().create();

    private RunCodec() {
    }

    /** Writes {@code run} into {@code dir} (which must exist). */
    public static void write(Run run, Path dir) throws IOException {
        JsonObject root = new JsonObject();
        root.addProperty("format", FORMAT);
        root.addProperty("id", run.id());
        root.add("provenance", provenance(run.provenance()));
        root.add("result", new ResultWriter(dir).result(run.result()));
        try (java.io.Writer w = Files.newBufferedWriter(dir.resolve(RUN_JSON), StandardCharsets.UTF_8)) {
            GSON.toJson(root, w);
        }
    }

    /** Reads the run in {@code dir}. */
    public static Run read(Path dir) throws IOException {
        JsonObject root = readJson(dir);
        try {
            if (!FORMAT.equals(root.get("format").getAsString())) {
                throw new IOException(dir.resolve(RUN_JSON) + " is not a Loupe run (format " + root.get("format") + ")");
            }
            return new Run(root.get("id").getAsString(), provenance(root.getAsJsonObject("provenance")),
                    new ResultReader(dir).result(root.getAsJsonObject("result")));
        } catch (RuntimeException e) {
            throw new IOException(dir.resolve(RUN_JSON) + " is damaged: " + e.getMessage(), e);
        }
    }

    /** Reads only the parts of {@code run.json} needed to list a run. */
    public static JsonObject readJson(Path dir) throws IOException {
        try (java.io.Reader r = Files.newBufferedReader(dir.resolve(RUN_JSON), StandardCharsets.UTF_8)) {
            return GSON.fromJson(r, JsonObject.class);
        } catch (JsonParseException e) {
            throw new IOException(dir.resolve(RUN_JSON) + " is not valid JSON: " + e.getMessage(), e);
        }
    }

    /** Parses the provenance object of a run. */
    public static Provenance provenance(JsonObject o) {
        JsonObject m = o.getAsJsonObject("model");
        ModelInfo info = new ModelInfo(m.get("id").getAsString(), m.get("name").getAsString(), m.get("architecture").getAsString(),
                m.get("contentHash").getAsString(), m.get("source").getAsString(), m.get("parameterCount").getAsLong());
        JsonObject s = o.getAsJsonObject("selection");
        Selection sel = new Selection(optString(s, "hookPoint"), s.has("unit") && !s.get("unit").isJsonNull() ? s.get("unit").getAsInt() : null,
                optString(s, "images"));
        Map<String, Object> params = new LinkedHashMap<>();
        for (Map.Entry<String, JsonElement> e : o.getAsJsonObject("parameters").entrySet()) {
            params.put(e.getKey(), value(e.getValue()));
        }
        return new Provenance(o.get("analysisId").getAsString(), o.get("analysisName").getAsString(), info, sel, params,
                o.get("seed").getAsLong(), o.get("loupeVersion").getAsString(), Instant.parse(o.get("started").getAsString()),
                o.get("durationMillis").getAsLong(), imagesUsed(o.getAsJsonObject("imagesUsed")));
    }

    private static ImagesUsed imagesUsed(JsonObject u) {
        return u == null ? null : new ImagesUsed(u.get("spec").getAsString(), u.get("description").getAsString(),
                u.get("count").getAsInt(), u.get("skipped").getAsInt());
    }

    private static JsonObject provenance(Provenance p) {
        JsonObject o = new JsonObject();
        o.addProperty("analysisId", p.analysisId());
        o.addProperty("analysisName", p.analysisName());
        JsonObject m = new JsonObject();
        ModelInfo info = p.model();
        m.addProperty("id", info.id());
        m.addProperty("name", info.name());
        m.addProperty("architecture", info.architecture());
        m.addProperty("contentHash", info.contentHash());
        m.addProperty("source", info.source());
        m.addProperty("parameterCount", info.parameterCount());
        o.add("model", m);
        JsonObject s = new JsonObject();
        s.addProperty("hookPoint", p.selection().hookPoint());
        s.addProperty("unit", p.selection().unit());
        s.addProperty("images", p.selection().images());
        o.add("selection", s);
        JsonObject params = new JsonObject();
        p.parameters().forEach((k, v) -> params.add(k, json(v)));
        o.add("parameters", params);
        o.addProperty("seed", p.seed());
        o.addProperty("loupeVersion", p.loupeVersion());
        o.addProperty("started", p.started().toString());
        o.addProperty("durationMillis", p.durationMillis());
        if (p.images() != null) {
            JsonObject u = new JsonObject();
            u.addProperty("spec", p.images().spec());
            u.addProperty("description", p.images().description());
            u.addProperty("count", p.images().count());
            u.addProperty("skipped", p.images().skipped());
            o.add("imagesUsed", u);
        }
        return o;
    }

    private static String optString(JsonObject o, String key) {
        JsonElement e = o.get(key);
        return e == null || e.isJsonNull() ? null : e.getAsString();
    }

    private static JsonElement json(Object v) {
        if (v == null) {
            return JsonNull.INSTANCE;
        }
        if (v instanceof Number n) {
            return new JsonPrimitive(n);
        }
        if (v instanceof Boolean b) {
            return new JsonPrimitive(b);
        }
        return new JsonPrimitive(v.toString());
    }

    private static Object value(JsonElement e) {
        if (e.isJsonNull()) {
            return null;
        }
        JsonPrimitive p = e.getAsJsonPrimitive();
        if (p.isBoolean()) {
            return p.getAsBoolean();
        }
        if (p.isNumber()) {
            String t = p.getAsString();
            boolean floating = t.contains(".") || t.contains("e") || t.contains("E") || t.contains("N") || t.contains("I");
            return floating ? (Object) p.getAsDouble() : (Object) p.getAsLong();
        }
        return p.getAsString();
    }

    private static JsonArray doubles(double[] values) {
        JsonArray a = new JsonArray(values.length);
        for (double v : values) {
            a.add(v);
        }
        return a;
    }

    private static double[] doubles(JsonArray a) {
        double[] out = new double[a.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = a.get(i).getAsDouble();
        }
        return out;
    }

    /** Writes results; images become numbered PNG files next to run.json. */
    private static final class ResultWriter {
        private final Path dir;
        private int images;

        ResultWriter(Path dir) {
            this.dir = dir;
        }

        JsonObject result(Result r) throws IOException {
            JsonObject o = new JsonObject();
            o.addProperty("title", r.title());
            if (r instanceof ImageResult ir) {
                o.addProperty("type", "image");
                o.addProperty("caption", ir.caption());
                o.addProperty("png", image(ir.image()));
            } else if (r instanceof ImageGridResult g) {
                o.addProperty("type", "imageGrid");
                o.addProperty("columns", g.columns());
                JsonArray items = new JsonArray();
                for (int i = 0; i < g.images().size(); i++) {
                    JsonObject item = new JsonObject();
                    item.addProperty("png", image(g.images().get(i)));
                    item.addProperty("caption", g.captions().get(i));
                    items.add(item);
                }
                o.add("images", items);
            } else if (r instanceof ChartResult c) {
                o.addProperty("type", "chart");
                o.addProperty("kind", c.kind().name().toLowerCase());
                o.addProperty("xLabel", c.xLabel());
                o.addProperty("yLabel", c.yLabel());
                JsonArray series = new JsonArray();
                for (Series s : c.series()) {
                    JsonObject so = new JsonObject();
                    so.addProperty("name", s.name());
                    so.add("x", doubles(s.x()));
                    so.add("y", doubles(s.y()));
                    series.add(so);
                }
                o.add("series", series);
                if (!c.categories().isEmpty()) {
                    JsonArray cats = new JsonArray();
                    c.categories().forEach(cats::add);
                    o.add("categories", cats);
                }
            } else if (r instanceof TableResult t) {
                o.addProperty("type", "table");
                JsonArray cols = new JsonArray();
                t.columns().forEach(cols::add);
                o.add("columns", cols);
                JsonArray rows = new JsonArray();
                for (List<Object> row : t.rows()) {
                    JsonArray ra = new JsonArray();
                    row.forEach(v -> ra.add(json(v)));
                    rows.add(ra);
                }
                o.add("rows", rows);
            } else if (r instanceof TextResult t) {
                o.addProperty("type", "text");
                o.addProperty("text", t.text());
            } else if (r instanceof CompositeResult c) {
                o.addProperty("type", "composite");
                JsonArray parts = new JsonArray();
                for (Result p : c.parts()) {
                    parts.add(result(p));
                }
                o.add("parts", parts);
            } else {
                throw new IOException("cannot store results of type " + r.getClass().getName()
                        + "; use the built-in result types (image, grid, chart, table, text, composite)");
            }
            return o;
        }

        private String image(RasterImage img) throws IOException {
            String name = String.format("image-%03d.png", images++);
            if (!ImageIO.write(img.toBufferedImage(), "png", dir.resolve(name).toFile())) {
                throw new IOException("no PNG writer available");
            }
            return name;
        }
    }

    /** Reads results back, loading the PNG files. */
    private static final class ResultReader {
        private final Path dir;

        ResultReader(Path dir) {
            this.dir = dir;
        }

        Result result(JsonObject o) throws IOException {
            String title = o.get("title").getAsString();
            String type = o.get("type").getAsString();
            switch (type) {
                case "image":
                    return new ImageResult(title, image(o.get("png").getAsString()), o.get("caption").getAsString());
                case "imageGrid": {
                    List<RasterImage> imgs = new ArrayList<>();
                    List<String> caps = new ArrayList<>();
                    for (JsonElement e : o.getAsJsonArray("images")) {
                        imgs.add(image(e.getAsJsonObject().get("png").getAsString()));
                        caps.add(e.getAsJsonObject().get("caption").getAsString());
                    }
                    return new ImageGridResult(title, imgs, caps, o.get("columns").getAsInt());
                }
                case "chart": {
                    List<Series> series = new ArrayList<>();
                    for (JsonElement e : o.getAsJsonArray("series")) {
                        JsonObject so = e.getAsJsonObject();
                        series.add(new Series(so.get("name").getAsString(), doubles(so.getAsJsonArray("x")), doubles(so.getAsJsonArray("y"))));
                    }
                    List<String> cats = new ArrayList<>();
                    if (o.has("categories")) {
                        o.getAsJsonArray("categories").forEach(e -> cats.add(e.getAsString()));
                    }
                    return new ChartResult(title, ChartKind.valueOf(o.get("kind").getAsString().toUpperCase()),
                            o.get("xLabel").getAsString(), o.get("yLabel").getAsString(), series, cats);
                }
                case "table": {
                    List<String> cols = new ArrayList<>();
                    o.getAsJsonArray("columns").forEach(e -> cols.add(e.getAsString()));
                    List<List<Object>> rows = new ArrayList<>();
                    for (JsonElement e : o.getAsJsonArray("rows")) {
                        List<Object> row = new ArrayList<>();
                        e.getAsJsonArray().forEach(c -> row.add(value(c)));
                        rows.add(row);
                    }
                    return new TableResult(title, cols, rows);
                }
                case "text":
                    return new TextResult(title, o.get("text").getAsString());
                case "composite": {
                    List<Result> parts = new ArrayList<>();
                    for (JsonElement e : o.getAsJsonArray("parts")) {
                        parts.add(result(e.getAsJsonObject()));
                    }
                    return new CompositeResult(title, parts);
                }
                default:
                    throw new IOException("unknown result type '" + type + "'");
            }
        }

        private RasterImage image(String name) throws IOException {
            Path p = dir.resolve(name).normalize();
            if (!p.startsWith(dir.normalize())) {
                throw new IOException("image path " + name + " leaves the run folder");
            }
            var img = ImageIO.read(p.toFile());
            if (img == null) {
                throw new IOException(p + " is not a readable PNG");
            }
            return RasterImage.of(img);
        }
    }
}

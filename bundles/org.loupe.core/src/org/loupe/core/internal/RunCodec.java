package org.loupe.core.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
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
import org.loupe.core.model.ConfigValue;
import org.loupe.core.model.ModelInfo;
import org.loupe.core.registry.Contribution;
import org.loupe.core.registry.PluginFailure;
import org.loupe.core.registry.ResultType;
import org.loupe.core.registry.ResultTypes;
import org.loupe.core.result.FloatMap;
import org.loupe.core.result.ImagesUsed;
import org.loupe.core.result.Provenance;
import org.loupe.core.result.Result;
import org.loupe.core.result.ResultCodec;
import org.loupe.core.result.Run;
import org.loupe.core.result.RunFiles;
import org.loupe.core.result.UnitRef;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonPrimitive;

/**
 * Writes a {@link Run} as a folder ({@code run.json}, one PNG per image, one {@code .npy} per float
 * map) and reads it back unchanged. Each result is written by the codec of its
 * {@link ResultType}: {@code run.json} names the type's id, so a run of a plug-in's type reopens
 * wherever that plug-in is installed. The JSON is meant to be read by people and scripts too.
 */
public final class RunCodec {

    /** The name of the JSON file in a run folder. */
    public static final String RUN_JSON = "run.json";
    private static final String FORMAT = "loupe-run/1";
    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().serializeSpecialFloatingPointValues()
            .disableHtmlEscaping().create();

    private final ResultTypes types;

    /** A codec that stores results through {@code types}. */
    public RunCodec(ResultTypes types) {
        this.types = types;
    }

    /** Writes {@code run} into {@code dir} (which must exist). */
    public void write(Run run, Path dir) throws IOException {
        JsonObject root = new JsonObject();
        root.addProperty("format", FORMAT);
        root.addProperty("id", run.id());
        root.add("provenance", provenance(run.provenance()));
        root.add("result", new FolderFiles(dir).writeResult(run.result()));
        try (java.io.Writer w = Files.newBufferedWriter(dir.resolve(RUN_JSON), StandardCharsets.UTF_8)) {
            GSON.toJson(root, w);
        }
    }

    /** Reads the run in {@code dir}. */
    public Run read(Path dir) throws IOException {
        JsonObject root = readJson(dir);
        JsonElement format = root.get("format");
        if (format == null || !format.isJsonPrimitive() || !FORMAT.equals(format.getAsString())) {
            throw new IOException(dir.resolve(RUN_JSON) + " is not a Loupe run (format " + format + ")");
        }
        try {
            return new Run(root.get("id").getAsString(), provenance(root.getAsJsonObject("provenance")),
                    new FolderFiles(dir).readResult(root.getAsJsonObject("result")));
        } catch (PluginFailure e) {
            throw new IOException(dir.resolve(RUN_JSON) + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            throw new IOException(dir.resolve(RUN_JSON) + " is damaged: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new IOException(dir.resolve(RUN_JSON) + ": " + e.getMessage(), e);
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
                m.get("contentHash").getAsString(), m.get("source").getAsString(), m.get("parameterCount").getAsLong(),
                configuration(m.getAsJsonArray("configuration")));
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

    /** The model's resolved configuration as written by {@link #provenance(Provenance)}; empty for older runs. */
    private static List<ConfigValue> configuration(JsonArray a) {
        List<ConfigValue> out = new ArrayList<>();
        if (a != null) {
            for (JsonElement e : a) {
                JsonObject v = e.getAsJsonObject();
                String origin = v.get("origin").getAsString();
                ConfigValue.Origin o = java.util.Arrays.stream(ConfigValue.Origin.values()).filter(x -> x.label().equals(origin)).findFirst()
                        .orElseThrow(() -> new IllegalArgumentException("unknown configuration origin '" + origin + "'"));
                out.add(new ConfigValue(v.get("name").getAsString(), v.get("value").getAsString(), o, optString(v, "detail"),
                        optString(v, "settle")));
            }
        }
        return out;
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
        if (!info.configuration().isEmpty()) {
            JsonArray config = new JsonArray();
            for (ConfigValue c : info.configuration()) {
                JsonObject v = new JsonObject();
                v.addProperty("name", c.name());
                v.addProperty("value", c.value());
                v.addProperty("origin", c.origin().label());
                v.addProperty("detail", c.detail());
                if (c.settle() != null) {
                    v.addProperty("settle", c.settle());
                }
                config.add(v);
            }
            m.add("configuration", config);
        }
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
        if (v instanceof UnitRef u) {
            JsonObject o = new JsonObject();
            o.addProperty("unitRef", u.link());
            return o;
        }
        return new JsonPrimitive(v.toString());
    }

    private static Object value(JsonElement e) {
        if (e.isJsonNull()) {
            return null;
        }
        if (e.isJsonObject() && e.getAsJsonObject().has("unitRef")) {
            return UnitRef.parse(e.getAsJsonObject().get("unitRef").getAsString());
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

    /** The run folder as seen by codecs: numbered image and float-map files, nested results through their types. */
    private final class FolderFiles implements RunFiles {
        private final Path dir;
        private int images;
        private int maps;

        FolderFiles(Path dir) {
            this.dir = dir;
        }

        @Override
        @SuppressWarnings("unchecked")
        public JsonObject writeResult(Result r) throws IOException {
            ResultType type = types.forResult(r).orElseThrow(() -> new IOException("cannot store results of type "
                    + r.getClass().getName() + ": no installed plug-in declares it (extension point org.loupe.core.resultTypes); "
                    + "the known types are " + types.all().stream().map(ResultType::id).toList()));
            JsonObject o = new JsonObject();
            o.addProperty("title", r.title());
            o.addProperty("type", type.id());
            try {
                ((ResultCodec<Result>) type.codec()).write(r, o, this);
            } catch (RuntimeException | LinkageError e) {
                throw pluginFailed(type, "stored a result", e);
            }
            return o;
        }

        @Override
        public Result readResult(JsonObject o) throws IOException {
            String id = o.get("type").getAsString();
            ResultType type = types.forId(id).orElseThrow(() -> new IOException("it holds a result of type '" + id
                    + "', which no installed plug-in provides; install the plug-in that contributes it"));
            try {
                return type.codec().read(o, this);
            } catch (RuntimeException | LinkageError e) {
                throw pluginFailed(type, "read a stored result (the run may be damaged)", e);
            }
        }

        /** A contributed codec's failure {@code when} (writing or reading), naming its plug-in; Loupe's own codecs' failures as they are. */
        private static IOException pluginFailed(ResultType type, String when, Throwable e) {
            if (e instanceof PluginFailure f) {
                return new IOException(f.getMessage(), f);
            }
            if (type instanceof Contribution c) {
                PluginFailure f = c.failure("when its result type '" + c.name() + "' " + when, e);
                return new IOException(f.getMessage(), f);
            }
            if (e instanceof RuntimeException r) {
                throw r;
            }
            throw (Error) e;
        }

        @Override
        public String writeImage(RasterImage img) throws IOException {
            String name = String.format("image-%03d.png", images++);
            if (!ImageIO.write(img.toBufferedImage(), "png", dir.resolve(name).toFile())) {
                throw new IOException("no PNG writer available");
            }
            return name;
        }

        @Override
        public RasterImage readImage(String name) throws IOException {
            Path p = inside(name);
            var img = ImageIO.read(p.toFile());
            if (img == null) {
                throw new IOException(p + " is not a readable PNG");
            }
            return RasterImage.of(img);
        }

        @Override
        public String writeFloats(FloatMap map) throws IOException {
            String name = String.format("map-%03d.npy", maps++);
            try (OutputStream out = new java.io.BufferedOutputStream(Files.newOutputStream(dir.resolve(name)))) {
                Npy.write(map, out);
            }
            return name;
        }

        @Override
        public FloatMap readFloats(String name) throws IOException {
            Path p = inside(name);
            try (InputStream in = new java.io.BufferedInputStream(Files.newInputStream(p))) {
                return Npy.read(in);
            } catch (IOException e) {
                throw new IOException(p + ": " + e.getMessage(), e);
            }
        }

        @Override
        public JsonElement writeValue(Object value) {
            return json(value);
        }

        @Override
        public Object readValue(JsonElement json) {
            return value(json);
        }

        private Path inside(String name) throws IOException {
            Path p = dir.resolve(name).normalize();
            if (!p.startsWith(dir.normalize())) {
                throw new IOException("file " + name + " leaves the run folder");
            }
            return p;
        }
    }
}

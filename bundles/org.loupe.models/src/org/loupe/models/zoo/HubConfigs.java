package org.loupe.models.zoo;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.loupe.core.model.ConfigValue.Origin;
import org.loupe.core.model.ModelInfo;
import org.loupe.core.model.ModelLoadException;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/**
 * The config files that come with downloads from the Hugging Face hub, read as sidecar fields:
 * a Hugging Face model folder's {@code config.json} ({@code architectures}, {@code num_attention_heads},
 * {@code layer_norm_eps}, {@code image_size}, {@code patch_size}, {@code num_channels},
 * {@code id2label}) with its {@code preprocessor_config.json} ({@code image_mean}, {@code image_std},
 * {@code do_normalize}, {@code size}, {@code crop_size}, {@code resample}); and timm's
 * {@code config.json} ({@code architecture} such as {@code vit_base_patch16_224}, {@code num_classes},
 * {@code global_pool}, {@code label_names}, {@code model_args}, and {@code pretrained_cfg} with
 * {@code input_size}, {@code mean}, {@code std}, {@code crop_pct}, {@code crop_mode}, {@code interpolation}).
 */
final class HubConfigs {

    /** The file name of both libraries' model config. */
    static final String CONFIG = "config.json";

    /** Hugging Face's image-processor config. */
    static final String PREPROCESSOR = "preprocessor_config.json";

    /** timm's ViT names: {@code vit_<size>_patch<p>_<image>[_suffix]}, and the heads of each size. */
    private static final Pattern TIMM_VIT = Pattern.compile("vit_(tiny|small|base|large|huge)_patch(\\d+)_(?:clip_)?(\\d+)(?:[._].*)?");

    private static final Map<String, Integer> TIMM_HEADS = Map.of("tiny", 3, "small", 6, "base", 12, "large", 16, "huge", 16);

    private static final Pattern TIMM_RESNET = Pattern.compile("(resnet(?:18|34|50|101|152))(?:\\.[a-z0-9_]+)?");

    private HubConfigs() {
    }

    /** Whether {@code json} is a Hugging Face or timm model config (not a Loupe sidecar). */
    static boolean isHubConfig(JsonObject json) {
        return json.has("model_type") || json.has("architectures") || json.has("pretrained_cfg") || json.has("num_features");
    }

    /**
     * The config next to {@code weights} ({@code config.json}, and {@code preprocessor_config.json}
     * for Hugging Face) as a layer of sidecar fields, if there is a config.
     */
    static Optional<ConfigLayer> near(Path weights) throws ModelLoadException {
        Path dir = weights.toAbsolutePath().getParent();
        Path config = dir.resolve(CONFIG);
        if (!Files.isRegularFile(config) || config.equals(weights.toAbsolutePath())) {
            return Optional.empty();
        }
        JsonObject c = read(config);
        if (!isHubConfig(c)) {
            return Optional.empty();
        }
        if (c.has("pretrained_cfg") || c.has("num_features")) {
            return Optional.of(timm(c));
        }
        Path pre = dir.resolve(PREPROCESSOR);
        return Optional.of(huggingFace(c, Files.isRegularFile(pre) ? read(pre) : null));
    }

    static JsonObject read(Path file) throws ModelLoadException {
        try {
            return JsonParser.parseString(Files.readString(file, StandardCharsets.UTF_8)).getAsJsonObject();
        } catch (IOException e) {
            throw new ModelLoadException("Cannot read " + file + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            throw new ModelLoadException(file.getFileName() + " is not a JSON object: " + e.getMessage(), e);
        }
    }

    // ------------------------------------------------------------------ Hugging Face

    private static ConfigLayer huggingFace(JsonObject c, JsonObject pre) throws ModelLoadException {
        JsonObject o = new JsonObject();
        Map<String, String> details = new LinkedHashMap<>();
        String type = c.has("model_type") ? c.get("model_type").getAsString() : "";
        String archs = c.has("architectures") ? c.get("architectures").toString() : "";
        if (!type.equals("vit") && !archs.contains("ViT")) {
            throw new ModelLoadException("config.json describes a Hugging Face '" + (type.isEmpty() ? archs : type)
                    + "' model; of Hugging Face's models Loupe rebuilds ViTModel and ViTForImageClassification (model_type 'vit'). "
                    + "Save the weights under torchvision or timm names, or open a ViT.");
        }
        // the ViT's size (and so Loupe's architecture id) comes from the tensors
        copy(c, "num_attention_heads", o, "heads", details, "config.json num_attention_heads");
        copy(c, "layer_norm_eps", o, "layer_norm_eps", details, "config.json layer_norm_eps");
        copy(c, "patch_size", o, "patch_size", details, null);
        JsonObject in = new JsonObject();
        if (c.has("image_size")) {
            in.addProperty("height", c.get("image_size").getAsInt());
            in.addProperty("width", c.get("image_size").getAsInt());
        }
        if (c.has("num_channels")) {
            in.addProperty("channels", c.get("num_channels").getAsInt());
        }
        if (!in.entrySet().isEmpty()) {
            details.put(ModelInfo.INPUT_SIZE, "config.json image_size" + (c.has("num_channels") ? ", num_channels" : ""));
        }
        if (c.has("id2label") && c.get("id2label").isJsonObject()) {
            o.add("labels", labels(c.getAsJsonObject("id2label")));
            details.put("labels", "config.json id2label");
        }
        if (pre != null) {
            boolean normalize = !pre.has("do_normalize") || pre.get("do_normalize").getAsBoolean();
            if (!normalize) {
                in.add("mean", constant(0f, in.has("channels") ? in.get("channels").getAsInt() : 3));
                in.add("std", constant(1f, in.has("channels") ? in.get("channels").getAsInt() : 3));
                details.put(ModelInfo.NORMALIZATION, "preprocessor_config.json do_normalize false");
            } else if (pre.has("image_mean") || pre.has("image_std")) {
                copy(pre, "image_mean", in, "mean", details, null);
                copy(pre, "image_std", in, "std", details, null);
                details.put(ModelInfo.NORMALIZATION, "preprocessor_config.json image_mean, image_std");
            }
            hfResize(pre, in, details);
            if (pre.has("resample")) {
                int r = pre.get("resample").getAsInt();
                o.addProperty("interpolation", r == 2 ? "bilinear" : r == 3 ? "bicubic" : r == 0 ? "nearest" : "PIL filter " + r);
                details.put("interpolation", "preprocessor_config.json resample " + r);
            }
        }
        if (!in.entrySet().isEmpty()) {
            o.add("input", in);
        }
        return new ConfigLayer(o, Origin.CONFIG, "config.json", details);
    }

    /**
     * Hugging Face's resize: {@code size} {"height", "width"} (or a number, older files) is a
     * resize to that size without keeping the aspect ratio (ViTImageProcessor); {@code size}
     * {"shortest_edge"} with {@code do_center_crop} and {@code crop_size} is a shorter-side resize
     * and a centre crop; {@code do_resize} false keeps the images as they are (Loupe then fits).
     */
    private static void hfResize(JsonObject pre, JsonObject in, Map<String, String> details) {
        if (pre.has("do_resize") && !pre.get("do_resize").getAsBoolean()) {
            return;
        }
        JsonElement size = pre.get("size");
        if (size == null) {
            return;
        }
        boolean crop = pre.has("do_center_crop") && pre.get("do_center_crop").getAsBoolean() && pre.has("crop_size");
        if (size.isJsonObject() && size.getAsJsonObject().has("shortest_edge") && crop) {
            in.addProperty("resize", size.getAsJsonObject().get("shortest_edge").getAsInt());
            JsonElement cs = pre.get("crop_size");
            int ch = cs.isJsonObject() ? cs.getAsJsonObject().get("height").getAsInt() : cs.getAsInt();
            int cw = cs.isJsonObject() ? cs.getAsJsonObject().get("width").getAsInt() : cs.getAsInt();
            in.addProperty("height", ch);
            in.addProperty("width", cw);
            details.put(ModelInfo.RESIZE, "preprocessor_config.json size.shortest_edge, crop_size");
        } else if (!crop) {
            in.addProperty("resize", "stretch");
            details.put(ModelInfo.RESIZE, "preprocessor_config.json size (resized without keeping the aspect ratio)");
        }
    }

    private static JsonArray labels(JsonObject id2label) {
        TreeMap<Integer, String> sorted = new TreeMap<>();
        for (Map.Entry<String, JsonElement> e : id2label.entrySet()) {
            sorted.put(Integer.parseInt(e.getKey().trim()), e.getValue().getAsString());
        }
        JsonArray a = new JsonArray();
        sorted.values().forEach(a::add);
        return a;
    }

    // ------------------------------------------------------------------ timm

    private static ConfigLayer timm(JsonObject c) throws ModelLoadException {
        JsonObject o = new JsonObject();
        Map<String, String> details = new LinkedHashMap<>();
        String arch = c.has("architecture") ? c.get("architecture").getAsString() : "";
        Matcher vit = TIMM_VIT.matcher(arch);
        Matcher resnet = TIMM_RESNET.matcher(arch);
        String where = "config.json architecture " + arch;
        if (vit.matches()) {
            o.addProperty("heads", TIMM_HEADS.get(vit.group(1)));
            o.addProperty("patch_size", Integer.parseInt(vit.group(2)));
            details.put("heads", where + " (timm's ViT-" + vit.group(1) + " has " + TIMM_HEADS.get(vit.group(1)) + " heads)");
            JsonObject args = c.has("model_args") && c.get("model_args").isJsonObject() ? c.getAsJsonObject("model_args") : new JsonObject();
            copy(args, "num_heads", o, "heads", details, "config.json model_args.num_heads");
            String pool = c.has("global_pool") ? c.get("global_pool").getAsString() : args.has("global_pool") ? args.get("global_pool").getAsString() : "token";
            boolean classToken = !args.has("class_token") || args.get("class_token").getAsBoolean();
            if (!pool.equals("token") || !classToken) {
                throw new ModelLoadException("config.json: the timm model " + arch + " pools with global_pool '" + pool + "'"
                        + (classToken ? "" : " and has no class token") + "; Loupe's ViT reads the class token (global_pool 'token'), "
                        + "so it would compute another model. Models with global average pooling are not supported.");
            }
            o.addProperty("class_token", true);
            details.put("class token", "config.json global_pool '" + pool + "'");
        } else if (resnet.matches()) {
            o.addProperty("architecture", resnet.group(1));
            details.put("architecture", where);
        } else {
            throw new ModelLoadException("config.json names the timm architecture '" + arch + "', which Loupe does not rebuild. Loupe knows "
                    + "timm's vit_{tiny,small,base,large,huge}_patch<N>_<size> with class-token pooling and resnet18..resnet152.");
        }
        JsonObject in = new JsonObject();
        JsonObject pc = c.has("pretrained_cfg") && c.get("pretrained_cfg").isJsonObject() ? c.getAsJsonObject("pretrained_cfg") : new JsonObject();
        if (pc.has("input_size")) {
            JsonArray s = pc.getAsJsonArray("input_size");
            in.addProperty("channels", s.get(0).getAsInt());
            in.addProperty("height", s.get(1).getAsInt());
            in.addProperty("width", s.get(2).getAsInt());
            details.put(ModelInfo.INPUT_SIZE, "config.json pretrained_cfg.input_size");
        }
        if (pc.has("mean") || pc.has("std")) {
            copy(pc, "mean", in, "mean", details, null);
            copy(pc, "std", in, "std", details, null);
            details.put(ModelInfo.NORMALIZATION, "config.json pretrained_cfg.mean, std");
        }
        if (pc.has("crop_pct") && in.has("height")) {
            String mode = pc.has("crop_mode") ? pc.get("crop_mode").getAsString() : "center";
            if (!mode.equals("center")) {
                throw new ModelLoadException("config.json: pretrained_cfg.crop_mode is '" + mode + "'; Loupe crops the centre only. "
                        + "Give the resize in a sidecar (\"input\": {\"resize\": N}) to open it with a centre crop.");
            }
            int size = Math.max(in.get("height").getAsInt(), in.get("width").getAsInt());
            int scale = (int) Math.floor(size / pc.get("crop_pct").getAsDouble());
            in.addProperty("resize", scale);
            details.put(ModelInfo.RESIZE, "config.json pretrained_cfg.crop_pct " + pc.get("crop_pct") + ": floor(" + size + " / crop_pct)");
        }
        if (pc.has("interpolation")) {
            o.add("interpolation", pc.get("interpolation"));
            details.put("interpolation", "config.json pretrained_cfg.interpolation");
        }
        if (c.has("label_names") && c.get("label_names").isJsonArray()) {
            o.add("labels", c.get("label_names"));
            details.put("labels", "config.json label_names");
        }
        if (c.has("num_classes")) {
            o.add("num_classes", c.get("num_classes"));
        }
        if (!in.entrySet().isEmpty()) {
            o.add("input", in);
        }
        return new ConfigLayer(o, Origin.CONFIG, "config.json", details);
    }

    // ------------------------------------------------------------------ helpers

    private static void copy(JsonObject from, String key, JsonObject to, String as, Map<String, String> details, String detail) {
        if (from.has(key) && !from.get(key).isJsonNull()) {
            to.add(as, from.get(key));
            if (detail != null) {
                details.put(as, detail);
            }
        }
    }

    private static JsonArray constant(float v, int n) {
        JsonArray a = new JsonArray();
        for (int i = 0; i < n; i++) {
            a.add(v);
        }
        return a;
    }

    /** The weight files a hub folder may hold, in the order they are preferred. */
    static final List<String> WEIGHT_NAMES = List.of("model.safetensors", "pytorch_model.bin", "open_clip_model.safetensors");

    /** The weights of a hub folder: one of {@link #WEIGHT_NAMES}, else its only weight file. */
    static Optional<Path> weightsIn(Path dir) throws IOException {
        for (String n : WEIGHT_NAMES) {
            if (Files.isRegularFile(dir.resolve(n))) {
                return Optional.of(dir.resolve(n));
            }
        }
        List<Path> found = new ArrayList<>();
        try (var s = Files.list(dir)) {
            s.filter(Files::isRegularFile).filter(p -> {
                String n = p.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
                return org.loupe.models.io.WeightFiles.EXTENSIONS.stream().anyMatch(e -> n.endsWith("." + e));
            }).forEach(found::add);
        }
        return found.size() == 1 ? Optional.of(found.get(0)) : Optional.empty();
    }
}

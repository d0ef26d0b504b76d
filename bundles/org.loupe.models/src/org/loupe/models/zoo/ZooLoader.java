package org.loupe.models.zoo;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.SubMonitor;
import org.loupe.core.model.ConfigValue.Origin;
import org.loupe.core.model.HookedModel;
import org.loupe.core.model.InputSpec;
import org.loupe.core.model.ModelLoadException;
import org.loupe.core.model.ModelLoader;
import org.loupe.models.Hashing;
import org.loupe.models.io.Tensor;
import org.loupe.models.io.WeightFiles;

import com.google.gson.JsonObject;

/**
 * Opens weight files of the architectures Loupe knows (safetensors, npz, PyTorch state dicts) and
 * their JSON sidecars. The architecture and its size come from the sidecar's {@code architecture}
 * or are detected from tensor names and shapes.
 *
 * <p>Sidecar: a file {@code <weights base name>.json} next to the weights (or opened directly):
 * <pre>{"architecture": "resnet50", "name": "My ResNet", "weights": "r50.safetensors",
 *  "labels": ["...", ...] or "imagenet",
 *  "input": {"channels": 3, "height": 224, "width": 224, "mean": [...], "std": [...], "scale": 1}}</pre>
 * Every field is optional.
 *
 * @since 0.1
 */
public class ZooLoader implements ModelLoader {

    private static final List<String> WEIGHT_EXTENSIONS = WeightFiles.EXTENSIONS;

    @Override
    public boolean canLoad(Path path) {
        if (Files.isDirectory(path)) {
            try {
                return Files.isRegularFile(path.resolve(HubConfigs.CONFIG)) && HubConfigs.weightsIn(path).isPresent();
            } catch (IOException e) {
                return false;
            }
        }
        if (!Files.isRegularFile(path)) {
            return false;
        }
        String n = path.getFileName().toString().toLowerCase(Locale.ROOT);
        if (n.endsWith(".json")) {
            String head = head(path);
            return (head.contains("\"architecture\"") && !head.contains("sequential-cnn")) || head.contains("\"model_type\"")
                    || head.contains("\"pretrained_cfg\"");
        }
        if (n.endsWith(".pt") || n.endsWith(".pth")) {
            return !WeightFiles.isTorchScript(path);
        }
        return WEIGHT_EXTENSIONS.stream().anyMatch(e -> n.endsWith("." + e));
    }

    /**
     * Opens a weight file, its sidecar, a Loupe sidecar that names the weights, or a model folder
     * as Hugging Face and timm publish them ({@code config.json} with {@code model.safetensors} or
     * {@code pytorch_model.bin}). What the sidecar does not say comes from a {@code config.json}
     * (and {@code preprocessor_config.json}) next to the weights, then from a torchvision file
     * name ({@link KnownCheckpoints}); the sidecar wins over both.
     */
    @Override
    public HookedModel load(Path path, IProgressMonitor monitor) throws ModelLoadException {
        SubMonitor sm = SubMonitor.convert(monitor, "Opening " + path.getFileName(), 10);
        Path weights;
        JsonObject sidecar;
        Path sidecarFile = null;
        if (Files.isDirectory(path)) {
            try {
                weights = HubConfigs.weightsIn(path).orElseThrow(() -> new ModelLoadException(path + " has a config.json but no weights: "
                        + "put model.safetensors or pytorch_model.bin (or one other weight file) in it."));
            } catch (IOException e) {
                throw new ModelLoadException("Cannot list " + path + ": " + e.getMessage(), e);
            }
            sidecar = new JsonObject();
        } else if (path.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".json")) {
            JsonObject json = HubConfigs.read(path);
            if (HubConfigs.isHubConfig(json)) {
                try {
                    Path dir = path.toAbsolutePath().getParent();
                    weights = HubConfigs.weightsIn(dir).orElseThrow(() -> new ModelLoadException("No weights next to " + path.getFileName()
                            + ": put model.safetensors or pytorch_model.bin (or one other weight file) next to it."));
                } catch (IOException e) {
                    throw new ModelLoadException("Cannot list the folder of " + path + ": " + e.getMessage(), e);
                }
                sidecar = new JsonObject();
            } else {
                sidecar = json;
                sidecarFile = path;
                weights = weightsOf(path, sidecar);
            }
        } else {
            weights = path;
            Path side = path.resolveSibling(base(path) + ".json");
            boolean own = Files.isRegularFile(side) && !side.getFileName().toString().equals(HubConfigs.CONFIG);
            sidecar = own ? HubConfigs.read(side) : new JsonObject();
            sidecarFile = own ? side : null;
        }
        List<ConfigLayer> layers = new ArrayList<>();
        KnownCheckpoints.layer(weights.getFileName().toString()).ifPresent(layers::add);
        HubConfigs.near(weights).ifPresent(layers::add);
        if (sidecarFile != null) {
            layers.add(ConfigLayer.of(sidecar, Origin.CONFIG, "sidecar " + sidecarFile.getFileName()));
        }
        ConfigLayer.Merged merged = ConfigLayer.merge(layers);
        Map<String, Tensor> tensors;
        String hash;
        try {
            tensors = WeightFiles.read(weights);
            hash = Hashing.sha256(weights);
        } catch (IOException e) {
            throw new ModelLoadException(e.getMessage(), e);
        }
        sm.worked(3);
        return build(tensors, merged.sidecar(), merged.given(), weights, hash, weights.toAbsolutePath().toString(), sm.split(7));
    }

    /**
     * Builds a model from tensors already read and its sidecar: the sidecar's architecture, else
     * the first family that recognises the tensors (also for models shipped inside bundles).
     */
    public static HookedModel build(Map<String, Tensor> tensors, JsonObject sidecar, Path weights, String hash, String source,
            IProgressMonitor monitor)
            throws ModelLoadException {
        ConfigLayer.Merged m = ConfigLayer.merge(List.of(ConfigLayer.of(sidecar, Origin.CONFIG, "sidecar " + base(weights) + ".json")));
        return build(tensors, m.sidecar(), m.given(), weights, hash, source, monitor);
    }

    private static HookedModel build(Map<String, Tensor> tensors, JsonObject sidecar, Map<String, ModelSpec.Given> given, Path weights,
            String hash, String source, IProgressMonitor monitor) throws ModelLoadException {
        ModelSpec spec = spec(weights, hash, sidecar, source, given);
        List<Architecture> families = Architectures.all();
        if (spec.architecture() != null) {
            for (Architecture a : families) {
                if (a.variants().contains(spec.architecture())) {
                    return a.build(spec.architecture(), tensors, spec, monitor);
                }
            }
            throw new ModelLoadException("The sidecar of " + weights.getFileName() + " names the architecture '" + spec.architecture()
                    + "', which Loupe does not know. Known: " + known(families) + ".");
        }
        for (Architecture a : families) {
            Optional<String> v = a.detect(tensors);
            if (v.isPresent()) {
                return a.build(v.get(), tensors, spec, monitor);
            }
        }
        List<String> names = new ArrayList<>(tensors.keySet());
        if (names.isEmpty()) {
            throw new ModelLoadException(weights.getFileName() + " holds no arrays, so there are no weights to build a model from. "
                    + "Save the model's weights into it (numpy.savez(path, **state_dict), or safetensors' save_file) and open it again.");
        }
        throw new ModelLoadException("Cannot tell which architecture " + weights.getFileName() + " holds from its " + names.size()
                + " tensors (first: " + String.join(", ", names.subList(0, Math.min(4, names.size()))) + "). Known architectures: "
                + known(families) + ". If it is one of them under other names, add a sidecar " + base(weights)
                + ".json with {\"architecture\": \"...\"}.");
    }

    private static String known(List<Architecture> families) {
        return families.stream().flatMap(a -> a.variants().stream()).collect(Collectors.joining(", "));
    }

    private static ModelSpec spec(Path weights, String hash, JsonObject s, String source, Map<String, ModelSpec.Given> given)
            throws ModelLoadException {
        String where = "sidecar of " + weights.getFileName();
        try {
            String arch = s.has("architecture") ? s.get("architecture").getAsString() : null;
            // a hub folder's weights are called model.safetensors: the folder names the model
            Path parent = weights.toAbsolutePath().getParent();
            String id = HubConfigs.WEIGHT_NAMES.contains(weights.getFileName().toString()) && parent != null && parent.getFileName() != null
                    ? parent.getFileName().toString() : base(weights);
            String name = s.has("name") ? s.get("name").getAsString() : id;
            InputSpec input = Sidecars.input(s);
            List<String> labels = Sidecars.labels(s);
            return new ModelSpec(id, name, hash, weights, arch, input, labels, s, source, given);
        } catch (RuntimeException e) {
            throw new ModelLoadException("The " + where + " is not valid: " + e.getMessage() + ".", e);
        }
    }

    private static Path weightsOf(Path sidecar, JsonObject s) throws ModelLoadException {
        if (s.has("weights")) {
            Path w = sidecar.resolveSibling(s.get("weights").getAsString());
            if (!Files.isRegularFile(w)) {
                throw new ModelLoadException(sidecar.getFileName() + " names the weight file '" + s.get("weights").getAsString()
                        + "', which does not exist next to it.");
            }
            return w;
        }
        for (String ext : WEIGHT_EXTENSIONS) {
            Path w = sidecar.resolveSibling(base(sidecar) + "." + ext);
            if (Files.isRegularFile(w)) {
                return w;
            }
        }
        throw new ModelLoadException("No weights for " + sidecar.getFileName() + ": put " + base(sidecar) + ".safetensors (or .npz, .pth) "
                + "next to it, or name the file in \"weights\".");
    }

    private static String base(Path p) {
        String n = p.getFileName().toString();
        int dot = n.lastIndexOf('.');
        return dot > 0 ? n.substring(0, dot) : n;
    }

    private static String head(Path p) {
        try (InputStream in = Files.newInputStream(p)) {
            return new String(in.readNBytes(1 << 16), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }
}

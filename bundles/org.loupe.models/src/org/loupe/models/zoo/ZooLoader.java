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
import org.loupe.core.model.HookedModel;
import org.loupe.core.model.InputSpec;
import org.loupe.core.model.ModelLoadException;
import org.loupe.core.model.ModelLoader;
import org.loupe.models.Hashing;
import org.loupe.models.io.Tensor;
import org.loupe.models.io.WeightFiles;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

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
 */
public class ZooLoader implements ModelLoader {

    private static final List<String> WEIGHT_EXTENSIONS = WeightFiles.EXTENSIONS;

    @Override
    public boolean canLoad(Path path) {
        if (!Files.isRegularFile(path)) {
            return false;
        }
        String n = path.getFileName().toString().toLowerCase(Locale.ROOT);
        if (n.endsWith(".json")) {
            String head = head(path);
            return head.contains("\"architecture\"") && !head.contains("sequential-cnn");
        }
        if (n.endsWith(".pt") || n.endsWith(".pth")) {
            return !WeightFiles.isTorchScript(path);
        }
        return WEIGHT_EXTENSIONS.stream().anyMatch(e -> n.endsWith("." + e));
    }

    @Override
    public HookedModel load(Path path, IProgressMonitor monitor) throws ModelLoadException {
        SubMonitor sm = SubMonitor.convert(monitor, "Opening " + path.getFileName(), 10);
        Path weights;
        JsonObject sidecar;
        if (path.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".json")) {
            sidecar = readSidecar(path);
            weights = weightsOf(path, sidecar);
        } else {
            weights = path;
            Path side = path.resolveSibling(base(path) + ".json");
            sidecar = Files.isRegularFile(side) ? readSidecar(side) : new JsonObject();
        }
        Map<String, Tensor> tensors;
        String hash;
        try {
            tensors = WeightFiles.read(weights);
            hash = Hashing.sha256(weights);
        } catch (IOException e) {
            throw new ModelLoadException(e.getMessage(), e);
        }
        sm.worked(3);
        return build(tensors, sidecar, weights, hash, weights.toAbsolutePath().toString(), sm.split(7));
    }

    /**
     * Builds a model from tensors already read and its sidecar: the sidecar's architecture, else
     * the first family that recognises the tensors (also for models shipped inside bundles).
     */
    public static HookedModel build(Map<String, Tensor> tensors, JsonObject sidecar, Path weights, String hash, String source,
            IProgressMonitor monitor)
            throws ModelLoadException {
        ModelSpec spec = spec(weights, hash, sidecar, source);
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

    private static ModelSpec spec(Path weights, String hash, JsonObject s, String source) throws ModelLoadException {
        String where = "sidecar of " + weights.getFileName();
        try {
            String arch = s.has("architecture") ? s.get("architecture").getAsString() : null;
            String id = base(weights);
            String name = s.has("name") ? s.get("name").getAsString() : id;
            InputSpec input = Sidecars.input(s);
            List<String> labels = Sidecars.labels(s);
            return new ModelSpec(id, name, hash, weights, arch, input, labels, s, source);
        } catch (RuntimeException e) {
            throw new ModelLoadException("The " + where + " is not valid: " + e.getMessage() + ".", e);
        }
    }

    private static JsonObject readSidecar(Path file) throws ModelLoadException {
        try {
            return JsonParser.parseString(Files.readString(file, StandardCharsets.UTF_8)).getAsJsonObject();
        } catch (IOException e) {
            throw new ModelLoadException("Cannot read " + file + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            throw new ModelLoadException(file.getFileName() + " is not a JSON object: " + e.getMessage(), e);
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

package org.loupe.models;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.SubMonitor;
import org.loupe.core.model.BuiltinModelFactory;
import org.loupe.core.model.HookedModel;
import org.loupe.core.model.ModelInfo;
import org.loupe.core.model.ModelLoadException;
import org.loupe.models.io.Safetensors;
import org.loupe.models.io.Tensor;
import org.loupe.models.seqcnn.SeqCnnConfig;
import org.loupe.models.seqcnn.SeqCnnLoader;
import org.loupe.models.zoo.ZooLoader;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/**
 * Models whose config and trained weights ship inside this bundle ({@code models/<id>.json} and
 * {@code models/<id>.safetensors}): the demo models trained on Loupe Shapes. The JSON is a
 * sequential-CNN config or a zoo sidecar (for example a ViT with timm names).
 *
 * @since 0.1
 */
public class BundledModels implements BuiltinModelFactory {

    @Override
    public HookedModel create(String id, IProgressMonitor monitor) throws ModelLoadException {
        SubMonitor sm = SubMonitor.convert(monitor, "Opening " + id, 3);
        byte[] json = resource(id + ".json");
        String text = new String(json, StandardCharsets.UTF_8);
        JsonObject sidecar = JsonParser.parseString(text).getAsJsonObject();
        if (!SeqCnnConfig.ARCHITECTURE.equals(sidecar.get("architecture").getAsString())) {
            String weightsName = sidecar.has("weights") ? sidecar.get("weights").getAsString() : id + ".safetensors";
            byte[] weights = resource(weightsName);
            Map<String, Tensor> tensors = safetensors(weightsName, weights);
            sm.worked(1);
            return ZooLoader.build(tensors, sidecar, Path.of(weightsName), Hashing.sha256(weights), "builtin:" + id, sm.split(2));
        }
        SeqCnnConfig config = SeqCnnConfig.parse(text, id + ".json");
        String weightsName = config.weights() == null ? id + ".safetensors" : config.weights();
        byte[] weights = resource(weightsName);
        Map<String, Tensor> tensors = safetensors(weightsName, weights);
        sm.worked(1);
        String hash = Hashing.sha256(weights);
        ModelInfo info = new ModelInfo(id, config.name(), SeqCnnConfig.ARCHITECTURE, hash, "builtin:" + id, -1);
        return SeqCnnLoader.openBuilt(config, info, tensors, Path.of(weightsName), id + ".json", sm.split(2));
    }

    /** The bytes of a file in the bundle's {@code models/} folder. */
    public static byte[] resource(String name) throws ModelLoadException {
        try (InputStream in = BundledModels.class.getResourceAsStream("/models/" + name)) {
            if (in == null) {
                throw new ModelLoadException("The built-in model file models/" + name + " is missing from bundle org.loupe.models.");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new ModelLoadException("Cannot read the built-in model file models/" + name + ": " + e.getMessage(), e);
        }
    }

    /** The tensors of a bundled safetensors file. */
    private static Map<String, Tensor> safetensors(String name, byte[] bytes) throws ModelLoadException {
        try {
            return Safetensors.parse(Path.of(name), ByteBuffer.wrap(bytes));
        } catch (IOException e) {
            throw new ModelLoadException(e.getMessage(), e);
        }
    }
}

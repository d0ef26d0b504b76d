package org.loupe.models.seqcnn;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.SubMonitor;
import org.loupe.core.model.HookedModel;
import org.loupe.core.model.ModelInfo;
import org.loupe.core.model.ModelLoadException;
import org.loupe.core.model.ModelLoader;
import org.loupe.core.model.blocks.BlockModel;
import org.loupe.djl.LoupeEngine;
import org.loupe.models.Hashing;
import org.loupe.models.WeightBinder;
import org.loupe.models.io.Tensor;
import org.loupe.models.io.WeightFiles;

import ai.djl.ndarray.NDManager;

/**
 * Opens a sequential CNN from its JSON config ({@link SeqCnnConfig}) and a safetensors or npz weight
 * file next to it. Every layer is a hook point.
 *
 * @since 0.1
 */
public class SeqCnnLoader implements ModelLoader {

    @Override
    public boolean canLoad(Path path) {
        if (!Files.isRegularFile(path) || !path.getFileName().toString().toLowerCase().endsWith(".json")) {
            return false;
        }
        try (InputStream in = Files.newInputStream(path)) {
            String head = new String(in.readNBytes(1 << 16), StandardCharsets.UTF_8);
            return head.contains("\"architecture\"") && head.contains(SeqCnnConfig.ARCHITECTURE);
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public HookedModel load(Path path, IProgressMonitor monitor) throws ModelLoadException {
        SubMonitor sm = SubMonitor.convert(monitor, "Opening " + path.getFileName(), 4);
        String json;
        try {
            json = Files.readString(path, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ModelLoadException("Cannot read " + path + ": " + e.getMessage(), e);
        }
        String source = path.getFileName().toString();
        SeqCnnConfig config = SeqCnnConfig.parse(json, source);
        Path weights = weightsFile(path, config);
        sm.worked(1);
        Map<String, Tensor> tensors;
        try {
            tensors = WeightFiles.read(weights);
        } catch (IOException e) {
            throw new ModelLoadException(e.getMessage() + " (weights of " + source + ")", e);
        }
        sm.worked(1);
        String id = source.substring(0, source.length() - ".json".length());
        String hash;
        try {
            hash = Hashing.sha256(path, weights);
        } catch (IOException e) {
            throw new ModelLoadException("Cannot read " + weights + ": " + e.getMessage(), e);
        }
        ModelInfo info = new ModelInfo(id, config.name(), SeqCnnConfig.ARCHITECTURE, hash, path.toAbsolutePath().toString(), -1);
        return open(config, info, expected -> tensors, weights, source, sm.split(2));
    }

    /** Builds a model from a parsed config and tensors already read (for models shipped in bundles). */
    public static HookedModel openBuilt(SeqCnnConfig config, ModelInfo info, Map<String, Tensor> tensors, Path weightsName, String configName,
            IProgressMonitor monitor) throws ModelLoadException {
        return open(config, info, expected -> tensors, weightsName, configName, monitor);
    }

    /** Tensor supplier for {@link #open}: given the expected tensors, the tensors by name. */
    @FunctionalInterface
    interface TensorSource {
        Map<String, Tensor> tensors(WeightBinder expected) throws ModelLoadException;
    }

    /** Builds the network, binds the tensors, wraps it; releases everything if any step fails. */
    static HookedModel open(SeqCnnConfig config, ModelInfo info, TensorSource source, Path weightsName, String configName,
            IProgressMonitor monitor) throws ModelLoadException {
        NDManager manager = LoupeEngine.get().newBaseManager();
        try {
            SeqCnn.Built built = SeqCnn.build(config, manager, configName);
            built.weights().bind(weightsName, source.tensors(built.weights()), n -> n.endsWith(".num_batches_tracked"));
            monitor.worked(1);
            return new BlockModel(info, config.input(), config.labels(), built.block(), manager);
        } catch (ModelLoadException | RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    private static Path weightsFile(Path config, SeqCnnConfig c) throws ModelLoadException {
        Path dir = config.toAbsolutePath().getParent();
        if (c.weights() != null) {
            Path w = dir.resolve(c.weights()).normalize();
            if (!Files.isRegularFile(w)) {
                throw new ModelLoadException(config.getFileName() + " names the weight file '" + c.weights() + "', which does not exist in "
                        + dir + ".");
            }
            return w;
        }
        String base = config.getFileName().toString().replaceFirst("\\.json$", "");
        for (String ext : WeightFiles.EXTENSIONS) {
            Path w = dir.resolve(base + "." + ext);
            if (Files.isRegularFile(w)) {
                return w;
            }
        }
        throw new ModelLoadException("No weights for " + config.getFileName() + ": put " + base + ".safetensors or " + base
                + ".npz next to it, or name the file in \"weights\".");
    }
}

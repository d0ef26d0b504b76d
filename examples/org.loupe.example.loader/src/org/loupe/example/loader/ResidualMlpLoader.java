package org.loupe.example.loader;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.SubMonitor;
import org.loupe.core.model.HookedModel;
import org.loupe.core.model.InputSpec;
import org.loupe.core.model.ModelInfo;
import org.loupe.core.model.ModelLoadException;
import org.loupe.core.model.ModelLoader;
import org.loupe.core.model.Normalization;
import org.loupe.core.model.blocks.BlockModel;
import org.loupe.djl.LoupeEngine;

import ai.djl.ndarray.NDManager;

/**
 * Loupe's example model loader: opens a residual MLP described in JSON
 * ({@link ResidualMlpConfig}, {@code "format": "residual-mlp"}) with its weights from a raw
 * little-endian float32 file next to it, or seeded, as a {@link BlockModel} with hook points
 * (see {@link ResidualMlp}). Pixels go in as values in [0, 1], without further normalisation.
 */
public class ResidualMlpLoader implements ModelLoader {

    @Override
    public boolean canLoad(Path path) {
        if (!Files.isRegularFile(path) || !path.getFileName().toString().endsWith(".json")) {
            return false;
        }
        try (InputStream in = Files.newInputStream(path)) {
            String head = new String(in.readNBytes(4096), StandardCharsets.UTF_8);
            return head.contains("\"format\"") && head.contains("\"" + ResidualMlpConfig.FORMAT + "\"");
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public HookedModel load(Path path, IProgressMonitor monitor) throws ModelLoadException {
        SubMonitor sm = SubMonitor.convert(monitor, "Opening " + path.getFileName(), 3);
        String source = path.getFileName().toString();
        byte[] json = read(path);
        ResidualMlpConfig config = ResidualMlpConfig.parse(new String(json, StandardCharsets.UTF_8), source);
        ResidualMlp mlp = new ResidualMlp(config);
        float[] values;
        byte[] weightBytes = new byte[0];
        if (config.weights() != null) {
            Path file = path.toAbsolutePath().getParent().resolve(config.weights()).normalize();
            if (!Files.isRegularFile(file)) {
                throw new ModelLoadException(source + " names the weight file '" + config.weights() + "', which does not exist in "
                        + file.getParent() + ".");
            }
            weightBytes = read(file);
            if (weightBytes.length % Float.BYTES != 0) {
                throw new ModelLoadException(config.weights() + " is " + weightBytes.length + " bytes, not a whole number of float32 values.");
            }
            values = new float[weightBytes.length / Float.BYTES];
            ByteBuffer.wrap(weightBytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(values);
        } else {
            values = mlp.seeded(config.seed());
        }
        sm.worked(1);
        NDManager manager = LoupeEngine.get().newBaseManager();
        try {
            mlp.initialize(manager, values, config.weights() == null ? source : config.weights());
            sm.worked(1);
            String id = source.substring(0, source.length() - ".json".length());
            ModelInfo info = new ModelInfo(id, config.name(), ResidualMlpConfig.FORMAT, sha256(json, weightBytes),
                    path.toAbsolutePath().toString(), -1);
            InputSpec input = new InputSpec(config.channels(), config.height(), config.width(), Normalization.identity(config.channels()));
            HookedModel model = new BlockModel(info, input, config.labels(), mlp.block(), manager);
            sm.worked(1);
            return model;
        } catch (ModelLoadException | RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    private static byte[] read(Path file) throws ModelLoadException {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new ModelLoadException("Cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private static String sha256(byte[] json, byte[] weights) {
        try {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            d.update(json);
            d.update(weights);
            return HexFormat.of().formatHex(d.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM has no SHA-256", e);
        }
    }
}

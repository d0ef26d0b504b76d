package org.loupe.models.seqcnn;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.SubMonitor;
import org.loupe.core.model.BuiltinModelFactory;
import org.loupe.core.model.HookedModel;
import org.loupe.core.model.ModelInfo;
import org.loupe.core.model.ModelLoadException;
import org.loupe.models.Hashing;
import org.loupe.models.WeightBinder;
import org.loupe.models.io.DType;
import org.loupe.models.io.Tensor;

/**
 * Built-in sequential CNNs whose weights are drawn from a fixed seed (PyTorch's default
 * initialisation: uniform in +-1/sqrt(fan_in)): always available, identical on every machine, no
 * file needed. Untrained, so they show how Loupe works, not what a trained network learned.
 *
 * @since 0.1
 */
public class SeededModels implements BuiltinModelFactory {

    private static final long SEED = 20261127L;

    @Override
    public HookedModel create(String id, IProgressMonitor monitor) throws ModelLoadException {
        SubMonitor sm = SubMonitor.convert(monitor, "Creating " + id, 2);
        String resource = "/models/" + id + ".json";
        byte[] json;
        try (InputStream in = SeededModels.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new ModelLoadException("Built-in model '" + id + "' has no config " + resource + ".");
            }
            json = in.readAllBytes();
        } catch (IOException e) {
            throw new ModelLoadException("Cannot read " + resource + ": " + e.getMessage(), e);
        }
        SeqCnnConfig config = SeqCnnConfig.parse(new String(json, StandardCharsets.UTF_8), id + ".json");
        String hash = Hashing.sha256((new String(json, StandardCharsets.UTF_8) + "#seed=" + SEED).getBytes(StandardCharsets.UTF_8));
        ModelInfo info = new ModelInfo(id, config.name(), SeqCnnConfig.ARCHITECTURE, hash, "builtin:" + id, -1);
        sm.worked(1);
        return SeqCnnLoader.open(config, info, SeededModels::draw, Path.of(id + " (seeded)"), id + ".json", sm.split(1));
    }

    private static Map<String, Tensor> draw(WeightBinder expected) {
        Random random = new Random(SEED);
        Map<String, Tensor> out = new LinkedHashMap<>();
        Map<String, Long> fanIn = new LinkedHashMap<>();
        for (String name : expected.names()) {
            long[] shape = expected.shape(name);
            String layer = name.substring(0, name.lastIndexOf('.'));
            if (name.endsWith(".weight") && shape.length > 1) {
                long f = 1;
                for (int i = 1; i < shape.length; i++) {
                    f *= shape[i];
                }
                fanIn.put(layer, f);
            }
            int n = 1;
            for (long d : shape) {
                n *= (int) d;
            }
            ByteBuffer b = ByteBuffer.allocate(4 * n).order(ByteOrder.LITTLE_ENDIAN);
            Long fan = fanIn.get(layer);
            for (int i = 0; i < n; i++) {
                float v;
                if (fan != null) {
                    v = (float) ((random.nextDouble() * 2 - 1) / Math.sqrt(fan));
                } else {
                    // batchnorm: identity transform
                    v = name.endsWith(".weight") || name.endsWith(".running_var") ? 1f : 0f;
                }
                b.putFloat(v);
            }
            b.flip();
            out.put(name, new Tensor(name, DType.F32, shape, b));
        }
        return out;
    }
}

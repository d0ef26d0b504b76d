package org.loupe.models.cnn;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.eclipse.core.runtime.IProgressMonitor;
import org.loupe.core.model.HookedModel;
import org.loupe.core.model.InputSpec;
import org.loupe.core.model.ModelLoadException;
import org.loupe.core.model.Normalization;
import org.loupe.models.io.Tensor;
import org.loupe.models.zoo.Architecture;
import org.loupe.models.zoo.ModelSpec;

/**
 * ConvNeXt Tiny/Small/Base/Large with torchvision's tensor names ({@code features.0.0.weight},
 * {@code features.1.0.block.0.weight}, {@code features.1.0.layer_scale}, {@code classifier.2.weight}).
 * The size is read from the stem's width and the blocks per stage. Input 224x224 with ImageNet
 * normalisation unless the sidecar says otherwise.
 *
 * @since 0.1
 */
public final class ConvNeXtFamily implements Architecture {

    private static final Map<String, ConvNeXt.Config> VARIANTS = table();

    private static Map<String, ConvNeXt.Config> table() {
        Map<String, ConvNeXt.Config> m = new LinkedHashMap<>();
        m.put("convnext-tiny", new ConvNeXt.Config(new int[] {96, 192, 384, 768}, new int[] {3, 3, 9, 3}, 1000));
        m.put("convnext-small", new ConvNeXt.Config(new int[] {96, 192, 384, 768}, new int[] {3, 3, 27, 3}, 1000));
        m.put("convnext-base", new ConvNeXt.Config(new int[] {128, 256, 512, 1024}, new int[] {3, 3, 27, 3}, 1000));
        m.put("convnext-large", new ConvNeXt.Config(new int[] {192, 384, 768, 1536}, new int[] {3, 3, 27, 3}, 1000));
        return java.util.Collections.unmodifiableMap(m);
    }

    @Override
    public List<String> variants() {
        return List.copyOf(VARIANTS.keySet());
    }

    @Override
    public Optional<String> detect(Map<String, Tensor> tensors) {
        long[] stem = CnnModels.shape(tensors, "features.0.0.weight");
        if (stem == null || stem.length != 4 || stem[1] != 3 || stem[2] != 4 || !tensors.containsKey("features.1.0.layer_scale")
                || !tensors.containsKey("features.1.0.block.0.weight") || !tensors.containsKey("classifier.2.weight")) {
            return Optional.empty();
        }
        int[] depths = new int[4];
        for (int s = 0; s < 4; s++) {
            depths[s] = CnnModels.count(tensors, "features." + (1 + 2 * s) + ".", ".layer_scale");
        }
        for (Map.Entry<String, ConvNeXt.Config> e : VARIANTS.entrySet()) {
            if (e.getValue().dims()[0] == stem[0] && Arrays.equals(e.getValue().depths(), depths)) {
                return Optional.of(e.getKey());
            }
        }
        return Optional.empty();
    }

    @Override
    public HookedModel build(String variant, Map<String, Tensor> tensors, ModelSpec spec, IProgressMonitor monitor) throws ModelLoadException {
        ConvNeXt.Config v = CnnModels.variant(VARIANTS, variant, "ConvNeXt");
        ConvNeXt.Config config = new ConvNeXt.Config(v.dims(), v.depths(), CnnModels.dim(tensors, "classifier.2.weight", 0, 1000));
        return CnnModels.build(this, variant, tensors, spec, monitor, () -> new ConvNeXt(config),
                new InputSpec(3, 224, 224, Normalization.IMAGENET), n -> false);
    }
}

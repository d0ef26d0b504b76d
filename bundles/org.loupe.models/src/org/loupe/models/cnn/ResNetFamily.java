package org.loupe.models.cnn;

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
 * ResNet-18/34/50/101/152 with torchvision's (and timm's) tensor names: {@code conv1}, {@code bn1},
 * {@code layer1.0.conv1}, {@code layer1.0.downsample.0}, {@code fc}. The variant is read from the
 * names: bottleneck blocks if {@code layer1.0.conv3} exists, depth from the blocks per stage.
 * Input 224x224 with ImageNet normalisation unless the sidecar says otherwise.
 *
 * @since 0.1
 */
public final class ResNetFamily implements Architecture {

    private static final Map<String, ResNet.Config> VARIANTS = table();

    private static Map<String, ResNet.Config> table() {
        Map<String, ResNet.Config> m = new LinkedHashMap<>();
        m.put("resnet18", new ResNet.Config(false, new int[] {2, 2, 2, 2}, 1000));
        m.put("resnet34", new ResNet.Config(false, new int[] {3, 4, 6, 3}, 1000));
        m.put("resnet50", new ResNet.Config(true, new int[] {3, 4, 6, 3}, 1000));
        m.put("resnet101", new ResNet.Config(true, new int[] {3, 4, 23, 3}, 1000));
        m.put("resnet152", new ResNet.Config(true, new int[] {3, 8, 36, 3}, 1000));
        return java.util.Collections.unmodifiableMap(m);
    }

    @Override
    public List<String> variants() {
        return List.copyOf(VARIANTS.keySet());
    }

    @Override
    public Optional<String> detect(Map<String, Tensor> tensors) {
        if (!CnnModels.hasShape(tensors, "conv1.weight", 64, 3, 7, 7) || !tensors.containsKey("bn1.weight")
                || !tensors.containsKey("fc.weight") || !CnnModels.hasShape(tensors, "layer1.0.conv2.weight", 64, 64, 3, 3)) {
            return Optional.empty();
        }
        boolean bottleneck = tensors.containsKey("layer1.0.conv3.weight");
        int[] blocks = new int[4];
        for (int s = 0; s < 4; s++) {
            blocks[s] = CnnModels.count(tensors, "layer" + (s + 1) + ".", ".conv1.weight");
        }
        for (Map.Entry<String, ResNet.Config> e : VARIANTS.entrySet()) {
            if (e.getValue().bottleneck() == bottleneck && java.util.Arrays.equals(e.getValue().blocks(), blocks)) {
                return Optional.of(e.getKey());
            }
        }
        return Optional.empty();
    }

    @Override
    public HookedModel build(String variant, Map<String, Tensor> tensors, ModelSpec spec, IProgressMonitor monitor) throws ModelLoadException {
        ResNet.Config v = CnnModels.variant(VARIANTS, variant, "ResNet");
        ResNet.Config config = new ResNet.Config(v.bottleneck(), v.blocks(), CnnModels.dim(tensors, "fc.weight", 0, 1000));
        return CnnModels.build(this, variant, tensors, spec, monitor, () -> new ResNet(config),
                new InputSpec(3, 224, 224, Normalization.IMAGENET), n -> false);
    }
}

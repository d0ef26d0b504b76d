package org.loupe.models.cnn;

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
 * InceptionV1 with Lucent's tensor names ({@code conv2d0_pre_relu_conv.weight},
 * {@code mixed4a_3x3_pre_relu_conv.weight}, {@code softmax2_pre_activation_matmul.weight}): the
 * {@code inception5h} model of Lucid, Lucent and OpenAI Microscope, and of the Circuits thread.
 * Input 224x224 with Lucid's preprocessing {@code x*255 - 117}. Tensors of the auxiliary heads
 * ({@code head0_*}, {@code nn0_*}, {@code softmax0_*}, and the same with 1) are ignored.
 *
 * @since 0.1
 */
public final class InceptionV1Family implements Architecture {

    /** The variant id. */
    public static final String INCEPTIONV1 = "inceptionv1";

    private static final List<String> AUX = List.of("head0_", "nn0_", "softmax0_", "head1_", "nn1_", "softmax1_");

    @Override
    public List<String> variants() {
        return List.of(INCEPTIONV1);
    }

    @Override
    public Optional<String> detect(Map<String, Tensor> tensors) {
        boolean ok = tensors.containsKey("conv2d0_pre_relu_conv.weight") && tensors.containsKey("mixed3a_1x1_pre_relu_conv.weight")
                && tensors.containsKey("softmax2_pre_activation_matmul.weight");
        return ok ? Optional.of(INCEPTIONV1) : Optional.empty();
    }

    @Override
    public HookedModel build(String variant, Map<String, Tensor> tensors, ModelSpec spec, IProgressMonitor monitor) throws ModelLoadException {
        if (!INCEPTIONV1.equals(variant)) {
            throw new ModelLoadException("Unknown InceptionV1 variant '" + variant + "'; known: " + INCEPTIONV1 + ".");
        }
        int classes = CnnModels.dim(tensors, "softmax2_pre_activation_matmul.weight", 0, 1008);
        return CnnModels.build(this, variant, tensors, spec, monitor, () -> new InceptionV1(classes),
                new InputSpec(3, 224, 224, Normalization.LUCID_INCEPTION), "Lucid's inception5h preprocessing (x*255 - 117)", List.of(),
                n -> AUX.stream().anyMatch(n::startsWith));
    }
}

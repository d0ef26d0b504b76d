package org.loupe.models.cnn;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.eclipse.core.runtime.IProgressMonitor;
import org.loupe.core.model.ConfigValue;
import org.loupe.core.model.ConfigValue.Origin;
import org.loupe.core.model.HookedModel;
import org.loupe.core.model.InputSpec;
import org.loupe.core.model.ModelLoadException;
import org.loupe.core.model.Normalization;
import org.loupe.models.io.Tensor;
import org.loupe.models.zoo.Architecture;
import org.loupe.models.zoo.ModelSpec;

import com.google.gson.JsonElement;

/**
 * torchvision's GoogLeNet ({@code conv1.conv}, {@code inception3a.branch2.1.bn}, {@code fc}). The
 * auxiliary classifiers' tensors ({@code aux1.*}, {@code aux2.*}, present in torchvision's trained
 * file) are accepted and ignored. The sidecar option {@code "transform_input"} turns torchvision's
 * input re-normalisation (what the pretrained weights expect) on or off; without it, it is on when
 * the file holds the auxiliary tensors (torchvision's trained file does; a guess, reported as such)
 * and off otherwise.
 *
 * @since 0.1
 */
public final class GoogLeNetFamily implements Architecture {

    /** The variant id. */
    public static final String GOOGLENET = "googlenet";

    @Override
    public List<String> variants() {
        return List.of(GOOGLENET);
    }

    @Override
    public Optional<String> detect(Map<String, Tensor> tensors) {
        boolean ok = CnnModels.hasShape(tensors, "conv1.conv.weight", 64, 3, 7, 7) && tensors.containsKey("inception3a.branch1.conv.weight")
                && tensors.containsKey("inception5b.branch4.1.conv.weight") && tensors.containsKey("fc.weight");
        return ok ? Optional.of(GOOGLENET) : Optional.empty();
    }

    @Override
    public HookedModel build(String variant, Map<String, Tensor> tensors, ModelSpec spec, IProgressMonitor monitor) throws ModelLoadException {
        if (!GOOGLENET.equals(variant)) {
            throw new ModelLoadException("Unknown GoogLeNet variant '" + variant + "'; known: " + GOOGLENET + ".");
        }
        boolean aux = tensors.keySet().stream().anyMatch(n -> n.startsWith("aux1.") || n.startsWith("aux2."));
        boolean transform = transformInput(spec, aux);
        ConfigValue value = spec.value("transform_input", String.valueOf(transform), Origin.GUESSED, aux
                ? "aux1/aux2 tensors present, as in torchvision's trained file (googlenet(weights=...) turns transform_input on)"
                : "no auxiliary tensors: a state dict saved without them, such as googlenet(weights=None, aux_logits=False)'s",
                "\"transform_input\": " + transform);
        int classes = CnnModels.dim(tensors, "fc.weight", 0, 1000);
        return CnnModels.build(this, variant, tensors, spec, monitor, () -> new GoogLeNet(classes, transform),
                new InputSpec(3, 224, 224, Normalization.IMAGENET), "ImageNet mean/std, as torchvision's trained weights", List.of(value),
                n -> n.startsWith("aux1.") || n.startsWith("aux2."));
    }

    /** The sidecar's {@code transform_input}, else on if the file has the auxiliary classifiers (as torchvision's trained file). */
    private static boolean transformInput(ModelSpec spec, boolean aux) throws ModelLoadException {
        JsonElement e = spec.sidecar() == null ? null : spec.sidecar().get("transform_input");
        if (e == null || e.isJsonNull()) {
            return aux;
        }
        if (e.isJsonPrimitive() && e.getAsJsonPrimitive().isBoolean()) {
            return e.getAsBoolean();
        }
        throw new ModelLoadException("The sidecar of " + spec.weights().getFileName() + " sets \"transform_input\" to " + e
                + "; it must be true or false.");
    }
}

package org.loupe.models.zoo;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.eclipse.core.runtime.IProgressMonitor;
import org.loupe.core.model.HookedModel;
import org.loupe.core.model.ModelLoadException;
import org.loupe.models.io.Tensor;

/**
 * A family of architectures Loupe can rebuild from a weight file with hook points everywhere:
 * ResNet, InceptionV1, GoogLeNet, ConvNeXt, ViT. {@link ZooLoader} asks each family to recognise
 * the tensors (or uses the sidecar's {@code architecture}), then to build the model.
 *
 * @since 0.1
 */
public interface Architecture {

    /** The variant ids this family builds ({@code resnet18}, {@code resnet50}, ...), as used in sidecars. */
    List<String> variants();

    /**
     * The variant the tensors belong to, if they look like this family. Must be cheap: look at
     * names and shapes only. Return empty rather than guess.
     */
    Optional<String> detect(Map<String, Tensor> tensors);

    /**
     * Builds the variant with the tensors bound, all or nothing.
     *
     * @throws ModelLoadException naming the missing, extra or mis-shaped tensors
     */
    HookedModel build(String variant, Map<String, Tensor> tensors, ModelSpec spec, IProgressMonitor monitor) throws ModelLoadException;
}

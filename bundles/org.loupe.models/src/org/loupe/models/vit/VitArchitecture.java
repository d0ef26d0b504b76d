package org.loupe.models.vit;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.SubMonitor;
import org.loupe.core.model.HookedModel;
import org.loupe.core.model.InputSpec;
import org.loupe.core.model.ModelLoadException;
import org.loupe.core.model.Normalization;
import org.loupe.core.model.blocks.BlockModel;
import org.loupe.djl.LoupeEngine;
import org.loupe.models.WeightBinder;
import org.loupe.models.io.Tensor;
import org.loupe.models.zoo.Architecture;
import org.loupe.models.zoo.ModelSpec;

import com.google.gson.JsonObject;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.initializer.Initializer;

/**
 * Vision Transformers with class-token pooling from torchvision, timm or Hugging Face weight files,
 * any size: the convention is recognised from the tensor names ({@link VitNames}), the size from the
 * shapes ({@link VitShapes}). Variants: {@code vit-b-16}, {@code vit-b-32}, {@code vit-l-16} (the
 * standard sizes, checked against the file) and {@code vit} (any size).
 *
 * <p>Sidecar fields besides the common ones: {@code "heads"} (attention heads; default width / 64 or
 * the variant's), {@code "layer_norm_eps"} (default 1e-6 for torchvision and timm, 1e-12 for
 * Hugging Face).
 */
public class VitArchitecture implements Architecture {

    /** The generic variant: any size, read from the shapes. */
    public static final String GENERIC = "vit";

    /** A standard size. */
    private record Size(String id, int patch, int width, int depth, int mlp, int heads) {
        boolean matches(VitConfig c) {
            return c.patch() == patch && c.width() == width && c.depth() == depth && c.mlp() == mlp;
        }

        String describe() {
            return "patch " + patch + ", width " + width + ", " + depth + " blocks, MLP " + mlp;
        }
    }

    private static final List<Size> SIZES = List.of(
            new Size("vit-b-16", 16, 768, 12, 3072, 12),
            new Size("vit-b-32", 32, 768, 12, 3072, 12),
            new Size("vit-l-16", 16, 1024, 24, 4096, 16));

    @Override
    public List<String> variants() {
        return List.of("vit-b-16", "vit-b-32", "vit-l-16", GENERIC);
    }

    @Override
    public Optional<String> detect(Map<String, Tensor> tensors) {
        Optional<VitNames> names = VitNames.of(tensors);
        if (names.isEmpty()) {
            return Optional.empty();
        }
        try {
            // the number of heads is not needed to tell the size (1 stands in for it)
            VitConfig c = VitShapes.read(tensors, names.get(), 1, new JsonObject(), "");
            return Optional.of(SIZES.stream().filter(s -> s.matches(c)).map(Size::id).findFirst().orElse(GENERIC));
        } catch (ModelLoadException e) {
            return Optional.of(GENERIC); // build() reports what is wrong
        }
    }

    @Override
    public HookedModel build(String variant, Map<String, Tensor> tensors, ModelSpec spec, IProgressMonitor monitor) throws ModelLoadException {
        SubMonitor sm = SubMonitor.convert(monitor, "Building " + variant, 3);
        String file = spec.weights().getFileName().toString();
        VitNames names = VitNames.of(tensors).orElseThrow(() -> new ModelLoadException(file + " is not a Vision Transformer Loupe knows: "
                + "it has none of torchvision's 'conv_proj.weight' + 'class_token', timm's 'patch_embed.proj.weight' + 'cls_token', "
                + "or Hugging Face's '[vit.]embeddings.patch_embeddings.projection.weight' + '[vit.]embeddings.cls_token'."));
        Size size = SIZES.stream().filter(s -> s.id().equals(variant)).findFirst().orElse(null);
        VitConfig config = VitShapes.read(tensors, names, size != null ? size.heads() : 0, spec.sidecar(), file);
        if (size != null && !size.matches(config)) {
            throw new ModelLoadException(file + " is said to be " + variant + " (" + size.describe() + ") but holds a ViT with patch "
                    + config.patch() + ", width " + config.width() + ", " + config.depth() + " blocks, MLP " + config.mlp() + " ("
                    + config.imageSize() + "x" + config.imageSize() + " input). Use \"architecture\": \"" + GENERIC + "\" for any size.");
        }
        InputSpec input = input(config, spec, file);
        List<String> labels = labels(config, spec, file);
        sm.worked(1);

        NDManager manager = LoupeEngine.get().newBaseManager();
        try {
            VisionTransformer net = new VisionTransformer(config);
            net.setInitializer(Initializer.ZEROS, (Parameter p) -> true);
            net.initialize(manager, DataType.FLOAT32, new Shape(1, config.channels(), config.imageSize(), config.imageSize()));
            WeightBinder binder = net.binder();
            binder.bind(spec.weights(), tensors, names::ignored);
            sm.worked(1);
            HookedModel model = new BlockModel(spec.info(variant), input, labels, net, manager);
            sm.worked(1);
            return model;
        } catch (ModelLoadException | RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    /**
     * A Vision Transformer of the given size with freshly initialised weights (Xavier for
     * projections, N(0, 0.02) for the class token and position embedding), for training; its
     * {@link WeightBinder} names the tensors by the config's convention, so {@code save} writes a
     * file this architecture loads.
     *
     * @param block   the initialised block (parameters not frozen)
     * @param weights the tensor names of its parameters
     */
    public record Fresh(ai.djl.nn.Block block, WeightBinder weights) {
    }

    /** Creates a trainable Vision Transformer of size {@code config} in {@code manager}. */
    public static Fresh fresh(VitConfig config, NDManager manager) {
        VisionTransformer net = new VisionTransformer(config);
        net.setInitializer(new ai.djl.training.initializer.NormalInitializer(0.02f),
                (Parameter p) -> p.getName().equals("class_token") || p.getName().equals("pos_embedding"));
        net.initialize(manager, DataType.FLOAT32, new Shape(1, config.channels(), config.imageSize(), config.imageSize()));
        return new Fresh(net, net.binder());
    }

    private static InputSpec input(VitConfig c, ModelSpec spec, String file) throws ModelLoadException {
        int size = c.imageSize();
        Normalization norm = c.channels() == 3 ? c.names().convention().normalization() : Normalization.identity(c.channels());
        InputSpec dflt = new InputSpec(c.channels(), size, size, norm);
        InputSpec in = spec.inputOr(dflt);
        if (in.height() != size || in.width() != size || in.channels() != c.channels()) {
            throw new ModelLoadException("The sidecar of " + file + " gives the input " + in.channels() + "x" + in.height() + "x" + in.width()
                    + ", but the position embedding fixes it at " + c.channels() + "x" + size + "x" + size + " (" + c.grid() + "x" + c.grid()
                    + " patches of " + c.patch() + " pixels).");
        }
        return in;
    }

    private static List<String> labels(VitConfig c, ModelSpec spec, String file) throws ModelLoadException {
        if (!c.hasClassifier()) {
            if (spec.labels() != null && !spec.labels().isEmpty()) {
                throw new ModelLoadException("The sidecar of " + file + " gives labels, but the model has no classifier: its output is the "
                        + c.width() + " pooled features.");
            }
            return List.of();
        }
        List<String> labels = spec.labelsFor(c.classes());
        if (labels.size() != c.classes()) {
            throw new ModelLoadException("The sidecar of " + file + " gives " + labels.size() + " labels, but the classifier has "
                    + c.classes() + " outputs.");
        }
        return labels;
    }
}

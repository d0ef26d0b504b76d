package org.loupe.models.vit;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.SubMonitor;
import org.loupe.core.model.ConfigValue;
import org.loupe.core.model.ConfigValue.Origin;
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
 * shapes ({@link VitShapes}). Variants: {@code vit-b-16}, {@code vit-b-32}, {@code vit-l-16},
 * {@code vit-l-32}, {@code vit-h-14} (the standard sizes, checked against the file) and {@code vit}
 * (any size).
 *
 * <p>Sidecar (or config) fields besides the common ones: {@code "heads"} (attention heads; when
 * nothing gives them, guessed: the standard size's, else the published family's of that width, else
 * width / 64), {@code "layer_norm_eps"} (default 1e-6 for torchvision and timm, whose code fixes it,
 * 1e-12 for Hugging Face, a guess), {@code "patch_size"} and {@code "num_classes"} (checked against
 * the tensors). The resolved values and their origins are in the model's {@code ModelInfo}.
 *
 * @since 0.1
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
            new Size("vit-l-16", 16, 1024, 24, 4096, 16),
            new Size("vit-l-32", 32, 1024, 24, 4096, 16),
            new Size("vit-h-14", 14, 1280, 32, 5120, 16));

    /** A published ViT family by width: its name and heads (timm's and Google's Ti, S, B, L, H). */
    private record Family(String name, int width, int heads) {
    }

    private static final List<Family> FAMILIES = List.of(
            new Family("ViT-Ti", 192, 3), new Family("ViT-S", 384, 6), new Family("ViT-B", 768, 12), new Family("ViT-L", 1024, 16),
            new Family("ViT-H", 1280, 16));

    @Override
    public List<String> variants() {
        return List.of("vit-b-16", "vit-b-32", "vit-l-16", "vit-l-32", "vit-h-14", GENERIC);
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
        VitConfig shapes = VitShapes.read(tensors, names, 1, new JsonObject(), file);
        Heads guess = defaultHeads(size, shapes);
        VitConfig config = VitShapes.read(tensors, names, guess.heads(), spec.sidecar(), file);
        if (size != null && !size.matches(config)) {
            throw new ModelLoadException(file + " is said to be " + variant + " (" + size.describe() + ") but holds a ViT with patch "
                    + config.patch() + ", width " + config.width() + ", " + config.depth() + " blocks, MLP " + config.mlp() + " ("
                    + config.imageSize() + "x" + config.imageSize() + " input). Use \"architecture\": \"" + GENERIC + "\" for any size.");
        }
        checkAgainstConfig(config, spec, file);
        InputSpec input = input(config, spec, file);
        List<String> labels = labels(config, spec, file);
        List<ConfigValue> resolved = resolved(variant, config, guess, input, labels, spec);
        sm.worked(1);

        NDManager manager = LoupeEngine.get().newBaseManager();
        try {
            VisionTransformer net = new VisionTransformer(config);
            net.setInitializer(Initializer.ZEROS, (Parameter p) -> true);
            net.initialize(manager, DataType.FLOAT32, new Shape(1, config.channels(), config.imageSize(), config.imageSize()));
            WeightBinder binder = net.binder();
            binder.bind(spec.weights(), tensors, names::ignored);
            sm.worked(1);
            HookedModel model = new BlockModel(spec.info(variant, resolved), input, labels, net, manager);
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

    /** The number of heads when nothing gives it, and why. */
    private record Heads(int heads, String why) {
    }

    /**
     * The heads of a standard size the shapes match, else of the published family of that width
     * (ViT-H: 16 heads of 80), else width / 64; 0 (VitShapes refuses) if 64 does not divide the width.
     */
    private static Heads defaultHeads(Size size, VitConfig c) {
        if (size != null) {
            return new Heads(size.heads(), "the shapes are those of " + size.id() + " (" + size.describe() + "), published with " + size.heads()
                    + " heads of " + c.width() / size.heads());
        }
        for (Family f : FAMILIES) {
            if (f.width() == c.width()) {
                return new Heads(f.heads(), "width " + c.width() + " is " + f.name() + "'s, published with " + f.heads() + " heads of "
                        + c.width() / f.heads());
            }
        }
        return c.width() % 64 == 0 ? new Heads(c.width() / 64, "width " + c.width() + " / 64, the usual head width") : new Heads(0, "");
    }

    /** A config's {@code patch_size} and {@code num_classes} must be what the tensors hold. */
    private static void checkAgainstConfig(VitConfig c, ModelSpec spec, String file) throws ModelLoadException {
        JsonObject s = spec.sidecar();
        if (s.has("patch_size") && s.get("patch_size").getAsInt() != c.patch()) {
            throw new ModelLoadException("The config of " + file + " gives patch_size " + s.get("patch_size") + ", but the patch embedding '"
                    + c.names().patchConv() + ".weight' has " + c.patch() + "-pixel patches: the config belongs to another model.");
        }
        if (s.has("num_classes") && c.hasClassifier() && s.get("num_classes").getAsInt() != c.classes()) {
            throw new ModelLoadException("The config of " + file + " gives num_classes " + s.get("num_classes") + ", but the classifier '"
                    + c.names().head() + ".weight' has " + c.classes() + " outputs: the config belongs to another model.");
        }
    }

    private static List<ConfigValue> resolved(String variant, VitConfig c, Heads guess, InputSpec input, List<String> labels, ModelSpec spec) {
        String convention = c.names().describe();
        List<ConfigValue> out = new ArrayList<>(spec.common(variant, input, Origin.FILE, "position embedding: 1 + " + c.grid() + "x" + c.grid()
                + " tokens of " + c.patch() + "-pixel patches", "the usual normalisation of " + c.names().convention().displayName()
                + " ViT checkpoints", labels));
        out.add(1, new ConfigValue("size", "patch " + c.patch() + ", width " + c.width() + ", " + c.depth() + (c.depth() == 1 ? " block" : " blocks")
                + ", MLP " + c.mlp(),
                Origin.FILE, "tensor shapes (" + convention + ")", null));
        out.add(2, spec.value("heads", c.heads() + " (of " + c.headWidth() + ")", Origin.GUESSED, guess.why(), "\"heads\": " + c.heads()));
        boolean hf = c.names().convention() == VitConvention.HUGGING_FACE;
        out.add(3, spec.value("layer_norm_eps", String.valueOf(c.eps()), hf ? Origin.GUESSED : Origin.FILE,
                hf ? "the default of Hugging Face's ViTConfig" : "tensor names: " + convention + ", whose LayerNorms use eps 1e-6",
                "\"layer_norm_eps\": " + c.eps()));
        out.add(4, spec.value("class token", "pooled (token 0)", Origin.FILE, "tensor '" + c.names().classToken() + "'", null));
        return out;
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

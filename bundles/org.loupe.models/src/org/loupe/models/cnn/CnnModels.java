package org.loupe.models.cnn;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.function.Supplier;

import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.SubMonitor;
import org.loupe.core.model.ConfigValue;
import org.loupe.core.model.ConfigValue.Origin;
import org.loupe.core.model.HookedModel;
import org.loupe.core.model.InputSpec;
import org.loupe.core.model.ModelLoadException;
import org.loupe.core.model.blocks.BlockModel;
import org.loupe.djl.LoupeEngine;
import org.loupe.models.io.Tensor;
import org.loupe.models.zoo.Architecture;
import org.loupe.models.zoo.Architectures;
import org.loupe.models.zoo.ModelSpec;

import ai.djl.engine.EngineException;
import ai.djl.ndarray.NDManager;

/** What the CNN families share: opening a network all or nothing, and reading tensor shapes cheaply. */
final class CnnModels {

    private CnnModels() {
    }

    /**
     * Builds {@code variant}: checks the tensors belong to it, allocates the network, binds every
     * tensor (or none), and wraps it as a {@link BlockModel}. Nothing stays allocated on failure.
     *
     * @param ignored tensor names that may be present without a parameter (besides
     *                {@code num_batches_tracked})
     */
    static HookedModel build(Architecture family, String variant, Map<String, Tensor> tensors, ModelSpec spec, IProgressMonitor monitor,
            Supplier<Net> factory, InputSpec defaultInput, Predicate<String> ignored) throws ModelLoadException {
        return build(family, variant, tensors, spec, monitor, factory, defaultInput, "ImageNet mean/std, as torchvision's trained weights",
                List.of(), ignored);
    }

    /**
     * {@link #build(Architecture, String, Map, ModelSpec, IProgressMonitor, Supplier, InputSpec, Predicate)} with the
     * reason of the default normalisation and the family's own configuration values (reported after the common ones).
     */
    static HookedModel build(Architecture family, String variant, Map<String, Tensor> tensors, ModelSpec spec, IProgressMonitor monitor,
            Supplier<Net> factory, InputSpec defaultInput, String normDetail, List<ConfigValue> own, Predicate<String> ignored)
            throws ModelLoadException {
        checkVariant(family, variant, tensors, spec);
        SubMonitor sm = SubMonitor.convert(monitor, "Building " + variant, 3);
        NDManager manager = LoupeEngine.get().newBaseManager();
        try {
            Net net = factory.get();
            net.allocate(manager);
            sm.worked(1);
            net.binder().bind(spec.weights(), tensors, n -> n.endsWith(".num_batches_tracked") || ignored.test(n));
            sm.worked(1);
            InputSpec input = spec.inputOr(defaultInput);
            List<String> labels = spec.labelsFor(net.outputs());
            if (labels.size() != net.outputs()) {
                throw new ModelLoadException("The sidecar of " + spec.weights().getFileName() + " lists " + labels.size()
                        + " labels, but the " + variant + " in it has " + net.outputs() + " outputs.");
            }
            if (input.channels() != 3) {
                throw new ModelLoadException("The sidecar of " + spec.weights().getFileName() + " asks for " + input.channels()
                        + " input channels, but the " + variant + " takes RGB images (3 channels).");
            }
            List<ConfigValue> resolved = new ArrayList<>(spec.common(variant, input, Origin.GUESSED, "the usual input of " + variant, normDetail,
                    labels));
            resolved.addAll(1, own);
            BlockModel model;
            try {
                model = new BlockModel(spec.info(variant, resolved), input, labels, net, manager);
            } catch (EngineException | IllegalArgumentException e) {
                throw new ModelLoadException("The " + variant + " in " + spec.weights().getFileName() + " cannot run on "
                        + input.height() + "x" + input.width() + " images (the sidecar's input size is too small for it): "
                        + e.getMessage(), e);
            }
            sm.worked(1);
            return model;
        } catch (ModelLoadException | RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    /** Refuses a sidecar architecture that the tensors contradict, naming what they hold. */
    private static void checkVariant(Architecture family, String variant, Map<String, Tensor> tensors, ModelSpec spec)
            throws ModelLoadException {
        Optional<String> own = family.detect(tensors);
        String holds = own.orElse(null);
        if (holds == null) {
            for (Architecture other : Architectures.all()) {
                if (other != family && other.getClass() != family.getClass()) {
                    Optional<String> v = other.detect(tensors);
                    if (v.isPresent()) {
                        holds = v.get();
                        break;
                    }
                }
            }
        }
        if (holds != null && !holds.equals(variant)) {
            throw new ModelLoadException(spec.weights().getFileName() + " holds a " + holds + " (by its tensor names and shapes), but "
                    + "its sidecar names the architecture '" + variant + "'. Correct the sidecar's \"architecture\", or remove it "
                    + "to let Loupe detect the architecture.");
        }
    }

    /** The shape of tensor {@code name}, or null if there is none. */
    static long[] shape(Map<String, Tensor> tensors, String name) {
        Tensor t = tensors.get(name);
        return t == null ? null : t.shape();
    }

    /** Whether tensor {@code name} exists with exactly {@code shape}. */
    static boolean hasShape(Map<String, Tensor> tensors, String name, long... shape) {
        return java.util.Arrays.equals(shape(tensors, name), shape);
    }

    /** Dimension {@code dim} of tensor {@code name}, or {@code dflt} if it is missing or too small. */
    static int dim(Map<String, Tensor> tensors, String name, int dim, int dflt) {
        long[] s = shape(tensors, name);
        return s == null || s.length <= dim ? dflt : Math.toIntExact(s[dim]);
    }

    /** How many of {@code prefix0suffix, prefix1suffix, ...} exist, counting from 0 until one is missing. */
    static int count(Map<String, Tensor> tensors, String prefix, String suffix) {
        int n = 0;
        while (tensors.containsKey(prefix + n + suffix)) {
            n++;
        }
        return n;
    }

    /** The configuration of {@code variant} in {@code variants}; an error naming the known ones if there is none. */
    static <C> C variant(Map<String, C> variants, String variant, String family) throws ModelLoadException {
        C config = variants.get(variant);
        if (config == null) {
            throw new ModelLoadException("Unknown " + family + " variant '" + variant + "'; known: " + String.join(", ", variants.keySet()) + ".");
        }
        return config;
    }
}

package org.loupe.models;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;

import org.loupe.core.model.ModelLoadException;
import org.loupe.models.io.Tensor;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Parameter;

/**
 * Copies tensors from a weight file into a model's parameters by name, all or nothing: every
 * expected tensor must be present with the right shape and a floating type, and unexpected tensors
 * are refused (except names a loader declares harmless, such as BatchNorm's
 * {@code num_batches_tracked}). Errors name the file, the tensor, and the expected shape.
 *
 * @since 0.1
 */
public final class WeightBinder {

    private final Map<String, Parameter> targets = new LinkedHashMap<>();

    /** Expects the tensor {@code name} to fill {@code parameter} (already initialised). */
    public WeightBinder expect(String name, Parameter parameter) {
        targets.put(name, parameter);
        return this;
    }

    /** The shape expected for tensor {@code name}. */
    public long[] shape(String name) {
        return targets.get(name).getArray().getShape().getShape();
    }

    /**
     * Writes the parameters' current values under their tensor names as an F32 safetensors file
     * (a trained model in the same layout it is loaded from).
     */
    public void save(Path file) throws java.io.IOException {
        Map<String, float[]> values = new LinkedHashMap<>();
        Map<String, long[]> shapes = new LinkedHashMap<>();
        for (Map.Entry<String, Parameter> e : targets.entrySet()) {
            NDArray a = e.getValue().getArray();
            values.put(e.getKey(), a.toType(ai.djl.ndarray.types.DataType.FLOAT32, false).toFloatArray());
            shapes.put(e.getKey(), a.getShape().getShape());
        }
        org.loupe.models.io.Safetensors.write(file, values, shapes);
    }

    /** The expected tensor names, in order. */
    public Set<String> names() {
        return targets.keySet();
    }

    /**
     * Checks everything first, then copies.
     *
     * @param file    the weight file (for messages)
     * @param tensors the tensors read from it
     * @param ignored names that may be present without a target
     * @throws ModelLoadException naming the missing, extra, mis-shaped or non-float tensors
     */
    public void bind(Path file, Map<String, Tensor> tensors, Predicate<String> ignored) throws ModelLoadException {
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, Parameter> e : targets.entrySet()) {
            Tensor t = tensors.get(e.getKey());
            long[] want = e.getValue().getArray().getShape().getShape();
            if (t == null) {
                problems.add("missing tensor '" + e.getKey() + "' (expected shape " + Arrays.toString(want) + ")");
            } else if (!Arrays.equals(t.shape(), want)) {
                problems.add("tensor '" + e.getKey() + "' has shape " + t.shapeText() + " but the model needs " + Arrays.toString(want));
            } else if (!t.dtype().isFloating()) {
                problems.add("tensor '" + e.getKey() + "' holds " + t.dtype() + " values; weights must be floating-point (F32, F16, BF16, F64)");
            }
        }
        Set<String> extra = new TreeSet<>();
        for (String name : tensors.keySet()) {
            if (!targets.containsKey(name) && !ignored.test(name)) {
                extra.add(name);
            }
        }
        if (!extra.isEmpty()) {
            problems.add("unexpected tensor" + (extra.size() > 1 ? "s " : " ") + summarize(extra)
                    + " (the architecture has no parameter of that name)");
        }
        if (!problems.isEmpty()) {
            throw new ModelLoadException(file.getFileName() + " does not fit the model: " + summarize(problems) + ".");
        }
        for (Map.Entry<String, Parameter> e : targets.entrySet()) {
            NDArray a = e.getValue().getArray();
            a.set(tensors.get(e.getKey()).toFloats());
        }
    }

    private static String summarize(Iterable<String> items) {
        List<String> list = new ArrayList<>();
        items.forEach(list::add);
        if (list.size() <= 8) {
            return String.join("; ", list);
        }
        return String.join("; ", list.subList(0, 8)) + "; and " + (list.size() - 8) + " more";
    }
}

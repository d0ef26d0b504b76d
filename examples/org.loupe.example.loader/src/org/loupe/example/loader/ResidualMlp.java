package org.loupe.example.loader;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import org.loupe.core.model.HookKind;
import org.loupe.core.model.HookRole;
import org.loupe.core.model.ModelLoadException;
import org.loupe.core.model.blocks.ClosingSequentialBlock;
import org.loupe.core.model.blocks.HookBlock;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Blocks;
import ai.djl.nn.ParallelBlock;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;

/**
 * The DJL blocks of a {@link ResidualMlpConfig}, with a hook point after the embedding
 * ({@code embed}), inside each block after its nonlinearity ({@code blocks.i.hidden}), after each
 * block's residual sum ({@code blocks.i.out}) and at the class scores ({@code logits}).
 *
 * <p>Its tensors, by PyTorch name and in the order of the raw weight file: {@code embed.weight}
 * [features, inputs], {@code embed.bias}, then per block {@code blocks.i.fc1.weight} [hidden,
 * features], {@code blocks.i.fc1.bias}, {@code blocks.i.fc2.weight} [features, hidden],
 * {@code blocks.i.fc2.bias}, and {@code head.weight} [classes, features], {@code head.bias}.
 */
public final class ResidualMlp {

    private final ResidualMlpConfig config;
    private final SequentialBlock block = new ClosingSequentialBlock();
    private final Map<String, Linear> linears = new LinkedHashMap<>();
    private final Map<String, Integer> units = new LinkedHashMap<>();

    /** Builds (not yet initialises) the blocks of {@code config}. */
    public ResidualMlp(ResidualMlpConfig config) {
        this.config = config;
        block.add(Blocks.batchFlattenBlock());
        block.add(linear("embed", config.features()));
        block.add(new HookBlock("embed", HookKind.VECTOR, HookRole.OTHER, -1, null));
        for (int i = 0; i < config.blocks(); i++) {
            String p = "blocks." + i;
            SequentialBlock branch = new SequentialBlock()
                    .add(linear(p + ".fc1", config.hidden()))
                    .add(Activation.reluBlock())
                    .add(new HookBlock(p + ".hidden", HookKind.VECTOR, HookRole.MLP_HIDDEN, i, null))
                    .add(linear(p + ".fc2", config.features()));
            block.add(new ParallelBlock(outs -> new NDList(outs.get(0).singletonOrThrow().add(outs.get(1).singletonOrThrow())),
                    List.of(Blocks.identityBlock(), branch)));
            block.add(new HookBlock(p + ".out", HookKind.VECTOR, HookRole.BLOCK_OUT, i, null));
        }
        block.add(linear("head", config.classes()));
        block.add(new HookBlock("logits", HookKind.LOGITS, HookRole.LOGITS, -1, null));
    }

    private Linear linear(String name, int units) {
        Linear l = Linear.builder().setUnits(units).build();
        linears.put(name, l);
        this.units.put(name, units);
        return l;
    }

    /** The block (initialised by {@link #initialize}). */
    public SequentialBlock block() {
        return block;
    }

    /** The tensors' names and shapes in the order of the raw weight file. */
    public Map<String, long[]> tensorShapes() {
        Map<String, long[]> shapes = new LinkedHashMap<>();
        int in = config.inputs();
        for (String name : linears.keySet()) {
            int out = units.get(name);
            shapes.put(name + ".weight", new long[] {out, in});
            shapes.put(name + ".bias", new long[] {out});
            in = name.endsWith(".fc1") ? out : config.features();
        }
        return shapes;
    }

    /** The number of float32 values of all tensors together. */
    public long parameterCount() {
        return tensorShapes().values().stream().mapToLong(s -> s.length == 1 ? s[0] : s[0] * s[1]).sum();
    }

    /**
     * Initialises the blocks in {@code manager} and sets the weights to {@code values} (all tensors
     * in file order, each row-major as PyTorch stores it).
     *
     * @throws ModelLoadException if the number of values is not the model's parameter count
     */
    public void initialize(NDManager manager, float[] values, String source) throws ModelLoadException {
        if (values.length != parameterCount()) {
            throw new ModelLoadException(source + " holds " + values.length + " float32 values; the model described needs "
                    + parameterCount() + " (" + String.join(", ", describeShapes()) + ").");
        }
        block.initialize(manager, DataType.FLOAT32, new Shape(1, config.channels(), config.height(), config.width()));
        int offset = 0;
        for (Map.Entry<String, Linear> e : linears.entrySet()) {
            for (String kind : new String[] {"weight", "bias"}) {
                NDArray a = e.getValue().getParameters().get(kind).getArray();
                int n = (int) a.size();
                float[] part = new float[n];
                System.arraycopy(values, offset, part, 0, n);
                a.set(part);
                offset += n;
            }
        }
    }

    /**
     * A seeded initialisation in file order: every weight and bias uniform in
     * [-1/sqrt(fan_in), 1/sqrt(fan_in)], PyTorch's default bound for linear layers.
     */
    public float[] seeded(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] values = new float[(int) parameterCount()];
        int offset = 0;
        long fanIn = config.inputs();
        for (Map.Entry<String, long[]> e : tensorShapes().entrySet()) {
            long[] s = e.getValue();
            if (s.length == 2) {
                fanIn = s[1];
            }
            double bound = 1 / Math.sqrt(fanIn);
            long n = s.length == 1 ? s[0] : s[0] * s[1];
            for (long k = 0; k < n; k++) {
                values[offset++] = (float) random.nextDouble(-bound, bound);
            }
        }
        return values;
    }

    private List<String> describeShapes() {
        List<String> out = new ArrayList<>();
        tensorShapes().forEach((n, s) -> out.add(n + " " + Arrays.toString(s)));
        return out;
    }
}

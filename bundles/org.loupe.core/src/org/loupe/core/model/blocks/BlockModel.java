package org.loupe.core.model.blocks;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import org.loupe.core.model.HookKind;
import org.loupe.core.model.HookPoint;
import org.loupe.core.model.HookedModel;
import org.loupe.core.model.Hooks;
import org.loupe.core.model.InputSpec;
import org.loupe.core.model.ModelInfo;
import org.loupe.core.model.ModelOutput;
import org.loupe.core.model.Range;
import org.loupe.core.model.UnknownHookPointException;

import ai.djl.engine.EngineException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;

/**
 * A {@link HookedModel} made of DJL blocks whose hook points are {@link HookBlock}s anywhere in the
 * block tree. Give it an initialised block with its weights loaded; it freezes the weights, finds the
 * hook blocks, and runs one forward pass on a zero input of the model's size to learn each hook
 * point's shape and the forward order.
 *
 * <p>Any pass can stop after any hook point. Passes can start at the hook points on the block's
 * {@link Trunk}: the block's own if it is {@link Resumable}, its children if it is a
 * {@code SequentialBlock}; a block that is neither has no resumable hook points.
 *
 * @since 0.1
 */
public class BlockModel implements HookedModel {

    private final ModelInfo info;
    private final InputSpec inputSpec;
    private final List<String> labels;
    private final Block net;
    private final NDManager owner;
    private final ParameterStore parameterStore;
    private final List<HookBlock> hookBlocks;
    private final Trunk trunk;
    private final Map<String, HookPoint> points;
    private final Map<String, Integer> order;
    private final List<HookPoint> ordered;
    /** Passes of this model and of its {@link #withWeights} views take turns: they share the hook blocks. */
    private final Object passes;
    /** Whether {@link #close()} closes the weights (false for a view). */
    private final boolean ownsWeights;

    /**
     * Wraps {@code net}.
     *
     * @param info      identity; a negative parameter count is replaced by the block's count of learned
     *                  parameters (BatchNorm running statistics are not counted, as in PyTorch)
     * @param inputSpec the input the block expects
     * @param labels    class labels (may be empty)
     * @param net       the initialised block with weights
     * @param owner     the manager holding the weights, closed with the model
     * @throws IllegalArgumentException if two hook blocks share a name, or one is never reached
     */
    public BlockModel(ModelInfo info, InputSpec inputSpec, List<String> labels, Block net, NDManager owner) {
        this.inputSpec = inputSpec;
        this.labels = List.copyOf(labels);
        this.net = net;
        this.owner = owner;
        this.parameterStore = new ParameterStore(owner, false);
        net.freezeParameters(true);
        long count = 0;
        for (Pair<String, Parameter> p : net.getParameters()) {
            Parameter.Type type = p.getValue().getType();
            if (type != Parameter.Type.RUNNING_MEAN && type != Parameter.Type.RUNNING_VAR) {
                count += p.getValue().getArray().size();
            }
        }
        this.info = info.parameterCount() >= 0 ? info
                : info.withParameterCount(count);
        this.hookBlocks = new ArrayList<>();
        collectHooks(net, hookBlocks);
        Map<String, HookBlock> byName = new HashMap<>();
        for (HookBlock h : hookBlocks) {
            if (byName.put(h.hookName(), h) != null) {
                throw new IllegalArgumentException("two hook points are called '" + h.hookName() + "'");
            }
        }
        this.trunk = net instanceof Resumable r ? r.trunk() : net instanceof SequentialBlock s ? Trunk.of(s) : null;
        this.ordered = discoverShapes(byName, trunk == null ? List.of() : trunk.resumablePoints());
        Map<String, HookPoint> m = new LinkedHashMap<>();
        Map<String, Integer> index = new HashMap<>();
        for (HookPoint p : ordered) {
            m.put(p.name(), p);
            index.put(p.name(), index.size());
        }
        this.points = Collections.unmodifiableMap(m);
        this.order = Map.copyOf(index);
        this.passes = new Object();
        this.ownsWeights = true;
    }

    /** A view of {@code base} whose passes read their weights from {@code store}. */
    private BlockModel(BlockModel base, ParameterStore store) {
        this.info = base.info;
        this.inputSpec = base.inputSpec;
        this.labels = base.labels;
        this.net = base.net;
        this.owner = base.owner;
        this.parameterStore = store;
        this.hookBlocks = base.hookBlocks;
        this.trunk = base.trunk;
        this.points = base.points;
        this.order = base.order;
        this.ordered = base.ordered;
        this.passes = base.passes;
        this.ownsWeights = false;
    }

    /**
     * A view of this model whose forward passes use the given arrays in place of some of its
     * weights (for example randomised copies), while this model and everyone else using it keep
     * seeing the original weights: nothing of this model is changed. The view shares the blocks,
     * so its passes and this model's take turns. Closing the view leaves this model and the
     * replacement arrays open; the caller closes the arrays after the view's last use.
     *
     * @param replacements for each replaced parameter, the array to use instead, of the same shape
     * @throws IllegalArgumentException if a parameter is not one of this model's, or a shape differs
     * @since 0.1
     */
    public BlockModel withWeights(Map<Parameter, NDArray> replacements) {
        Map<Parameter, NDArray> own = new java.util.IdentityHashMap<>();
        java.util.Set<Parameter> mine = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        for (Pair<String, Parameter> p : net.getParameters()) {
            mine.add(p.getValue());
        }
        for (Map.Entry<Parameter, NDArray> e : replacements.entrySet()) {
            Parameter p = e.getKey();
            if (!mine.contains(p)) {
                throw new IllegalArgumentException("parameter '" + p.getName() + "' is not a weight of model '" + info.name() + "'");
            }
            if (!e.getValue().getShape().equals(p.getArray().getShape())) {
                throw new IllegalArgumentException("the replacement for weight '" + p.getName() + "' has shape " + e.getValue().getShape()
                        + ", the weight has " + p.getArray().getShape() + ": give an array of the weight's shape");
            }
            own.put(p, e.getValue());
        }
        ParameterStore base = parameterStore;
        return new BlockModel(this, new ParameterStore(owner, false) {
            @Override
            public NDArray getValue(Parameter parameter, ai.djl.Device device, boolean training) {
                NDArray replaced = own.get(parameter);
                return replaced != null ? replaced : base.getValue(parameter, device, training);
            }
        });
    }

    private static void collectHooks(Block block, List<HookBlock> out) {
        if (block instanceof HookBlock h) {
            out.add(h);
        }
        for (Pair<String, Block> child : block.getChildren()) {
            collectHooks(child.getValue(), out);
        }
    }

    private List<HookPoint> discoverShapes(Map<String, HookBlock> byName, List<String> resumable) {
        List<HookPoint> result = new ArrayList<>();
        try (NDManager m = owner.newSubManager()) {
            NDArray zeros = m.zeros(new Shape(1, inputSpec.channels(), inputSpec.height(), inputSpec.width()));
            HookRun run = new HookRun(Hooks.cacheAll(), Map.of(), null);
            runWith(run, () -> net.forward(parameterStore, new NDList(zeros), false));
            for (String name : run.cache().names()) {
                NDArray a = run.cache().get(name);
                HookBlock h = byName.get(name);
                result.add(new HookPoint(name, h.kind(), a.getShape().slice(1), h.role(), h.blockIndex(), h.layout(),
                        resumable.contains(name)));
            }
        }
        if (result.size() != byName.size()) {
            List<String> missing = byName.keySet().stream()
                    .filter(n -> result.stream().noneMatch(p -> p.name().equals(n))).toList();
            throw new IllegalArgumentException("hook points never reached by a forward pass: " + missing);
        }
        return List.copyOf(result);
    }

    private NDArray runWith(HookRun run, Supplier<NDList> pass) {
        for (HookBlock h : hookBlocks) {
            h.bind(run);
        }
        try {
            return pass.get().singletonOrThrow();
        } catch (HookRun.Stop stop) {
            return stop.activation;
        } finally {
            for (HookBlock h : hookBlocks) {
                h.bind(null);
            }
        }
    }

    @Override
    public ModelInfo info() {
        return info;
    }

    @Override
    public InputSpec inputSpec() {
        return inputSpec;
    }

    @Override
    public List<HookPoint> hookPoints() {
        return ordered;
    }

    @Override
    public List<String> labels() {
        return labels;
    }

    /** The underlying block, for architecture-specific tools (weights views). */
    public Block block() {
        return net;
    }

    @Override
    public ModelOutput forward(NDArray input, Hooks hooks, Range range) {
        synchronized (passes) {
            return pass(input, hooks, range);
        }
    }

    private ModelOutput pass(NDArray input, Hooks hooks, Range range) {
        int first = range.from() == null ? 0 : index(range.from());
        int last = range.stopAfter() == null ? ordered.size() - 1 : index(range.stopAfter());
        if (range.from() != null && !points.get(range.from()).resumable()) {
            String nearest = resumePointFor(range.from()).map(HookPoint::name).orElse(null);
            throw new IllegalArgumentException("a pass cannot start at '" + range.from() + "': it lies inside a block or branch that cannot be "
                    + "resumed alone. " + (nearest != null ? "Start at '" + nearest + "' (the nearest resumable point before it) and "
                    + "intervene at '" + range.from() + "'." : "No hook point before it is resumable: start at the input."));
        }
        if (last < first) {
            throw new IllegalArgumentException("the pass would stop after '" + range.stopAfter() + "', which comes before its start '"
                    + range.from() + "'");
        }
        for (String name : hooks.referencedNames()) {
            int i = index(name);
            if (i < first || i > last) {
                throw new IllegalArgumentException("the hooks name '" + name + "', which this pass does not reach (it runs "
                        + (range.from() == null ? "from the input" : "from '" + range.from() + "'") + " "
                        + (range.stopAfter() == null ? "to the output" : "up to '" + range.stopAfter() + "'") + ")");
            }
        }
        Shape s = input.getShape();
        if (range.from() == null) {
            if (s.dimension() != 4 || s.get(1) != inputSpec.channels()) {
                throw new IllegalArgumentException("model '" + info.name() + "' takes a batch [N, " + inputSpec.channels() + ", "
                        + inputSpec.height() + ", " + inputSpec.width() + "], got " + s);
            }
        } else {
            checkActivation(points.get(range.from()), s);
        }
        HookRun run = new HookRun(hooks, points, range.stopAfter());
        try {
            NDArray out = range.from() == null ? runWith(run, () -> net.forward(parameterStore, new NDList(input), false))
                    : runWith(run, () -> new NDList(trunk.forwardFrom(parameterStore, range.from(), input, false)));
            return new ModelOutput(out, run.cache());
        } catch (EngineException e) {
            throw new IllegalArgumentException("model '" + info.name() + "' failed on an input of shape " + s + " (it expects "
                    + inputSpec.height() + "x" + inputSpec.width() + "): " + e.getMessage(), e);
        }
    }

    private int index(String name) {
        Integer i = order.get(name);
        if (i == null) {
            throw UnknownHookPointException.of(name, this);
        }
        return i;
    }

    /** Checks that {@code s} is a batch of activations of {@code p} (conv maps may differ in size, as inputs may). */
    private static void checkActivation(HookPoint p, Shape s) {
        Shape expected = p.shape();
        boolean ok = s.dimension() == expected.dimension() + 1;
        if (ok && p.kind() == HookKind.CONV_CHANNELS) {
            ok = s.get(1) == expected.get(0);
        } else if (ok) {
            ok = s.slice(1).equals(expected);
        }
        if (!ok) {
            throw new IllegalArgumentException("a pass from '" + p.name() + "' takes a batch of its activations [N, "
                    + expected.toString().replaceAll("[()]", "") + "], got " + s);
        }
    }

    /**
     * The number of arrays the model's own manager holds: the weights, plus anything a block
     * wrongly attached there. It must not grow with forward passes (tests check it).
     */
    public int residentArrays() {
        return owner.getManagedArrays().size();
    }

    @Override
    public void close() {
        if (ownsWeights) {
            owner.close();
        }
    }
}

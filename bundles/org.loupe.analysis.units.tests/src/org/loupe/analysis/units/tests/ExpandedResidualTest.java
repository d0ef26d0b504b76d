package org.loupe.analysis.units.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.loupe.analysis.units.tests.ExpandedWeightsTest.assertRefused;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.loupe.analysis.units.internal.Expansion;
import org.loupe.core.model.HookedModel;
import org.loupe.core.model.Hooks;
import org.loupe.core.model.Range;
import org.loupe.core.model.blocks.BlockModel;
import org.loupe.core.model.blocks.HookBlock;
import org.loupe.djl.LoupeEngine;
import org.loupe.models.io.Tensor;
import org.loupe.testing.Oracle;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;

/**
 * Expanded weights across residual blocks: on a torchvision ResNet-18 with seeded weights (written by
 * {@code oracle/expanded.py resnet}), the skip connection of a downsampling block and the start of its
 * branch against PyTorch's autograd, an identity skip whose branch is zeroed against the model's own
 * response to impulses, and the refusals; on a hand-built residual network with linear branches
 * ({@link LinearResNet}), skip plus branch in closed form and against the model's response to impulses
 * across two blocks and an average pooling.
 */
class ExpandedResidualTest {

    static final String EXPANDED = "org.loupe.analysis.expandedWeights";

    @TempDir
    Path dir;

    /** The seeded ResNet-18 and its references, made once per build. */
    static Path resnet() throws Exception {
        Path d = Oracle.work("expanded-resnet");
        Oracle.run(d.resolve("resnet18_expanded.npz"), "expanded.py", "resnet", d.toString());
        return d;
    }

    @Test
    void acrossADownsamplingBlockTheSkipConnectionAndTheBranchStartMatchPyTorch() throws Exception {
        Path d = resnet();
        Fixture f = new Fixture(dir);
        Map<String, Tensor> ref = Oracle.refs(d.resolve("resnet18_expanded.npz"));
        try (HookedModel net = f.registry.openModel(d.resolve("resnet18.safetensors").toString(), null);
                NDManager m = LoupeEngine.get().newBaseManager()) {
            Expansion.Kernel k = Expansion.between(net, "layer1", "layer2.0.add", m);
            assertEquals(List.of("layer2.0.add (skip downsample.0-downsample.1 only)"), k.path());
            assertEquals(List.of(1, 1, 2, 0), List.of(k.kh(), k.kw(), k.stride(), k.padding()));
            assertEquals(List.of("through the skip connection of layer2.0 (downsample.0-downsample.1) only: the branch "
                    + "conv1-bn1-relu1-conv2-bn2 is not linear at 'layer2.0.relu1' (act) and is left out (the Circuits convention for a "
                    + "nonlinear branch)"), k.notes());
            for (int unit : new int[] {0, 77}) {
                ExpandedWeightsTest.assertEqualsAutograd(k, ref, ".add." + unit, unit, 56, 56);
            }
            Expansion.Kernel b = Expansion.between(net, "layer1", "layer2.0.bn1", m);
            assertEquals(List.of("layer2.0.conv1", "layer2.0.bn1"), b.path());
            assertEquals(List.of(3, 3, 2, 1), List.of(b.kh(), b.kw(), b.stride(), b.padding()));
            assertEquals(List.of(), b.notes());
            for (int unit : new int[] {0, 77}) {
                ExpandedWeightsTest.assertEqualsAutograd(b, ref, ".bn1." + unit, unit, 56, 56);
            }
            String summary = Fixture.summary(f.run(EXPANDED, net, "layer2.0.add", 3, null, Map.of("from", "layer1"), null));
            System.out.println("summary: " + summary);
            assertTrue(summary.startsWith("layer2.0.add:3 reads the 64 units of layer1 through layer2.0.add (skip "
                    + "downsample.0-downsample.1 only): the expanded kernels are 1x1 (total stride 2)."), summary);
            assertTrue(summary.endsWith(" Approximate: " + k.notes().get(0) + "."), summary);
        }
    }

    @Test
    void anIdentitySkipWhoseBranchIsZeroedIsExactlyTheIdentityAsTheModelComputesIt() throws Exception {
        Path d = resnet();
        Fixture f = new Fixture(dir);
        try (HookedModel net = f.registry.openModel(d.resolve("resnet18.safetensors").toString(), null);
                NDManager m = LoupeEngine.get().newBaseManager()) {
            Expansion.Kernel k = Expansion.between(net, "maxpool", "layer1.0.add", m);
            assertEquals(List.of(64, 64, 1, 1, 1, 0), List.of(k.out(), k.in(), k.kh(), k.kw(), k.stride(), k.padding()));
            for (int u = 0; u < 64; u++) {
                for (int c = 0; c < 64; c++) {
                    assertEquals(u == c ? 1f : 0f, k.weight()[u * 64 + c], 0f, "the identity skip, " + u + " <- " + c);
                }
            }
            assertTrue(k.notes().get(0).startsWith("through the skip connection of layer1.0 (identity) only: the branch "
                    + "conv1-bn1-relu1-conv2-bn2 is not linear"), k.notes().toString());
            BlockModel bm = (BlockModel) net;
            Block bn2 = layer(bm, "layer1.0.bn2");
            NDArray zeroGamma = m.zeros(bn2.getParameters().get("gamma").getArray().getShape());
            NDArray zeroBeta = m.zeros(bn2.getParameters().get("beta").getArray().getShape());
            Map<Parameter, NDArray> zeroed = Map.of(bn2.getParameters().get("gamma"), zeroGamma, bn2.getParameters().get("beta"), zeroBeta);
            try (BlockModel cut = bm.withWeights(zeroed)) {
                double worst = impulseResponseMinusImpulse(cut, m);
                assertEquals(0, worst, 0, "with the branch zeroed, layer1.0.add is its input: the identity kernel exactly");
                System.out.printf(Locale.ROOT, "zeroed branch: response - impulse, max %.3g%n", worst);
            }
            double full = impulseResponseMinusImpulse(bm, m);
            assertTrue(full > 1e-3, "with its branch the block is not the identity (hence the note): " + full);
        }
    }

    /** The largest difference between layer1.0.add's response to impulses at maxpool (minus its response to zero) and the impulses. */
    private static double impulseResponseMinusImpulse(HookedModel model, NDManager m) {
        int[] channels = {0, 17, 63};
        int n = channels.length * 9;
        try (NDManager s = m.newSubManager()) {
            float[] x = new float[(n + 1) * 64 * 56 * 56];
            int j = 0;
            for (int c : channels) {
                for (int y = 27; y <= 29; y++) {
                    for (int xx = 27; xx <= 29; xx++) {
                        x[((j++ * 64 + c) * 56 + y) * 56 + xx] = 1;
                    }
                }
            }
            NDArray in = s.create(x, new Shape(n + 1, 64, 56, 56));
            NDArray add = model.forward(in, Hooks.cache("layer1.0.add"), new Range("maxpool", "layer1.0.add")).cache().get("layer1.0.add");
            NDArray response = add.get("0:" + n).sub(add.get(n + ":"));
            return response.sub(in.get("0:" + n)).abs().max().getFloat();
        }
    }

    private static Block layer(BlockModel model, String name) {
        for (var child : model.block().getChildren()) {
            if (!(child.getValue() instanceof HookBlock) && child.getKey().endsWith(name)) {
                return child.getValue();
            }
        }
        throw new AssertionError("no layer " + name);
    }

    @Test
    void badFromAndToAreRefusedNamingTheLayerAndWhatToChoose() throws Exception {
        Path d = resnet();
        Fixture f = new Fixture(dir);
        try (HookedModel net = f.registry.openModel(d.resolve("resnet18.safetensors").toString(), null)) {
            assertRefused(f, net, "layer1.0.add", "layer1.0.relu1", "'layer1.0.relu1' is inside block 'layer1.0', not on the residual "
                    + "stream, and 'layer1.0.add' also reads the block's input 'maxpool' through the skip connection: choose from= 'maxpool'");
            assertRefused(f, net, "layer1.0.add", "relu", "'maxpool' (max pooling) is not", "choose from= at or after 'maxpool'");
            assertRefused(f, net, "layer1.1.add", "maxpool",
                    "'layer1.0' (the nonlinearity after the residual sum 'layer1.0.add') is not", "choose from= at or after 'layer1.0'");
            assertRefused(f, net, "layer1.0.conv2", "maxpool", "'layer1.0.relu1' (act) is not", "choose from= at or after 'layer1.0.relu1'");
            assertRefused(f, net, "layer1.0.conv1", "layer1.0.add", "'layer1.0.add' does not come before 'layer1.0.conv1'");
            assertRefused(f, net, "layer2.0.downsample", "layer2.0.bn1", "'layer2.0.bn1' is inside block 'layer2.0', not on the residual "
                    + "stream", "choose from= 'layer1'");
            assertRefused(f, net, "layer2.1.add", "layer2.0.bn2", "'layer2.0.bn2' is inside block 'layer2.0', not on the residual stream");
        }
    }

    @Test
    void aLinearBranchIsAddedToTheSkipConnectionInClosedForm() throws Exception {
        float slope = (float) (2 / Math.sqrt(3 + 1e-5));
        try (NDManager m = LoupeEngine.get().newBaseManager();
                BlockModel net = LinearResNet.build(m.newSubManager(), (layer, param) -> switch (layer + "." + param) {
                // only b.conv1[0, 0] = 1..9, b.conv2[0, 0] = a shift (the centre's right neighbour), b.downsample 3 and -1 on the diagonal
                case "b.conv1.weight" -> at(54, new float[] {1, 2, 3, 4, 5, 6, 7, 8, 9}, 0);
                case "b.conv1.bias" -> new float[] {0.5f, -0.5f};
                case "b.bn1.gamma" -> new float[] {2, 1};
                case "b.bn1.beta" -> new float[] {0.1f, 0};
                case "b.bn1.runningMean" -> new float[] {0.5f, 0};
                case "b.bn1.runningVar" -> new float[] {3, 1};
                case "b.conv2.weight" -> at(36, new float[] {1}, 5);
                case "b.downsample.weight" -> new float[] {3, 0, 0, 0, -1, 0};
                default -> new float[layer.startsWith("c") ? 36 : 0];
            })) {
            Expansion.Kernel k = Expansion.between(net, "in", "b.add", m);
            assertEquals(List.of(5, 5, 1, 2), List.of(k.kh(), k.kw(), k.stride(), k.padding()));
            assertEquals(List.of("b.add (skip downsample + branch conv1-bn1-conv2)"), k.path());
            assertEquals(List.of(), k.notes(), "skip + a linear branch is exact");
            float[] e00 = new float[25];
            for (int r = 0; r < 3; r++) {
                for (int t = 0; t < 3; t++) {
                    e00[(r + 1) * 5 + t + 2] = slope * (r * 3 + t + 1); // K shifted one row down (the centre) and two columns right
                }
            }
            e00[12] += 3;
            assertArrayEquals(e00, k.asConv("in").slice(0, 0), 1e-6f, "unit 0 <- input 0: the shifted branch kernel plus the skip's 3");
            float[] e11 = new float[25];
            e11[12] = -1;
            assertArrayEquals(e11, k.asConv("in").slice(1, 1), 0f, "unit 1 <- input 1: the skip's -1 alone");
            assertArrayEquals(new float[25], k.asConv("in").slice(1, 0), 0f);
            Expansion.Kernel id = Expansion.between(net, "b.add", "c.add", m);
            assertArrayEquals(new float[] {0, 0, 0, 0, 1, 0, 0, 0, 0}, id.asConv("b.add").slice(0, 0), 0f,
                    "a zeroed linear branch plus the identity skip: the identity kernel");
            assertArrayEquals(new float[9], id.asConv("b.add").slice(0, 1), 0f);
            assertImpulseResponse(net, "b.add", k, m);
        }
    }

    @Test
    void acrossTwoLinearBlocksAndAnAveragePoolingTheKernelIsTheModelsImpulseResponse() throws Exception {
        Random random = new Random(15);
        try (NDManager m = LoupeEngine.get().newBaseManager();
                BlockModel net = LinearResNet.build(m.newSubManager(), (layer, param) -> {
                int n = switch (layer + "." + param) {
                    case "b.conv1.weight" -> 54;
                    case "b.conv2.weight", "c.conv1.weight" -> 36;
                    case "b.downsample.weight" -> 6;
                    default -> 2;
                };
                float[] v = new float[n];
                for (int i = 0; i < n; i++) {
                    v[i] = param.equals("runningVar") || param.equals("gamma") ? 0.5f + random.nextFloat() : (float) random.nextGaussian();
                }
                return v;
            })) {
            Expansion.Kernel add = Expansion.between(net, "in", "c.add", m);
            assertEquals(List.of("b.add (skip downsample + branch conv1-bn1-conv2)", "c.add (skip identity + branch conv1)"), add.path());
            assertEquals(List.of(7, 7, 1, 3), List.of(add.kh(), add.kw(), add.stride(), add.padding()));
            assertImpulseResponse(net, "c.add", add, m);
            Expansion.Kernel pool = Expansion.between(net, "in", "pool", m);
            assertEquals(List.of(8, 8, 2, 3), List.of(pool.kh(), pool.kw(), pool.stride(), pool.padding()));
            assertImpulseResponse(net, "pool", pool, m);
            Expansion.Kernel skip = Expansion.between(net, "in", "b.downsample", m);
            assertEquals(List.of("b.downsample"), skip.path());
            assertImpulseResponse(net, "b.downsample", skip, m);
        }
    }

    /** {@code values} at offset {@code offset} of {@code n} zeros. */
    private static float[] at(int n, float[] values, int offset) {
        float[] a = new float[n];
        System.arraycopy(values, 0, a, offset, values.length);
        return a;
    }

    /**
     * Checks that the response of {@code to} at an interior position, every unit, to a unit impulse at
     * each input position (minus the response to zero) is {@code k} inside its window and zero outside.
     */
    private static void assertImpulseResponse(HookedModel net, String to, Expansion.Kernel k, NDManager m) {
        int c = 3;
        int size = LinearResNet.SIZE;
        int n = c * size * size;
        try (NDManager s = m.newSubManager()) {
            float[] x = new float[(n + 1) * n];
            for (int j = 0; j < n; j++) {
                x[j * n + j] = 1;
            }
            NDArray out = net.forward(s.create(x, new Shape(n + 1, c, size, size)), Hooks.cache(to), Range.until(to)).cache().get(to);
            int h = (int) out.getShape().get(2);
            int w = (int) out.getShape().get(3);
            int y0 = h / 2;
            int x0 = w / 2;
            float[] v = out.toFloatArray();
            int per = k.out() * h * w;
            double worst = 0;
            for (int j = 0; j < n; j++) {
                int ci = j / (size * size);
                int r = j / size % size - (y0 * k.stride() - k.padding());
                int t = j % size - (x0 * k.stride() - k.padding());
                for (int u = 0; u < k.out(); u++) {
                    int at = (u * h + y0) * w + x0;
                    float response = v[j * per + at] - v[n * per + at];
                    boolean inside = r >= 0 && r < k.kh() && t >= 0 && t < k.kw();
                    float expected = inside ? k.weight()[((u * k.in() + ci) * k.kh() + r) * k.kw() + t] : 0;
                    assertEquals(expected, response, 1e-4, to + ":" + u + " <- input " + ci + " at " + (j / size % size) + ", " + (j % size));
                    worst = Math.max(worst, Math.abs(expected - response));
                }
            }
            System.out.printf(Locale.ROOT, "expanded kernel into %s vs the model's impulse response: max difference %.3g%n", to, worst);
        }
    }
}

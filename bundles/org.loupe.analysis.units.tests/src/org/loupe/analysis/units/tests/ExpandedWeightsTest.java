package org.loupe.analysis.units.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.loupe.analysis.units.internal.Expansion;
import org.loupe.core.analysis.AnalysisException;
import org.loupe.core.model.HookedModel;
import org.loupe.core.result.CompositeResult;
import org.loupe.core.result.TableResult;
import org.loupe.core.result.UnitRef;
import org.loupe.djl.LoupeEngine;
import org.loupe.models.io.Tensor;
import org.loupe.testing.Oracle;

import ai.djl.ndarray.NDManager;

/**
 * Expanded weights in a sequential stretch: the closed form for two stacked convolutions (the full
 * convolution of their kernels) and for an average pooling alone, PyTorch's autograd through a
 * stretch of convolutions, stride, batch norm and average pooling, and the refusal of a stretch with
 * a ReLU or a max pooling. Residual blocks: {@link ExpandedResidualTest}.
 */
class ExpandedWeightsTest {

    static final String EXPANDED = "org.loupe.analysis.expandedWeights";

    static final String CONFIG = """
            {"architecture": "sequential-cnn", "name": "Expanded CNN",
             "input": {"channels": 3, "height": 20, "width": 20},
             "layers": [{"name": "conv1", "type": "conv2d", "out_channels": 4, "kernel": 3, "padding": 1},
                        {"name": "relu1", "type": "relu"},
                        {"name": "conv2", "type": "conv2d", "out_channels": 6, "kernel": 3, "stride": 2, "padding": 1},
                        {"name": "bn2", "type": "batchnorm2d"}, {"name": "drop", "type": "dropout"},
                        {"name": "conv3", "type": "conv2d", "out_channels": 5, "kernel": 3, "padding": 1},
                        {"name": "relu3", "type": "relu"}]}
            """;

    /** A stretch with a 3x3 average pooling of stride 2 and padding 1 between a batch norm and a convolution. */
    static final String POOLED = """
            {"architecture": "sequential-cnn", "name": "Pooled CNN",
             "input": {"channels": 3, "height": 20, "width": 20},
             "layers": [{"name": "conv1", "type": "conv2d", "out_channels": 4, "kernel": 3, "padding": 1},
                        {"name": "relu1", "type": "relu"},
                        {"name": "conv2", "type": "conv2d", "out_channels": 6, "kernel": 3, "padding": 1},
                        {"name": "bn2", "type": "batchnorm2d"},
                        {"name": "pool", "type": "avgpool2d", "kernel": 3, "stride": 2, "padding": 1},
                        {"name": "conv3", "type": "conv2d", "out_channels": 5, "kernel": 3, "padding": 1},
                        {"name": "pool2", "type": "maxpool2d", "kernel": 2},
                        {"name": "conv4", "type": "conv2d", "out_channels": 3, "kernel": 1}]}
            """;

    @TempDir
    Path dir;

    @Test
    void twoStackedConvsComposeToTheFullConvolutionOfTheirKernels() throws Exception {
        Fixture f = new Fixture(dir);
        try (HookedModel net = f.planted("stacked", """
                {"architecture": "sequential-cnn", "name": "Stacked",
                 "input": {"channels": 1, "height": 8, "width": 8},
                 "layers": [{"name": "in", "type": "dropout"},
                            {"name": "conv1", "type": "conv2d", "out_channels": 1, "kernel": 2, "bias": false},
                            {"name": "conv2", "type": "conv2d", "out_channels": 1, "kernel": 2, "bias": false}]}
                """, Map.of("conv1.weight", new float[] {1, 2, 3, 4}, "conv2.weight", new float[] {0, 1, 1, 0}),
                Map.of("conv1.weight", new long[] {1, 1, 2, 2}, "conv2.weight", new long[] {1, 1, 2, 2}));
                NDManager m = LoupeEngine.get().newBaseManager()) {
            Expansion.Kernel k = Expansion.between(net, "in", "conv2", m);
            // sum over p, q of W2[p, q] W1[a - p, b - q]: W1 shifted right plus W1 shifted down
            assertArrayEquals(new float[] {0, 1, 2, 1, 5, 4, 3, 4, 0}, k.weight(), 0f);
            assertEquals(List.of(3, 3, 1, 0), List.of(k.kh(), k.kw(), k.stride(), k.padding()));
            CompositeResult r = f.run(EXPANDED, net, "conv2", 0, null, Map.of("from", "in"), null);
            TableResult t = Fixture.table(r, "Strongest expanded inputs of conv2:0");
            assertEquals(new UnitRef(net.info().id(), "in", 0), t.rows().get(0).get(1));
            assertEquals(Math.sqrt(72), (double) t.rows().get(0).get(2), 1e-6, "L2 of the expanded kernel");
            assertEquals(20.0, (double) t.rows().get(0).get(3), 1e-6, "sum of the expanded kernel: sum(W1) * sum(W2) = 10 * 2");
            assertEquals(1, Fixture.grid(r, "Expanded kernels from in").images().size());
        }
    }

    @Test
    void theExpandedKernelEqualsPyTorchAutogradThroughConvStrideAndBatchNorm() throws Exception {
        Fixture f = new Fixture(dir);
        Path model = Oracle.seqCnn("expanded", "expanded-cnn", CONFIG);
        try (HookedModel net = f.registry.openModel(model.resolve("expanded-cnn.json").toString(), null);
                NDManager m = LoupeEngine.get().newBaseManager()) {
            Expansion.Kernel k = Expansion.between(net, "relu1", "conv3", m);
            assertEquals(List.of("conv2", "bn2", "conv3"), k.path());
            assertEquals(List.of(7, 7, 2, 3), List.of(k.kh(), k.kw(), k.stride(), k.padding()));
            assertEquals(List.of(), k.notes(), "a linear stretch is exact");
            for (int unit : new int[] {0, 3}) {
                assertEqualsAutograd(k, oracle(model, "expanded-cnn", "relu1", "conv3", unit), unit, 20, 20);
            }
        }
    }

    @Test
    void averagePoolingComposesAsAUniformKernelWithItsStrideAndPaddingAsInPyTorch() throws Exception {
        Fixture f = new Fixture(dir);
        Path model = Oracle.seqCnn("expanded", "expanded-pool", POOLED);
        try (HookedModel net = f.registry.openModel(model.resolve("expanded-pool.json").toString(), null);
                NDManager m = LoupeEngine.get().newBaseManager()) {
            Expansion.Kernel k = Expansion.between(net, "relu1", "conv3", m);
            assertEquals(List.of("conv2", "bn2", "pool", "conv3"), k.path());
            // conv2 3x3 (4 - 1 = 2 more rows), the 3x3 pool (2 more), conv3 3x3 after the pool's stride 2 (2 x 2 more)
            assertEquals(List.of(9, 9, 2, 4), List.of(k.kh(), k.kw(), k.stride(), k.padding()));
            for (int unit : new int[] {1, 4}) {
                assertEqualsAutograd(k, oracle(model, "expanded-pool", "relu1", "conv3", unit), unit, 20, 20);
            }
            Expansion.Kernel pool = Expansion.between(net, "bn2", "pool", m);
            assertEquals(List.of(3, 3, 2, 1), List.of(pool.kh(), pool.kw(), pool.stride(), pool.padding()));
            for (int u = 0; u < pool.out(); u++) {
                for (int c = 0; c < pool.in(); c++) {
                    for (float w : pool.asConv("bn2").slice(u, c)) {
                        assertEquals(u == c ? 1 / 9f : 0f, w, 0f, "the pool alone: 1/9 on its own channel, 0 across channels");
                    }
                }
            }
        }
    }

    /** The oracle's gradient of {@code unit} of {@code to} at the centre of its map with respect to {@code from}. */
    private Map<String, Tensor> oracle(Path model, String base, String from, String to, int unit) throws Exception {
        Path out = dir.resolve(base + "_" + unit + ".npz");
        Oracle.run(out, "expanded.py", model.resolve("config/" + base + ".json").toString(), model.resolve(base + ".npz").toString(),
                from, to, Integer.toString(unit), out.toString());
        return Oracle.refs(out);
    }

    /**
     * Checks every weight of {@code unit}'s expanded kernel against the gradient {@code grad}
     * {@code [in, h, w]} of that unit at {@code pos} (at most 1e-5 apart), and that the whole gradient
     * lies inside the kernel's window; returns the largest difference.
     */
    static double assertEqualsAutograd(Expansion.Kernel k, Map<String, Tensor> ref, String key, int unit, int h, int w) {
        float[] grad = ref.get("grad" + key).toFloats();
        float[] pos = ref.get("pos" + key.replaceAll("\\.\\d+$", "")).toFloats();
        int y0 = (int) pos[0] * k.stride() - k.padding();
        int x0 = (int) pos[1] * k.stride() - k.padding();
        double inside = 0;
        double total = 0;
        double worst = 0;
        for (float g : grad) {
            total += (double) g * g;
        }
        for (int c = 0; c < k.in(); c++) {
            for (int r = 0; r < k.kh(); r++) {
                for (int s = 0; s < k.kw(); s++) {
                    float g = grad[(c * h + y0 + r) * w + x0 + s];
                    float e = k.weight()[((unit * k.in() + c) * k.kh() + r) * k.kw() + s];
                    assertEquals(g, e, 1e-5, "unit " + unit + " input " + c + " at (" + r + ", " + s + ")");
                    worst = Math.max(worst, Math.abs(g - e));
                    inside += (double) g * g;
                }
            }
        }
        assertTrue(inside > 1e-4, "a kernel that matters: " + inside);
        assertEquals(total, inside, 1e-9 * Math.max(1, total), "autograd's gradient lies inside the expanded kernel's window");
        System.out.printf(java.util.Locale.ROOT, "expanded kernel vs autograd%s, unit %d: max difference %.3g%n", key, unit, worst);
        return worst;
    }

    private static void assertEqualsAutograd(Expansion.Kernel k, Map<String, Tensor> ref, int unit, int h, int w) {
        assertEqualsAutograd(k, ref, "", unit, h, w);
    }

    @Test
    void aStretchWithAReluIsRefusedNamingTheRelu() throws Exception {
        Fixture f = new Fixture(dir);
        Path model = Oracle.seqCnn("expanded", "expanded-cnn", CONFIG);
        try (HookedModel net = f.registry.openModel(model.resolve("expanded-cnn.json").toString(), null)) {
            assertRefused(f, net, "conv3", "conv1", "'relu1' (act) is not", "choose from= at or after 'relu1'");
            assertRefused(f, net, "conv2", "conv3", "'conv3' does not come before 'conv2'");
        }
    }

    /** Checks that expanded weights into {@code to} from {@code from} are refused with a message holding every one of {@code parts}. */
    static void assertRefused(Fixture f, HookedModel net, String to, String from, String... parts) {
        AnalysisException e = assertThrows(AnalysisException.class, () -> f.run(EXPANDED, net, to, 0, null, Map.of("from", from), null));
        for (String p : parts) {
            assertTrue(e.getMessage().contains(p), e.getMessage());
        }
    }

    @Test
    void aStretchAcrossAMaxPoolIsRefusedNamingThePool() throws Exception {
        Fixture f = new Fixture(dir);
        Path model = Oracle.seqCnn("expanded", "expanded-pool", POOLED);
        try (HookedModel net = f.registry.openModel(model.resolve("expanded-pool.json").toString(), null)) {
            assertRefused(f, net, "conv4", "conv3", "'pool2' (max pooling) is not", "choose from= at or after 'pool2'");
        }
    }
}

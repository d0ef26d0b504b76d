package org.loupe.models.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.loupe.testing.Close.assertClose;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.loupe.core.model.Gradients;
import org.loupe.core.model.HookPoint;
import org.loupe.core.model.HookedModel;
import org.loupe.core.model.Hooks;
import org.loupe.core.model.ModelOutput;
import org.loupe.core.registry.LoupeRegistry;
import org.loupe.djl.LoupeEngine;
import org.loupe.models.io.Tensor;
import org.loupe.testing.Oracle;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * The sequential-CNN loader against PyTorch: the same network with seeded random weights, built by
 * oracle/seqcnn.py; outputs, every recorded activation, input gradients and hook-point gradients
 * must match within 1e-4 of the tensor's scale.
 */
class SeqCnnGoldenTest {

    static final double TOL = 1e-4;
    static Path golden;

    @BeforeAll
    static void generate() throws Exception {
        golden = Oracle.work("golden");
        Path testdata = Path.of(System.getProperty("loupe.testdata"));
        for (String name : List.of("golden-cnn", "gray-flat", "odd-channels")) {
            Oracle.run(golden.resolve(name + "_ref.npz"), "seqcnn.py", testdata.resolve(name + ".json").toString(), golden.toString());
        }
    }

    @Test
    void goldenCnnFromSafetensorsMatchesPyTorch() throws Exception {
        check("golden-cnn", "conv2");
    }

    @Test
    void grayFlattenCnnFromNpzMatchesPyTorch() throws Exception {
        check("gray-flat", "conv");
    }

    /**
     * 20, 24 and 40 input channels with 3x3 and 5x5 kernels: where libtorch's oneDNN forward
     * convolution is wrong on AVX-512 machines (see org.loupe.djl.Convolutions).
     */
    @Test
    void oddChannelCountsMatchPyTorch() throws Exception {
        check("odd-channels", "conv3");
    }

    private static void check(String name, String objectiveLayer) throws Exception {
        Map<String, Tensor> ref = Oracle.refs(golden.resolve(name + "_ref.npz"));
        try (HookedModel model = new LoupeRegistry().openModel(golden.resolve(name + ".json").toString(), null);
                NDManager m = LoupeEngine.get().newBaseManager()) {
            Tensor in = ref.get("input");
            NDArray x = m.create(in.toFloats(), new Shape(in.shape()));
            ModelOutput out = model.forward(x, Hooks.cacheAll());
            assertClose(ref.get("logits").toFloats(), out.output().toFloatArray(), TOL, name + " logits");
            int compared = 0;
            for (HookPoint p : model.hookPoints()) {
                Tensor a = ref.get("act." + p.name());
                assertEquals(new Shape(a.shape()).slice(1), p.shape(), "shape of " + p.name());
                assertClose(a.toFloats(), out.cache().get(p.name()).toFloatArray(), TOL, name + " activation " + p.name());
                compared++;
            }
            assertEquals(ref.keySet().stream().filter(k -> k.startsWith("act.")).count(), compared);

            String[] all = model.hookPoints().stream().map(HookPoint::name).toArray(String[]::new);
            Gradients.Result g = Gradients.backward(model, x, Hooks.builder().gradient(all).build(),
                    o -> o.cache().get(objectiveLayer).get(":, 1").mean().add(o.output().get(":, 0").sum()));
            assertClose(ref.get("objective").toFloats(), new float[] {g.objective().getFloat()}, TOL, name + " objective");
            assertClose(ref.get("grad.input").toFloats(), g.inputGradient().toFloatArray(), TOL, name + " input gradient");
            for (String h : all) {
                assertClose(ref.get("grad." + h).toFloats(), g.output().cache().gradient(h).toFloatArray(), TOL, name + " gradient at " + h);
            }
        }
    }
}

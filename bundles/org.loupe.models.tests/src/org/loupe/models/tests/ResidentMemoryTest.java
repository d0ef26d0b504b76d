package org.loupe.models.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.loupe.core.model.Gradients;
import org.loupe.core.model.HookPoint;
import org.loupe.core.model.HookedModel;
import org.loupe.core.model.Hooks;
import org.loupe.core.model.Interventions;
import org.loupe.core.model.blocks.BlockModel;
import org.loupe.core.registry.LoupeRegistry;
import org.loupe.djl.LoupeEngine;
import org.loupe.testing.Oracle;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * Forward and backward passes leave nothing behind in a model's own NDManager: every activation,
 * gradient and temporary belongs to the caller's manager and is freed with it. (An op's result
 * belongs to its first operand's manager, so a block that starts a computation from a weight leaks
 * a pass's worth of memory each time.)
 */
class ResidentMemoryTest {

    @Test
    void passesLeaveTheWeightsManagerAsItWas() throws Exception {
        Path vit = VitOracle.generate("small", "tv_small");
        Path golden = Oracle.work("golden");
        Oracle.run(golden.resolve("odd-channels_ref.npz"), "seqcnn.py",
                Path.of(System.getProperty("loupe.testdata")).resolve("odd-channels.json").toString(), golden.toString());
        Path zoo = ZooFiles.ensure("googlenet");
        for (String spec : List.of(vit.resolve("tv_small.safetensors").toString(), golden.resolve("odd-channels.json").toString(),
                zoo.resolve("googlenet.safetensors").toString(), "seq-cnn-seeded")) {
            try (HookedModel model = new LoupeRegistry().openModel(spec, null)) {
                BlockModel m = (BlockModel) model;
                int before = m.residentArrays();
                var in = model.inputSpec();
                HookPoint first = model.hookPoints().get(1);
                for (int i = 0; i < 3; i++) {
                    try (NDManager run = LoupeEngine.get().newBaseManager()) {
                        NDArray x = run.randomNormal(new Shape(2, in.channels(), in.height(), in.width()));
                        model.forward(x, Hooks.cacheAll());
                        model.forward(x, Hooks.builder().intervene(first.name(), Interventions.add(run.ones(new Shape(1)), 0.5f)).build());
                        Gradients.backward(model, x, Hooks.builder().gradient(first.name()).build(), o -> o.output().sum());
                    }
                }
                assertEquals(before, m.residentArrays(), spec + ": arrays left in the model's manager after 3 rounds of passes");
            }
        }
    }
}

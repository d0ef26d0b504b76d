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
 * a pass's worth of memory each time.) And a pass closes its intermediates as they die, as PyTorch
 * frees them: what is left in the caller's manager is the input, the output and what the hooks
 * asked to keep.
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
                int before = -1;
                var in = model.inputSpec();
                HookPoint first = model.hookPoints().get(1);
                // the first round may leave what a model keeps once (convolutions with their batch norms folded in)
                for (int i = 0; i < 4; i++) {
                    if (i == 1) {
                        before = m.residentArrays();
                    }
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

    @Test
    void passesCloseTheirIntermediates() throws Exception {
        Path vit = VitOracle.generate("small", "tv_small");
        List<String> specs = new java.util.ArrayList<>(List.of(vit.resolve("tv_small.safetensors").toString(), "demo-cnn"));
        for (String arch : List.of("resnet18", "googlenet", "inceptionv1", "convnext-tiny")) {
            specs.add(ZooFiles.ensure(arch).resolve(arch + ".safetensors").toString());
        }
        for (String spec : specs) {
            try (HookedModel model = new LoupeRegistry().openModel(spec, null)) {
                var in = model.inputSpec();
                try (NDManager run = LoupeEngine.get().newBaseManager()) {
                    NDArray x = run.randomNormal(new Shape(2, in.channels(), in.height(), in.width()));
                    model.forward(x, Hooks.none());
                    assertEquals(2, run.getManagedArrays().size(), spec + ": arrays left by a pass recording nothing (input and output expected)");
                    var cached = model.forward(x, Hooks.cacheAll());
                    int points = model.hookPoints().size();
                    assertEquals(2 + 1 + points, run.getManagedArrays().size(), spec + ": arrays left by a pass recording every hook point");
                    for (HookPoint p : model.hookPoints()) {
                        // every recorded activation is still readable after the model closed its own handles
                        assertEquals(p.shape(), cached.cache().get(p.name()).getShape().slice(1), spec + ": " + p.name());
                        cached.cache().get(p.name()).sum().getFloat();
                    }
                }
            }
        }
    }
}

package org.loupe.models.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.loupe.core.model.HookedModel;
import org.loupe.core.model.Hooks;
import org.loupe.core.registry.LoupeRegistry;
import org.loupe.djl.LoupeEngine;
import org.loupe.testing.Oracle;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * torchvision's standard ViTs with seeded random weights against PyTorch (oracle/zoo_vit.py):
 * vit_b_16 and vit_b_32 at 224x224, and vit_l_16's shape with 4 blocks (generic: a real L/16 has 24).
 * The oracle records every hook point of the first, middle and last block (and all outside the
 * blocks), and gradients at two attention-probability hook points, an MLP hidden layer, a residual
 * stream, queries, the embedded tokens, the patch embedding and the pooled token.
 */
class VitTorchvisionGoldenTest {

    @ParameterizedTest(name = "{1}")
    @CsvSource({
            "b16, vit_b_16, vit-b-16, encoder.layers.encoder_layer_6.self_attention.probs",
            "b32, vit_b_32, vit-b-32, encoder.layers.encoder_layer_6.self_attention.probs",
            "l16, vit_l_16_4layers, vit, encoder.layers.encoder_layer_2.self_attention.probs"})
    void matchesPyTorch(String set, String name, String variant, String probs) throws Exception {
        long t0 = System.nanoTime();
        Path dir = VitOracle.generate(set, name);
        long t1 = System.nanoTime();
        try (HookedModel model = new LoupeRegistry().openModel(dir.resolve(name + ".safetensors").toString(), null)) {
            long t2 = System.nanoTime();
            assertEquals(variant, model.info().architecture());
            VitOracle.check(model, Oracle.refs(dir.resolve(name + "_ref.npz")), probs, name);
            long t3 = System.nanoTime();
            double forward = Double.MAX_VALUE;
            try (NDManager m = LoupeEngine.get().newBaseManager()) {
                NDArray x = m.randomNormal(new Shape(2, 3, 224, 224));
                for (int i = 0; i < 3; i++) {
                    long s = System.nanoTime();
                    model.forward(x, Hooks.none()).output().toFloatArray();
                    forward = Math.min(forward, (System.nanoTime() - s) / 1e9);
                }
            }
            System.out.printf("[vit golden] %s: oracle %.1f s, load %.2f s, check %.2f s, plain forward of 2 images %.3f s (best of 3)%n",
                    name, (t1 - t0) / 1e9, (t2 - t1) / 1e9, (t3 - t2) / 1e9, forward);
        }
    }
}

package org.loupe.models.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.loupe.core.model.Gradients;
import org.loupe.core.model.HookedModel;
import org.loupe.core.model.Hooks;
import org.loupe.core.model.ModelLoadException;
import org.loupe.core.model.Normalization;
import org.loupe.core.model.UnknownHookPointException;
import org.loupe.core.registry.LoupeRegistry;
import org.loupe.djl.LoupeEngine;
import org.loupe.models.io.Tensor;
import org.loupe.testing.Close;
import org.loupe.testing.Oracle;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * TorchScript models as black boxes (oracle/torchscript_models.py): a traced and a scripted
 * torchvision ResNet-18 with non-trivial BatchNorm statistics give PyTorch's logits before and after
 * several gradient passes (BatchNorm never switches to batch statistics), and PyTorch's input
 * gradients; a scripted CNN takes its input size, normalisation, labels and name from its sidecar;
 * hook points are refused with a message saying the model is a black box; broken files give clear
 * errors.
 */
class TorchScriptTest {

    static final double TOL = 1e-4;
    static Path dir;

    @TempDir
    Path tmp;

    @BeforeAll
    static void generate() throws Exception {
        dir = Oracle.work("torchscript");
        Oracle.run(dir.resolve("resnet18_ref.npz"), "torchscript_models.py", dir.toString());
    }

    private static HookedModel open(Path p) throws ModelLoadException {
        return new LoupeRegistry().openModel(p.toString(), null);
    }

    private static void assertContains(String message, String... fragments) {
        for (String f : fragments) {
            assertTrue(message.contains(f), "expected '" + f + "' in: " + message);
        }
    }

    /**
     * A trace bakes {@code training=False} into each batch_norm call; a scripted module follows its
     * train/eval mode, so the scripted ResNet is the one that would show batch statistics.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"resnet18_traced", "resnet18_scripted"})
    void resNetMatchesPyTorchAndKeepsItsBatchNormStatistics(String name) throws Exception {
        Map<String, Tensor> ref = Oracle.refs(dir.resolve("resnet18_ref.npz"));
        float[] logits = ref.get("logits").toFloats();
        long t0 = System.nanoTime();
        try (HookedModel model = open(dir.resolve(name + ".pt")); NDManager m = LoupeEngine.get().newBaseManager()) {
            long t1 = System.nanoTime();
            assertEquals("torchscript", model.info().architecture());
            assertEquals(name, model.info().name());
            assertTrue(model.hookPoints().isEmpty());
            assertFalse(model.hookable());
            assertEquals(3, model.inputSpec().channels());
            assertEquals(224, model.inputSpec().height());
            assertEquals(Normalization.IMAGENET, model.inputSpec().normalization());
            assertEquals(1000, model.labels().size());
            assertEquals("tench", model.labels().get(0));
            assertEquals(11_689_512, model.info().parameterCount());

            Tensor in = ref.get("input");
            NDArray x = m.create(in.toFloats(), new Shape(in.shape()));
            double before = Close.assertClose(logits, model.forward(x, Hooks.none()).output().toFloatArray(), TOL, "logits before gradients");
            double grad = 0;
            for (int pass = 0; pass < 3; pass++) {
                Gradients.Result g = Gradients.backward(model, x, Hooks.none(),
                        o -> o.output().get(":, 3").sum().add(o.output().get(":, 1").square().mean()));
                Close.assertClose(ref.get("objective").toFloats(), new float[] {g.objective().getFloat()}, TOL, "objective, pass " + pass);
                grad = Math.max(grad, VitOracle.close(ref.get("grad.input").toFloats(), g.inputGradient().toFloatArray(),
                        "input gradient, pass " + pass));
                Close.assertClose(logits, g.output().output().toFloatArray(), TOL, "logits of gradient pass " + pass);
            }
            double after = Close.assertClose(logits, model.forward(x, Hooks.cacheAll()).output().toFloatArray(), TOL, "logits after gradients");
            // one image alone: with batch statistics it would come out very differently
            float[] first = Arrays.copyOf(logits, 1000);
            double single = Close.assertClose(first, model.forward(x.get("0:1"), Hooks.none()).output().toFloatArray(), TOL, "batch of one");
            System.out.printf("[torchscript] " + name + ": logits %.2e before, %.2e after 3 gradient passes, %.2e batch of one; "
                    + "input gradient %.2e; load %.2f s, test %.2f s%n", before, after, single, grad, (t1 - t0) / 1e9,
                    (System.nanoTime() - t1) / 1e9);
        }
    }

    @Test
    void hookPointsAreRefused() throws Exception {
        try (HookedModel model = open(dir.resolve("resnet18_traced.pt")); NDManager m = LoupeEngine.get().newBaseManager()) {
            NDArray x = m.zeros(new Shape(1, 3, 224, 224));
            UnknownHookPointException e = assertThrows(UnknownHookPointException.class, () -> model.forward(x, Hooks.cache("layer1")));
            assertContains(e.getMessage(), "has no hook points (it is a black box), so 'layer1' cannot be used");
            assertThrows(UnknownHookPointException.class, () -> Gradients.backward(model, x, Hooks.builder().gradient("fc").build(),
                    o -> o.output().sum()));
            assertThrows(UnknownHookPointException.class, () -> model.hookPoint("layer4"));
            assertTrue(model.forward(x, Hooks.cacheAll()).cache().names().isEmpty());
            IllegalArgumentException bad = assertThrows(IllegalArgumentException.class, () -> model.forward(m.zeros(new Shape(1, 1, 224, 224)),
                    Hooks.none()));
            assertContains(bad.getMessage(), "takes a batch [N, 3, 224, 224], got (1, 1, 224, 224)");
        }
    }

    @Test
    void scriptedModelWithSidecarAndOtherExtensions() throws Exception {
        Map<String, Tensor> ref = Oracle.refs(dir.resolve("tiny_ref.npz"));
        for (String name : new String[] {"tiny_scripted.pt", "tiny_scripted.ts", "tiny_scripted.torchscript"}) {
            Path p = tmp.resolve(name);
            Files.copy(dir.resolve("tiny_scripted.pt"), p);
            Files.copy(dir.resolve("tiny_scripted.json"), tmp.resolve("tiny_scripted.json"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            try (HookedModel model = open(p); NDManager m = LoupeEngine.get().newBaseManager()) {
                assertEquals("Tiny scripted CNN", model.info().name());
                assertEquals(32, model.inputSpec().height());
                assertEquals(new Normalization(1f, new float[] {0.5f, 0.4f, 0.3f}, new float[] {0.2f, 0.25f, 0.3f}),
                        model.inputSpec().normalization());
                assertEquals("label 9", model.labels().get(9));
                Tensor in = ref.get("input");
                Close.assertClose(ref.get("logits").toFloats(),
                        model.forward(m.create(in.toFloats(), new Shape(in.shape())), Hooks.none()).output().toFloatArray(), TOL, name);
            }
            Files.delete(p);
        }
    }

    @Test
    void brokenFilesGiveClearErrors() throws Exception {
        Path junk = tmp.resolve("junk.ts");
        Files.writeString(junk, "this is not a model", StandardCharsets.UTF_8);
        assertContains(assertThrows(ModelLoadException.class, () -> open(junk)).getMessage(),
                "junk.ts is not a TorchScript archive", "this file is not a zip");

        Path state = tmp.resolve("state.ts");
        Files.copy(dir.resolve("resnet18_state.pt"), state);
        assertContains(assertThrows(ModelLoadException.class, () -> open(state)).getMessage(),
                "state.ts is not a TorchScript archive: it is a zip without TorchScript code (a state dict saved with torch.save?)");

        byte[] all = Files.readAllBytes(dir.resolve("resnet18_traced.pt"));
        Path truncated = tmp.resolve("truncated.ts");
        Files.write(truncated, Arrays.copyOf(all, all.length / 2));
        assertContains(assertThrows(ModelLoadException.class, () -> open(truncated)).getMessage(),
                "truncated.ts is not a TorchScript archive: it starts like a zip archive but cannot be read as one");

        // an intact zip whose TorchScript code is garbage
        Path corrupt = tmp.resolve("corrupt.pt");
        try (ZipFile zip = new ZipFile(dir.resolve("resnet18_traced.pt").toFile());
                OutputStream os = Files.newOutputStream(corrupt); ZipOutputStream out = new ZipOutputStream(os)) {
            for (ZipEntry e : java.util.Collections.list(zip.entries())) {
                out.putNextEntry(new ZipEntry(e.getName()));
                if (e.getName().contains("/code/") && e.getName().endsWith(".py")) {
                    out.write("def forward(self, x):\n  return ((( this is not python\n".getBytes(StandardCharsets.UTF_8));
                } else {
                    try (InputStream in = zip.getInputStream(e)) {
                        in.transferTo(out);
                    }
                }
                out.closeEntry();
            }
        }
        assertContains(assertThrows(ModelLoadException.class, () -> open(corrupt)).getMessage(),
                "corrupt.pt is a TorchScript archive that PyTorch cannot load");

        // a sidecar input the model cannot take
        Path gray = tmp.resolve("gray.pt");
        Files.copy(dir.resolve("resnet18_traced.pt"), gray);
        Files.writeString(tmp.resolve("gray.json"), "{\"input\": {\"channels\": 1, \"height\": 224}}");
        assertContains(assertThrows(ModelLoadException.class, () -> open(gray)).getMessage(),
                "gray.pt does not run on an input of shape (1, 1, 224, 224) (from its sidecar): RuntimeError: ",
                "expected input[1, 1, 224, 224] to have 3 channels, but got 1 channels instead");
        Files.writeString(tmp.resolve("gray.json"), "{\"labels\": [\"a\", \"b\"]}");
        assertContains(assertThrows(ModelLoadException.class, () -> open(gray)).getMessage(),
                "The sidecar of gray.pt gives 2 labels, but the model has 1000 outputs");
    }

}

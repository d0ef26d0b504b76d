package org.loupe.example.loader.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.loupe.core.model.HookKind;
import org.loupe.core.model.HookPoint;
import org.loupe.core.model.HookRole;
import org.loupe.core.model.HookedModel;
import org.loupe.core.model.Hooks;
import org.loupe.core.model.ModelLoadException;
import org.loupe.core.model.ModelOutput;
import org.loupe.core.registry.LoupeRegistry;
import org.loupe.djl.LoupeEngine;
import org.loupe.example.loader.ResidualMlp;
import org.loupe.example.loader.ResidualMlpConfig;
import org.loupe.testing.Close;
import org.loupe.testing.Oracle;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * The example model loader against PyTorch: {@code oracle/example_resmlp.py} builds the same
 * residual MLP with torch's own initialisation, writes its JSON description, its weights as raw
 * float32 and a batch of inputs, and the activations at every hook point; Loupe opens the files
 * through the registry and must give the same activations.
 */
class ResidualMlpLoaderTest {

    static Path oracle;
    static JsonObject reference;

    @TempDir
    Path dir;

    @BeforeAll
    static void runOracle() throws Exception {
        oracle = Oracle.work("example-resmlp");
        Oracle.run(oracle.resolve("reference.json"), "example_resmlp.py", oracle.toString());
        reference = JsonParser.parseString(Files.readString(oracle.resolve("reference.json"))).getAsJsonObject();
    }

    @Test
    void matchesPyTorchAtEveryHookPoint() throws Exception {
        LoupeRegistry registry = new LoupeRegistry();
        try (HookedModel model = registry.openModel(oracle.resolve("tiny.json").toString(), null);
                NDManager m = LoupeEngine.get().newBaseManager()) {
            assertEquals("Tiny residual MLP", model.info().name());
            assertEquals(ResidualMlpConfig.FORMAT, model.info().architecture());
            assertEquals(List.of("class 0", "class 1", "class 2", "class 3", "class 4"), model.labels());
            assertEquals(48 * 8 + 8 + 2 * (8 * 16 + 16 + 16 * 8 + 8) + 8 * 5 + 5, model.info().parameterCount());

            JsonObject shapes = reference.getAsJsonObject("shapes");
            List<String> names = new ArrayList<>(shapes.keySet());
            assertEquals(names, model.hookPoints().stream().map(HookPoint::name).toList(), "hook points in forward order");
            assertEquals(new HookPoint("blocks.1.hidden", HookKind.VECTOR, new Shape(16), HookRole.MLP_HIDDEN, 1, null, false),
                    model.hookPoint("blocks.1.hidden"));
            assertEquals(HookKind.LOGITS, model.hookPoint("logits").kind());

            float[] x = floats(oracle.resolve("input.f32"));
            NDArray input = m.create(x, new Shape(2, 3, 4, 4));
            ModelOutput out = model.forward(input, Hooks.cacheAll());
            JsonObject acts = reference.getAsJsonObject("activations");
            for (String name : names) {
                float[] expected = floats(acts.getAsJsonArray(name));
                NDArray actual = out.cache().get(name);
                assertEquals(new Shape(2, shapes.getAsJsonArray(name).get(1).getAsLong()), actual.getShape(), name);
                System.out.printf("example loader vs PyTorch at %s: max |diff| %.3g%n", name,
                        Close.assertClose(expected, actual.toFloatArray(), 1e-5, name));
            }
            Close.assertClose(floats(acts.getAsJsonArray("logits")), out.output().toFloatArray(), 1e-5, "output");
        }
    }

    @Test
    void tensorNamesAndShapesAreThoseOfThePyTorchStateDict() throws Exception {
        ResidualMlpConfig config = ResidualMlpConfig.parse(Files.readString(oracle.resolve("tiny.json")), "tiny.json");
        Map<String, long[]> shapes = new ResidualMlp(config).tensorShapes();
        JsonObject torch = reference.getAsJsonObject("tensors");
        assertEquals(new ArrayList<>(torch.keySet()), new ArrayList<>(shapes.keySet()), "the order of the raw weight file");
        for (String name : torch.keySet()) {
            long[] expected = torch.getAsJsonArray(name).asList().stream().mapToLong(e -> e.getAsLong()).toArray();
            assertArrayEquals(expected, shapes.get(name), name);
        }
    }

    @Test
    void aSeededModelIsTheSameOnEveryLoadAndDependsOnTheSeed() throws Exception {
        LoupeRegistry registry = new LoupeRegistry();
        float[] a = logits(registry, description("\"seed\": 3"));
        float[] b = logits(registry, description("\"seed\": 3"));
        float[] c = logits(registry, description("\"seed\": 4"));
        assertArrayEquals(a, b, 0f);
        assertFalse(Arrays.equals(a, c), "another seed, other weights");
    }

    @Test
    void wrongFilesAreRefusedWithTheReason() throws Exception {
        LoupeRegistry registry = new LoupeRegistry();
        Files.write(dir.resolve("short.f32"), new byte[40]);
        ModelLoadException e = assertThrows(ModelLoadException.class,
                () -> registry.openModel(description("\"weights\": \"short.f32\"").toString(), null));
        assertTrue(e.getMessage().contains("short.f32 holds 10 float32 values; the model described needs 997"), e.getMessage());
        assertTrue(e.getMessage().contains("embed.weight [8, 48]"), e.getMessage());

        e = assertThrows(ModelLoadException.class, () -> registry.openModel(description("\"weights\": \"gone.f32\"").toString(), null));
        assertTrue(e.getMessage().contains("names the weight file 'gone.f32', which does not exist"), e.getMessage());

        e = assertThrows(ModelLoadException.class, () -> registry.openModel(description("\"seed\": 1, \"weights\": \"x\"").toString(), null));
        assertTrue(e.getMessage().contains("give either \"weights\""), e.getMessage());

        Path noHidden = dir.resolve("bad.json");
        Files.writeString(noHidden, "{\"format\": \"residual-mlp\", \"input\": {\"channels\": 3, \"height\": 4, \"width\": 4}, "
                + "\"features\": 8, \"blocks\": 1, \"classes\": 2, \"seed\": 1}");
        e = assertThrows(ModelLoadException.class, () -> registry.openModel(noHidden.toString(), null));
        assertEquals("bad.json: \"hidden\" must be a whole number from 0 to 1048576, got nothing.", e.getMessage());
    }

    private Path description(String weights) throws Exception {
        Path p = Files.createTempFile(dir, "resmlp", ".json");
        Files.writeString(p, "{\"format\": \"residual-mlp\", \"input\": {\"channels\": 3, \"height\": 4, \"width\": 4}, "
                + "\"features\": 8, \"hidden\": 16, \"blocks\": 2, \"classes\": 5, " + weights + "}");
        return p;
    }

    private static float[] logits(LoupeRegistry registry, Path description) throws Exception {
        try (HookedModel model = registry.openModel(description.toString(), null); NDManager m = LoupeEngine.get().newBaseManager()) {
            float[] x = new float[2 * 3 * 4 * 4];
            for (int i = 0; i < x.length; i++) {
                x[i] = (i % 7) / 7f;
            }
            return model.forward(m.create(x, new Shape(2, 3, 4, 4)), Hooks.none()).output().toFloatArray();
        }
    }

    private static float[] floats(Path raw) throws Exception {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(raw)).order(ByteOrder.LITTLE_ENDIAN);
        float[] v = new float[b.remaining() / Float.BYTES];
        b.asFloatBuffer().get(v);
        return v;
    }

    private static float[] floats(JsonArray a) {
        float[] v = new float[a.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = a.get(i).getAsFloat();
        }
        return v;
    }
}

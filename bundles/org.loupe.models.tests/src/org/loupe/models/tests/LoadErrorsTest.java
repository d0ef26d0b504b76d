package org.loupe.models.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.loupe.core.model.HookedModel;
import org.loupe.core.model.ModelLoadException;
import org.loupe.core.registry.LoupeRegistry;
import org.loupe.models.io.Safetensors;
import org.loupe.models.io.Tensor;
import org.loupe.testing.Oracle;

/** Every way a model file can be wrong gives a message naming the file, the tensor and what to do. */
class LoadErrorsTest {

    static Path golden;
    static byte[] goodWeights;
    static String goodConfig;

    @TempDir
    Path dir;

    @BeforeAll
    static void generate() throws Exception {
        golden = Oracle.work("golden");
        Path testdata = Path.of(System.getProperty("loupe.testdata"));
        Oracle.run(golden.resolve("golden-cnn_ref.npz"), "seqcnn.py", testdata.resolve("golden-cnn.json").toString(), golden.toString());
        goodWeights = Files.readAllBytes(golden.resolve("golden-cnn.safetensors"));
        goodConfig = Files.readString(golden.resolve("golden-cnn.json"));
    }

    private String load(String config, byte[] weights) throws IOException {
        Files.writeString(dir.resolve("m.json"), config);
        if (weights != null) {
            Files.write(dir.resolve("m.safetensors"), weights);
        }
        ModelLoadException e = assertThrows(ModelLoadException.class, () -> new LoupeRegistry().openModel(dir.resolve("m.json").toString(), null));
        return e.getMessage();
    }

    private static void assertContains(String message, String... fragments) {
        for (String f : fragments) {
            assertTrue(message.contains(f), "expected '" + f + "' in: " + message);
        }
    }

    @Test
    void truncatedSafetensors() throws IOException {
        byte[] half = java.util.Arrays.copyOf(goodWeights, goodWeights.length / 2);
        assertContains(load(goodConfig, half), "m.safetensors is not a valid safetensors file", "truncated or corrupt");
    }

    @Test
    void garbageSafetensors() throws IOException {
        byte[] junk = "this is not a weight file at all, just text".getBytes(StandardCharsets.UTF_8);
        assertContains(load(goodConfig, junk), "m.safetensors is not a valid safetensors file", "header length");
        assertContains(load(goodConfig, new byte[3]), "shorter than the 8-byte header length");
        ByteBuffer b = ByteBuffer.allocate(8 + 16).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(16).put("{{{{{{{{{{{{{{{{".getBytes(StandardCharsets.US_ASCII));
        assertContains(load(goodConfig, b.array()), "header is not a JSON object");
    }

    @Test
    void mismatchedShape() throws IOException {
        String config = goodConfig.replace("\"out_channels\": 8", "\"out_channels\": 9");
        assertContains(load(config, goodWeights), "m.safetensors does not fit the model",
                "tensor 'conv1.weight' has shape [8, 3, 3, 3] but the model needs [9, 3, 3, 3]");
    }

    @Test
    void missingAndUnexpectedTensors() throws IOException {
        Path w = dir.resolve("m.safetensors");
        Files.write(w, goodWeights);
        Map<String, Tensor> all = Safetensors.read(w);
        Map<String, float[]> values = new LinkedHashMap<>();
        Map<String, long[]> shapes = new LinkedHashMap<>();
        for (Tensor t : all.values()) {
            if (t.name().equals("fc2.bias") || t.name().endsWith("num_batches_tracked")) {
                continue;
            }
            values.put(t.name(), t.toFloats());
            shapes.put(t.name(), t.shape());
        }
        values.put("head.weight", new float[] {1, 2});
        shapes.put("head.weight", new long[] {2});
        Safetensors.write(w, values, shapes);
        assertContains(load(goodConfig, null), "missing tensor 'fc2.bias' (expected shape [5])",
                "unexpected tensor head.weight (the architecture has no parameter of that name)");
    }

    @Test
    void integerWeights() throws IOException {
        Path w = dir.resolve("m.safetensors");
        Files.write(w, goodWeights);
        String json = new String(goodWeights, 8, (int) ByteBuffer.wrap(goodWeights).order(ByteOrder.LITTLE_ENDIAN).getLong(0),
                StandardCharsets.UTF_8);
        // relabel fc2.bias (5 floats = 20 bytes) as 5 int32 values: same size, wrong type
        String hacked = json.replaceFirst("\"fc2.bias\":\\{\"dtype\":\"F32\"", "\"fc2.bias\":{\"dtype\":\"I32\"");
        assertTrue(!hacked.equals(json));
        byte[] out = goodWeights.clone();
        System.arraycopy(hacked.getBytes(StandardCharsets.UTF_8), 0, out, 8, hacked.length());
        assertContains(load(goodConfig, out), "tensor 'fc2.bias' holds I32 values; weights must be floating-point");
    }

    @Test
    void badConfigs() throws IOException {
        assertContains(load(goodConfig.replace("\"type\": \"gelu\"", "\"type\": \"swish\""), goodWeights),
                "m.json layer 5 (gelu2): unknown type 'swish'; known types: conv2d");
        assertContains(load(goodConfig.replace("{\"name\": \"flatten\", \"type\": \"flatten\"},", "").replace("\"type\": \"global_avgpool\"", "\"type\": \"dropout\""), goodWeights),
                "linear needs a flat input; add a flatten layer before it (the input is [16, 3, 3])");
        assertContains(load("{\"architecture\": \"sequential-cnn\", \"layers\": [", goodWeights), "m.json is not a JSON object");
        assertContains(load(goodConfig.replace("\"height\": 20", "\"height\": 2"), goodWeights),
                "is smaller than the kernel");
        Files.delete(dir.resolve("m.safetensors"));
        assertContains(load(goodConfig, null), "No weights for m.json: put m.safetensors or m.npz next to it");
    }

    @Test
    void unknownFilesAndNames() throws IOException {
        Path foo = dir.resolve("model.foo");
        Files.writeString(foo, "x");
        ModelLoadException e = assertThrows(ModelLoadException.class, () -> new LoupeRegistry().openModel(foo.toString(), null));
        assertContains(e.getMessage(), "No model loader recognises", "model.foo", "Sequential CNN");
        e = assertThrows(ModelLoadException.class, () -> new LoupeRegistry().openModel("no-such-model", null));
        assertContains(e.getMessage(), "There is no file, folder or built-in model called 'no-such-model'", "seq-cnn-seeded");
    }

    @Test
    void builtinSeededModelIsDeterministic() throws Exception {
        try (HookedModel a = new LoupeRegistry().openModel("seq-cnn-seeded", null);
                HookedModel b = new LoupeRegistry().openModel("builtin:seq-cnn-seeded", null)) {
            assertEquals(12, a.hookPoints().size());
            assertEquals(a.info().contentHash(), b.info().contentHash());
            assertEquals(10, a.labels().size());
            assertEquals(64, a.hookPoint("conv3").units());
            assertTrue(a.info().parameterCount() > 20_000, "parameters: " + a.info().parameterCount());
        }
    }
}

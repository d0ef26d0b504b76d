package org.loupe.models.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.loupe.models.tests.PthReaderTest.assertContains;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.loupe.core.model.HookedModel;
import org.loupe.core.model.ModelLoadException;
import org.loupe.core.registry.LoupeRegistry;
import org.loupe.models.io.DType;
import org.loupe.models.io.Safetensors;
import org.loupe.models.io.Tensor;
import org.loupe.models.zoo.Architecture;
import org.loupe.models.zoo.Architectures;

/**
 * Architecture detection on the zoo files (exactly one family claims each, with the right
 * variant), and every way a zoo file can be wrong: a sidecar naming another or an unknown
 * architecture, a truncated file, a missing, mis-shaped or integer tensor, a pickle with foreign
 * globals. Each must fail with a message naming the file, the tensor and what was expected.
 */
class ZooLoadTest {

    static Path zoo;
    static Map<String, Tensor> resnet18;

    @TempDir
    Path dir;

    @BeforeAll
    static void generate() throws Exception {
        for (String arch : ZooFiles.ARCHS) {
            zoo = ZooFiles.ensure(arch);
        }
        resnet18 = Safetensors.read(zoo.resolve("resnet18.safetensors"));
    }

    @Test
    void eachFileIsClaimedByExactlyOneFamilyWithItsVariant() throws IOException {
        for (String arch : ZooFiles.ARCHS) {
            Map<String, Tensor> tensors = Safetensors.read(zoo.resolve(arch + ".safetensors"));
            assertEquals(List.of(arch), detected(tensors), arch);
        }
    }

    @Test
    void detectionReadsDepthAndWidthFromTheNames() throws IOException {
        Map<String, Tensor> r101 = new LinkedHashMap<>(Safetensors.read(zoo.resolve("resnet101.safetensors")));
        Tensor dummy = tensor("x", DType.F32, 1);
        for (int b = 4; b < 8; b++) {
            r101.put("layer2." + b + ".conv1.weight", dummy);
        }
        for (int b = 23; b < 36; b++) {
            r101.put("layer3." + b + ".conv1.weight", dummy);
        }
        assertEquals(List.of("resnet152"), detected(r101));
        r101.put("layer4.3.conv1.weight", dummy);
        assertEquals(List.of(), detected(r101), "an unknown depth is not guessed");

        Map<String, Tensor> cnx = new LinkedHashMap<>(Safetensors.read(zoo.resolve("convnext-tiny.safetensors")));
        for (int b = 9; b < 27; b++) {
            cnx.put("features.5." + b + ".layer_scale", dummy);
        }
        assertEquals(List.of("convnext-small"), detected(cnx));
        cnx.put("features.0.0.weight", tensor("features.0.0.weight", DType.F32, 128, 3, 4, 4));
        assertEquals(List.of("convnext-base"), detected(cnx));

        Map<String, Tensor> noFc = new LinkedHashMap<>(resnet18);
        noFc.remove("fc.weight");
        assertEquals(List.of(), detected(noFc));
    }

    private static List<String> detected(Map<String, Tensor> tensors) {
        List<String> out = new ArrayList<>();
        for (Architecture a : Architectures.all()) {
            Optional<String> v = a.detect(tensors);
            v.ifPresent(out::add);
        }
        return out;
    }

    @Test
    void sidecarNamingAnotherArchitecture() throws IOException {
        Path w = copy("resnet18.safetensors", "m.safetensors");
        Files.writeString(dir.resolve("m.json"), "{\"architecture\": \"resnet50\"}");
        assertContains(fail(w), "m.safetensors holds a resnet18 (by its tensor names and shapes), but its sidecar names the "
                + "architecture 'resnet50'", "remove it to let Loupe detect");
        Files.writeString(dir.resolve("m.json"), "{\"architecture\": \"inceptionv1\"}");
        assertContains(fail(dir.resolve("m.json")), "holds a resnet18", "names the architecture 'inceptionv1'");
        Files.writeString(dir.resolve("m.json"), "{\"architecture\": \"resnet19\"}");
        assertContains(fail(w), "names the architecture 'resnet19', which Loupe does not know. Known: resnet18, resnet34, resnet50",
                "googlenet", "inceptionv1", "convnext-tiny");
        Files.writeString(dir.resolve("m.json"), "{\"architecture\": \"googlenet\", \"transform_input\": \"yes\"}");
        Path g = copy("googlenet.safetensors", "m.safetensors");
        assertContains(fail(g), "sets \"transform_input\" to \"yes\"; it must be true or false");
        Files.writeString(dir.resolve("m.json"), "{\"labels\": [\"cat\", \"dog\"]}");
        assertContains(fail(g), "lists 2 labels, but the googlenet in it has 1000 outputs");
    }

    /** Learned parameters, as torchvision's model documentation counts them (BatchNorm statistics are not parameters). */
    @Test
    void parameterCountsMatchTorchvision() throws Exception {
        Map<String, Long> torchvision = Map.of("resnet18", 11_689_512L, "resnet50", 25_557_032L, "googlenet", 6_624_904L,
                "convnext-tiny", 28_589_128L);
        for (Map.Entry<String, Long> e : torchvision.entrySet()) {
            try (HookedModel m = new LoupeRegistry().openModel(zoo.resolve(e.getKey() + ".safetensors").toString(), null)) {
                assertEquals(e.getValue().longValue(), m.info().parameterCount(), e.getKey());
            }
        }
    }

    @Test
    void sidecarChoosesTheInputSize() throws Exception {
        Path w = copy("resnet18.safetensors", "small.safetensors");
        Files.writeString(dir.resolve("small.json"), "{\"name\": \"Small ResNet\", \"input\": {\"height\": 64, \"width\": 96}}");
        try (HookedModel m = new LoupeRegistry().openModel(w.toString(), null)) {
            assertEquals("Small ResNet", m.info().name());
            assertEquals(96, m.inputSpec().width());
            assertEquals(new ai.djl.ndarray.types.Shape(512, 2, 3), m.hookPoint("layer4").shape());
        }
        Path v = copy("inceptionv1.safetensors", "tiny.safetensors");
        Files.writeString(dir.resolve("tiny.json"), "{\"input\": {\"height\": 16}}");
        assertContains(fail(v), "The inceptionv1 in tiny.safetensors cannot run on 16x16 images");
    }

    @Test
    void truncatedFiles() throws IOException {
        byte[] st = Files.readAllBytes(zoo.resolve("resnet18.safetensors"));
        Path w = dir.resolve("cut.safetensors");
        Files.write(w, Arrays.copyOf(st, st.length - 1000));
        assertContains(fail(w), "cut.safetensors is not a valid safetensors file", "truncated");
        byte[] pth = Files.readAllBytes(zoo.resolve("resnet18.pth"));
        Path p = dir.resolve("cut.pth");
        Files.write(p, Arrays.copyOf(pth, pth.length - 1000));
        assertContains(fail(p), "cut.pth is not a valid PyTorch file", "truncated");
    }

    @Test
    void missingTensor() throws IOException {
        Map<String, Tensor> t = new LinkedHashMap<>(resnet18);
        t.remove("layer2.0.downsample.1.running_var");
        Path w = dir.resolve("missing.safetensors");
        ZooFiles.writeSafetensors(w, t);
        assertContains(fail(w), "missing.safetensors does not fit the model: missing tensor 'layer2.0.downsample.1.running_var' "
                + "(expected shape [128])");
    }

    @Test
    void misShapedTensor() throws IOException {
        Map<String, Tensor> t = new LinkedHashMap<>(resnet18);
        t.put("layer3.0.conv2.weight", tensor("layer3.0.conv2.weight", DType.F32, 256, 256, 1, 1));
        Path w = dir.resolve("shape.safetensors");
        ZooFiles.writeSafetensors(w, t);
        assertContains(fail(w), "shape.safetensors does not fit the model: tensor 'layer3.0.conv2.weight' has shape [256, 256, 1, 1] "
                + "but the model needs [256, 256, 3, 3]");
    }

    @Test
    void integerTensor() throws IOException {
        Map<String, Tensor> t = new LinkedHashMap<>(resnet18);
        Tensor f = t.get("layer1.0.bn1.running_mean");
        t.put(f.name(), new Tensor(f.name(), DType.I32, f.shape(), f.data()));
        Path w = dir.resolve("int.safetensors");
        ZooFiles.writeSafetensors(w, t);
        assertContains(fail(w), "tensor 'layer1.0.bn1.running_mean' holds I32 values; weights must be floating-point");
    }

    @Test
    void unexpectedTensor() throws IOException {
        Map<String, Tensor> t = new LinkedHashMap<>(resnet18);
        t.put("layer4.1.se.fc.weight", tensor("layer4.1.se.fc.weight", DType.F32, 4));
        Path w = dir.resolve("extra.safetensors");
        ZooFiles.writeSafetensors(w, t);
        assertContains(fail(w), "unexpected tensor layer4.1.se.fc.weight (the architecture has no parameter of that name)");
    }

    @Test
    void picklesWithForeignGlobals() throws Exception {
        Path cases = ZooFiles.pthCases();
        assertContains(fail(cases.resolve("module.pth")), "refers to the Python global 'torchvision.models.resnet.ResNet'",
                "save its state_dict() instead");
        assertContains(fail(cases.resolve("evil_system.pth")), "refers to the Python global 'posix.system'");
        assertEquals(false, Files.exists(cases.resolve("evil-marker")));
    }

    @Test
    void unknownTensorsNameTheKnownArchitectures() throws IOException {
        Map<String, Tensor> t = new LinkedHashMap<>();
        t.put("encoder.weight", tensor("encoder.weight", DType.F32, 2, 2));
        Path w = dir.resolve("odd.safetensors");
        ZooFiles.writeSafetensors(w, t);
        assertContains(fail(w), "Cannot tell which architecture odd.safetensors holds", "resnet18", "inceptionv1", "convnext-tiny",
                "add a sidecar odd.json");
    }

    private Path copy(String from, String to) throws IOException {
        Path target = dir.resolve(to);
        Files.copy(zoo.resolve(from), target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        return target;
    }

    private static String fail(Path file) {
        return assertThrows(ModelLoadException.class, () -> new LoupeRegistry().openModel(file.toString(), null)).getMessage();
    }

    private static Tensor tensor(String name, DType dtype, long... shape) {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        return new Tensor(name, dtype, shape, ByteBuffer.allocate((int) (n * dtype.bytes())));
    }
}

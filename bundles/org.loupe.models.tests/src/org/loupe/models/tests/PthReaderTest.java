package org.loupe.models.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.loupe.models.io.DType;
import org.loupe.models.io.Npz;
import org.loupe.models.io.Pth;
import org.loupe.models.io.Safetensors;
import org.loupe.models.io.Tensor;
import org.loupe.models.io.WeightFileException;

/**
 * The PyTorch state-dict reader against files torch itself wrote (oracle/pth_cases.py and the zoo
 * files of oracle/zoo_cnn.py): views with offsets and strides, every dtype, pickle protocols 2
 * and 4, the legacy non-zip format, checkpoint dicts; and the refusals: whole pickled modules,
 * code-executing pickles (which must have no effect), truncated and foreign files.
 */
class PthReaderTest {

    static Path cases;
    static Map<String, Tensor> expected;

    @TempDir
    Path tmp;

    @BeforeAll
    static void generate() throws Exception {
        cases = ZooFiles.pthCases();
        expected = Npz.read(cases.resolve("views_expected.npz"));
    }

    @Test
    void viewsAndDtypesOfTheZipFormat() throws IOException {
        checkViews("views.pth");
    }

    @Test
    void pickleProtocol4() throws IOException {
        checkViews("views_p4.pth");
    }

    @Test
    void legacyNonZipFormat() throws IOException {
        checkViews("views_legacy.pth");
    }

    private static void checkViews(String file) throws IOException {
        Map<String, Tensor> read = Pth.read(cases.resolve(file));
        assertEquals(expected.keySet().stream().filter(k -> !k.startsWith("checkpoint.")).toList(), read.keySet().stream().toList(),
                file + ": names in state-dict order");
        for (Tensor t : read.values()) {
            Tensor e = expected.get(t.name());
            String what = file + " " + t.name();
            assertArrayEquals(e.shape(), t.shape(), what + " shape");
            if (t.dtype() == DType.BF16) {
                assertEquals(DType.F32, e.dtype());
                assertArrayEquals(e.toFloats(), t.toFloats(), what + " values");
            } else {
                assertEquals(e.dtype(), t.dtype(), what + " dtype");
                assertEquals(e.data(), t.data(), what + " bytes");
            }
        }
        assertEquals(DType.F16, read.get("f16_t").dtype());
        assertEquals(2.5f, read.get("scalar").toFloats()[0]);
        assertEquals(0, read.get("empty").numel());
    }

    @Test
    void checkpointDictWithStateDictEntry() throws IOException {
        Map<String, Tensor> read = Pth.read(cases.resolve("checkpoint.pth"));
        assertEquals(Arrays.asList("0.weight", "0.bias", "1.weight", "1.bias", "1.running_mean", "1.running_var", "1.num_batches_tracked"),
                read.keySet().stream().toList());
        for (Tensor t : read.values()) {
            Tensor e = expected.get("checkpoint." + t.name());
            assertEquals(e.dtype(), t.dtype());
            assertEquals(e.data(), t.data(), t.name());
        }
    }

    /** Every zoo .pth (torch.save of a torchvision state dict) holds exactly what its .safetensors holds. */
    @Test
    void zooStateDictsEqualTheirSafetensors() throws Exception {
        for (String arch : ZooFiles.ARCHS) {
            Path dir = ZooFiles.ensure(arch);
            Map<String, Tensor> pth = Pth.read(dir.resolve(arch + ".pth"));
            Map<String, Tensor> st = Safetensors.read(dir.resolve(arch + ".safetensors"));
            assertEquals(st.keySet().stream().toList(), pth.keySet().stream().toList(), arch + " names");
            for (Tensor t : st.values()) {
                Tensor p = pth.get(t.name());
                assertEquals(t.dtype(), p.dtype(), arch + " " + t.name());
                assertArrayEquals(t.shape(), p.shape(), arch + " " + t.name());
                assertEquals(t.data(), p.data(), arch + " " + t.name() + " bytes");
            }
        }
    }

    @Test
    void wholePickledModuleIsRefusedWithAdvice() {
        WeightFileException e = assertThrows(WeightFileException.class, () -> Pth.read(cases.resolve("module.pth")));
        assertContains(e.getMessage(), "module.pth refers to the Python global 'torchvision.models.resnet.ResNet'",
                "save its state_dict() instead");
    }

    /** A pickle whose unpickling would run os.system('touch marker'): refused by name, nothing runs. */
    @Test
    void codeExecutingPicklesAreRefusedWithoutEffect() throws IOException {
        Path marker = cases.resolve("evil-marker");
        assertFalse(Files.exists(marker));
        WeightFileException e = assertThrows(WeightFileException.class, () -> Pth.read(cases.resolve("evil_system.pth")));
        assertContains(e.getMessage(), "evil_system.pth refers to the Python global 'posix.system'", "never runs code");
        e = assertThrows(WeightFileException.class, () -> Pth.read(cases.resolve("evil_eval.pth")));
        assertContains(e.getMessage(), "evil_eval.pth refers to the Python global 'builtins.eval'");
        assertFalse(Files.exists(marker), "the crafted pickle must have had no effect");
    }

    @Test
    void truncatedAndForeignFiles() throws Exception {
        Path dir = ZooFiles.ensure("resnet18");
        byte[] whole = Files.readAllBytes(dir.resolve("resnet18.pth"));
        Path cut = tmp.resolve("cut.pth");
        Files.write(cut, Arrays.copyOf(whole, whole.length / 2));
        assertContains(assertThrows(WeightFileException.class, () -> Pth.read(cut)).getMessage(), "cut.pth is not a valid PyTorch file",
                "truncated");

        byte[] legacy = Files.readAllBytes(cases.resolve("views_legacy.pth"));
        Path cutLegacy = tmp.resolve("cut-legacy.pth");
        Files.write(cutLegacy, Arrays.copyOf(legacy, legacy.length - 10));
        assertContains(assertThrows(WeightFileException.class, () -> Pth.read(cutLegacy)).getMessage(), "cut-legacy.pth", "cut off");

        Path text = tmp.resolve("notes.pth");
        Files.writeString(text, "these are not weights");
        assertContains(assertThrows(WeightFileException.class, () -> Pth.read(text)).getMessage(), "notes.pth is not a PyTorch file");

        Path zip = tmp.resolve("other.pth");
        try (var out = new java.util.zip.ZipOutputStream(Files.newOutputStream(zip))) {
            out.putNextEntry(new java.util.zip.ZipEntry("readme.txt"));
            out.write("hello".getBytes());
        }
        assertContains(assertThrows(WeightFileException.class, () -> Pth.read(zip)).getMessage(), "without a data.pkl entry");
    }

    @Test
    void dataOfATensorIsIndependentOfOtherViews() throws IOException {
        Map<String, Tensor> read = Pth.read(cases.resolve("views.pth"));
        // shared_a and shared_b are views of one storage of 0..23
        float[] a = read.get("shared_a").toFloats();
        assertArrayEquals(new float[] {2, 3, 4, 5, 6, 7}, a);
        float[] b = read.get("shared_b").toFloats();
        assertArrayEquals(new float[] {9, 15, 21, 10, 16, 22, 11, 17, 23}, b);
        ByteBuffer data = read.get("shared_a").data();
        assertEquals(24, data.remaining());
        assertTrue(read.get("transposed").numel() == 24);
    }

    static void assertContains(String message, String... fragments) {
        for (String f : fragments) {
            assertTrue(message.contains(f), "expected '" + f + "' in: " + message);
        }
    }
}

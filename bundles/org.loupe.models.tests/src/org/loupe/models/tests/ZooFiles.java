package org.loupe.models.tests;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;

import org.loupe.models.io.Tensor;
import org.loupe.testing.Oracle;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;

/**
 * The files the zoo tests share: the CNNs written by oracle/zoo_cnn.py (generated once per
 * architecture, reused while newer than the scripts) and the .pth cases of oracle/pth_cases.py.
 */
final class ZooFiles {

    /** The architectures oracle/zoo_cnn.py builds. */
    static final String[] ARCHS = {"resnet18", "resnet34", "resnet50", "resnet101", "googlenet", "inceptionv1", "convnext-tiny"};

    private ZooFiles() {
    }

    /** The folder of the generated zoo files. */
    static Path dir() throws IOException {
        return Oracle.work("zoo");
    }

    /** Generates {@code arch}'s weights and references unless they are up to date; returns the folder. */
    static Path ensure(String arch) throws IOException, InterruptedException {
        Path dir = dir();
        String lucent = Oracle.scripts().resolve("lucent_inceptionv1.py").toString();
        Oracle.run(dir.resolve(arch + "_ref.npz"), "zoo_cnn.py", arch, dir.toString(), lucent);
        return dir;
    }

    /** Generates the .pth reader cases unless they are up to date; returns their folder. */
    static Path pthCases() throws IOException, InterruptedException {
        Path dir = Oracle.work("pth");
        Oracle.run(dir.resolve("views_expected.npz"), "pth_cases.py", dir.toString());
        return dir;
    }

    /** Writes tensors of any dtype as a safetensors file (raw bytes as they are). */
    static void writeSafetensors(Path file, Map<String, Tensor> tensors) throws IOException {
        JsonObject header = new JsonObject();
        long offset = 0;
        for (Tensor t : tensors.values()) {
            JsonObject o = new JsonObject();
            o.addProperty("dtype", t.dtype().name());
            JsonArray shape = new JsonArray();
            for (long d : t.shape()) {
                shape.add(d);
            }
            o.add("shape", shape);
            JsonArray off = new JsonArray();
            off.add(offset);
            offset += t.data().remaining();
            off.add(offset);
            o.add("data_offsets", off);
            header.add(t.name(), o);
        }
        byte[] h = header.toString().getBytes(StandardCharsets.UTF_8);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(0, h.length);
            write(ch, len);
            write(ch, ByteBuffer.wrap(h));
            for (Tensor t : tensors.values()) {
                write(ch, t.data());
            }
        }
    }

    private static void write(FileChannel ch, ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            ch.write(b);
        }
    }
}

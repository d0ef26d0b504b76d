package org.loupe.models.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/**
 * Reads Hugging Face safetensors files: an 8-byte little-endian header length, a JSON header giving
 * each tensor's dtype, shape and byte range, then the raw data. The file is memory-mapped; every
 * header entry is checked against the file so a truncated or corrupt file is reported, never
 * half-read.
 *
 * @since 0.1
 */
public final class Safetensors {

    private static final long MAX_HEADER = 100L << 20;

    private Safetensors() {
    }

    /** Reads every tensor of {@code file}, in header order (the file is memory-mapped). */
    public static Map<String, Tensor> read(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size > Integer.MAX_VALUE) {
                throw corrupt(file, "it is larger than 2 GB, which Loupe cannot map yet; split the weights or use npz");
            }
            return parse(file, ch.map(FileChannel.MapMode.READ_ONLY, 0, size));
        }
    }

    /** Reads every tensor of a safetensors file held in {@code bytes}; {@code name} is used in messages. */
    public static Map<String, Tensor> parse(Path name, ByteBuffer bytes) throws WeightFileException {
        ByteBuffer all = bytes.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        long size = all.remaining();
        if (size < 8) {
            throw corrupt(name, "it is " + size + " bytes long, shorter than the 8-byte header length");
        }
        long headerLen = all.getLong(all.position());
        if (headerLen <= 1 || headerLen > MAX_HEADER || headerLen > size - 8) {
            throw corrupt(name, "its header length field says " + headerLen + " bytes but the file has " + (size - 8)
                    + " bytes after it (truncated, or not a safetensors file)");
        }
        byte[] header = new byte[(int) headerLen];
        all.position(all.position() + 8);
        all.get(header);
        JsonObject json;
        try {
            JsonElement parsed = JsonParser.parseString(new String(header, StandardCharsets.UTF_8));
            json = parsed.getAsJsonObject();
        } catch (RuntimeException e) {
            throw corrupt(name, "its header is not a JSON object (" + e.getMessage() + ")");
        }
        ByteBuffer data = all.slice();
        long dataSize = data.remaining();
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (Map.Entry<String, JsonElement> e : json.entrySet()) {
            if (e.getKey().equals("__metadata__")) {
                continue;
            }
            out.put(e.getKey(), tensor(name, e.getKey(), e.getValue(), data, dataSize));
        }
        return out;
    }

    private static Tensor tensor(Path file, String name, JsonElement el, ByteBuffer data, long dataSize) throws WeightFileException {
        try {
            JsonObject o = el.getAsJsonObject();
            String dt = o.get("dtype").getAsString();
            DType dtype;
            try {
                dtype = DType.valueOf(dt);
            } catch (IllegalArgumentException ex) {
                throw corrupt(file, "tensor '" + name + "' has dtype '" + dt + "', which Loupe does not read (F32, F16, BF16, F64, I64, I32, I16, I8, U8, BOOL)");
            }
            JsonArray sh = o.getAsJsonArray("shape");
            long[] shape = new long[sh.size()];
            for (int i = 0; i < shape.length; i++) {
                shape[i] = sh.get(i).getAsLong();
            }
            JsonArray off = o.getAsJsonArray("data_offsets");
            long begin = off.get(0).getAsLong();
            long end = off.get(1).getAsLong();
            long expected = Tensor.numel(shape) * dtype.bytes();
            if (begin < 0 || end < begin || end > dataSize) {
                throw corrupt(file, "tensor '" + name + "' claims bytes " + begin + ".." + end + " but the data section has " + dataSize
                        + " bytes (the file is truncated or corrupt)");
            }
            if (end - begin != expected) {
                throw corrupt(file, "tensor '" + name + "' of shape " + java.util.Arrays.toString(shape) + " and dtype " + dtype + " needs "
                        + expected + " bytes but has " + (end - begin));
            }
            ByteBuffer slice = data.duplicate();
            slice.position((int) begin).limit((int) end);
            return new Tensor(name, dtype, shape, slice.slice());
        } catch (WeightFileException ex) {
            throw ex;
        } catch (RuntimeException ex) {
            throw corrupt(file, "the header entry of tensor '" + name + "' is malformed (" + ex.getMessage() + ")");
        }
    }

    private static WeightFileException corrupt(Path file, String what) {
        return new WeightFileException(file.getFileName() + " is not a valid safetensors file: " + what + ".");
    }

    /** Writes tensors as a safetensors file (F32 only), for exports and tests. */
    public static void write(Path file, Map<String, float[]> tensors, Map<String, long[]> shapes) throws IOException {
        JsonObject header = new JsonObject();
        long offset = 0;
        for (Map.Entry<String, float[]> e : tensors.entrySet()) {
            JsonObject t = new JsonObject();
            t.addProperty("dtype", "F32");
            JsonArray shape = new JsonArray();
            for (long d : shapes.get(e.getKey())) {
                shape.add(d);
            }
            t.add("shape", shape);
            JsonArray off = new JsonArray();
            off.add(offset);
            offset += 4L * e.getValue().length;
            off.add(offset);
            t.add("data_offsets", off);
            header.add(e.getKey(), t);
        }
        byte[] h = header.toString().getBytes(StandardCharsets.UTF_8);
        int pad = (8 - h.length % 8) % 8;
        ByteBuffer buf = ByteBuffer.allocate((int) (8 + h.length + pad + offset)).order(ByteOrder.LITTLE_ENDIAN);
        buf.putLong(h.length + pad).put(h);
        for (int i = 0; i < pad; i++) {
            buf.put((byte) ' ');
        }
        for (float[] v : tensors.values()) {
            for (float f : v) {
                buf.putFloat(f);
            }
        }
        buf.flip();
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
        }
    }
}

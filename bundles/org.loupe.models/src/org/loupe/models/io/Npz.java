package org.loupe.models.io;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * Reads NumPy {@code .npz} archives (as written by {@code numpy.savez}): one {@code .npy} array per
 * entry, named by the entry without {@code .npy}. C-order little-endian arrays only; anything else
 * is refused with the reason.
 *
 * @since 0.1
 */
public final class Npz {

    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

    private Npz() {
    }

    /** Reads every array of {@code file}. */
    public static Map<String, Tensor> read(Path file) throws IOException {
        Map<String, Tensor> out = new LinkedHashMap<>();
        try (ZipFile zip = new ZipFile(file.toFile())) {
            Enumeration<? extends ZipEntry> entries = zip.entries();
            while (entries.hasMoreElements()) {
                ZipEntry e = entries.nextElement();
                if (e.isDirectory() || !e.getName().endsWith(".npy")) {
                    continue;
                }
                String name = e.getName().substring(0, e.getName().length() - 4);
                try (InputStream in = zip.getInputStream(e)) {
                    out.put(name, npy(file, name, in.readAllBytes()));
                }
            }
        } catch (ZipException e) {
            throw new WeightFileException(file.getFileName() + " is not a valid .npz file: " + e.getMessage()
                    + " (truncated, or not a zip archive).", e);
        }
        return out;
    }

    /** Parses one {@code .npy} array held in {@code bytes}. */
    public static Tensor npy(Path file, String name, byte[] bytes) throws WeightFileException {
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        if (bytes.length < 10 || (bytes[0] & 0xFF) != 0x93 || !new String(bytes, 1, 5, StandardCharsets.US_ASCII).equals("NUMPY")) {
            throw bad(file, name, "it does not start with the .npy magic");
        }
        int major = bytes[6];
        int headerLen;
        int start;
        if (major == 1) {
            headerLen = b.getShort(8) & 0xFFFF;
            start = 10;
        } else {
            headerLen = b.getInt(8);
            start = 12;
        }
        if (headerLen < 0 || start + headerLen > bytes.length) {
            throw bad(file, name, "its header is cut off");
        }
        String header = new String(bytes, start, headerLen, StandardCharsets.ISO_8859_1);
        Matcher d = DESCR.matcher(header);
        Matcher f = FORTRAN.matcher(header);
        Matcher s = SHAPE.matcher(header);
        if (!d.find() || !f.find() || !s.find()) {
            throw bad(file, name, "its header is not understood: " + header.trim());
        }
        if (f.group(1).equals("True")) {
            throw bad(file, name, "it is stored in Fortran order; save it with numpy.ascontiguousarray");
        }
        DType dtype = switch (d.group(1)) {
            case "<f4" -> DType.F32;
            case "<f8" -> DType.F64;
            case "<f2" -> DType.F16;
            case "<i8" -> DType.I64;
            case "<i4" -> DType.I32;
            case "<i2" -> DType.I16;
            case "|i1" -> DType.I8;
            case "|u1" -> DType.U8;
            case "|b1" -> DType.BOOL;
            default -> throw bad(file, name, "its element type '" + d.group(1) + "' is not supported (little-endian numbers only)");
        };
        String[] dims = s.group(1).split(",");
        long[] shape = java.util.Arrays.stream(dims).map(String::trim).filter(x -> !x.isEmpty()).mapToLong(Long::parseLong).toArray();
        int dataStart = start + headerLen;
        long expected = Tensor.numel(shape) * dtype.bytes();
        if (bytes.length - dataStart != expected) {
            throw bad(file, name, "it should hold " + expected + " bytes of data but holds " + (bytes.length - dataStart));
        }
        return new Tensor(name, dtype, shape, ByteBuffer.wrap(bytes, dataStart, (int) expected));
    }

    private static WeightFileException bad(Path file, String name, String why) {
        return new WeightFileException(file.getFileName() + ": array '" + name + "' cannot be read: " + why + ".");
    }
}

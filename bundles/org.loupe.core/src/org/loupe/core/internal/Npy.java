package org.loupe.core.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.loupe.core.result.FloatMap;

/**
 * NumPy's {@code .npy} format (version 1.0) for float32 maps: what {@code numpy.save} writes and
 * {@code numpy.load} reads, little-endian, C order. Only what float maps need: {@code <f4} arrays
 * of 2 or 3 dimensions ({@code >f4} is read too).
 */
public final class Npy {

    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([<>|=]?)f4'");
    private static final Pattern ORDER = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

    private Npy() {
    }

    /** Writes {@code map}. */
    public static void write(FloatMap map, OutputStream out) throws IOException {
        int[] shape = map.shape();
        StringBuilder dims = new StringBuilder();
        for (int d : shape) {
            dims.append(d).append(", ");
        }
        String header = "{'descr': '<f4', 'fortran_order': False, 'shape': (" + dims.substring(0, dims.length() - 1) + "), }";
        // magic (6) + version (2) + header length (2) + header + padding + '\n' is a multiple of 64
        int unpadded = 10 + header.length() + 1;
        String padded = header + " ".repeat((64 - unpadded % 64) % 64) + "\n";
        out.write(MAGIC);
        out.write(new byte[] {1, 0, (byte) (padded.length() & 0xFF), (byte) (padded.length() >> 8)});
        out.write(padded.getBytes(StandardCharsets.US_ASCII));
        float[] v = map.values();
        ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(v);
        out.write(b.array());
    }

    /**
     * Reads a float32 array of 2 or 3 dimensions.
     *
     * @throws IOException if it is not such an {@code .npy} file; the message says what it holds
     */
    public static FloatMap read(InputStream in) throws IOException {
        byte[] head = in.readNBytes(8);
        if (head.length < 8 || !Arrays.equals(Arrays.copyOf(head, 6), MAGIC)) {
            throw new IOException("not a NumPy .npy file");
        }
        int major = head[6];
        int lenBytes = major == 1 ? 2 : 4;
        byte[] len = in.readNBytes(lenBytes);
        int headerLength = (len[0] & 0xFF) | (len[1] & 0xFF) << 8 | (lenBytes == 4 ? (len[2] & 0xFF) << 16 | (len[3] & 0xFF) << 24 : 0);
        String header = new String(in.readNBytes(headerLength), StandardCharsets.ISO_8859_1);
        Matcher descr = DESCR.matcher(header);
        Matcher order = ORDER.matcher(header);
        Matcher shape = SHAPE.matcher(header);
        if (!descr.find() || !shape.find()) {
            throw new IOException("the .npy file holds no float32 array (header " + header.trim() + ")");
        }
        if (order.find() && order.group(1).equals("True")) {
            throw new IOException("the .npy file is in Fortran order; save it in C order");
        }
        int[] dims = Arrays.stream(shape.group(1).split(",")).map(String::trim).filter(s -> !s.isEmpty()).mapToInt(Integer::parseInt)
                .toArray();
        long n = Arrays.stream(dims).asLongStream().reduce(1, (a, b) -> a * b);
        byte[] data = in.readNBytes(Math.toIntExact(4 * n));
        if (data.length != 4 * n) {
            throw new IOException("the .npy file is cut short: " + data.length + " of " + 4 * n + " bytes");
        }
        float[] v = new float[(int) n];
        ByteBuffer.wrap(data).order(descr.group(1).equals(">") ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(v);
        try {
            return new FloatMap(dims, v);
        } catch (IllegalArgumentException e) {
            throw new IOException("the .npy file holds no float map: " + e.getMessage(), e);
        }
    }
}

package org.loupe.models.io;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

import net.razorvine.pickle.IObjectConstructor;
import net.razorvine.pickle.PickleException;
import net.razorvine.pickle.PickleUtils;
import net.razorvine.pickle.Unpickler;

/**
 * Reads PyTorch state dicts saved with {@code torch.save(model.state_dict(), f)} ({@code .pth},
 * {@code .pt}, {@code .bin}) without running Python: the pickle is parsed with an allowlist of
 * globals (tensor rebuild, OrderedDict, storage types); anything else is refused by name.
 *
 * <p>Both layouts torch writes are read: the zip archive ({@code <name>/data.pkl} plus one
 * {@code <name>/data/<key>} entry per storage, torch 1.6 and later) and the legacy stream
 * ({@code _use_new_zipfile_serialization=False}: five pickles followed by the raw storages).
 * Tensors may be views: storage offsets and strides (transposed, sliced, expanded, shared
 * storages) are honoured by gathering the elements. A checkpoint dict whose {@code state_dict}
 * or {@code model} entry holds the tensors is accepted too.
 *
 * <p>Safety: the unpickler never imports or calls anything by name. Every {@code GLOBAL} /
 * {@code STACK_GLOBAL} reference is checked against the allowlist when it is read, before it can
 * be called; {@code INST} and extension-registry opcodes are refused; {@code BUILD} (object state)
 * is accepted only for an OrderedDict and ignored. A crafted file can at most be rejected.
 *
 * @since 0.1
 */
public final class Pth {

    private static final String ORDERED_DICT = "collections.OrderedDict";
    private static final String REBUILD_TENSOR = "torch._utils._rebuild_tensor_v2";
    private static final String REBUILD_PARAMETER = "torch._utils._rebuild_parameter";

    /** Storage classes by their pickled name, with the element type they hold. */
    private static final Map<String, DType> STORAGES = Map.ofEntries(
            Map.entry("torch.FloatStorage", DType.F32), Map.entry("torch.HalfStorage", DType.F16),
            Map.entry("torch.BFloat16Storage", DType.BF16), Map.entry("torch.DoubleStorage", DType.F64),
            Map.entry("torch.LongStorage", DType.I64), Map.entry("torch.IntStorage", DType.I32),
            Map.entry("torch.ShortStorage", DType.I16), Map.entry("torch.CharStorage", DType.I8),
            Map.entry("torch.ByteStorage", DType.U8), Map.entry("torch.BoolStorage", DType.BOOL),
            Map.entry("torch.UntypedStorage", DType.U8), Map.entry("torch.storage.UntypedStorage", DType.U8),
            Map.entry("torch.storage._UntypedStorage", DType.U8));

    /** The magic number that opens a legacy (non-zip) torch.save stream. */
    private static final BigInteger LEGACY_MAGIC = new BigInteger("1950a86a20f9469cfc6c", 16);

    private Pth() {
    }

    /** Reads every tensor of the state dict in {@code file}. */
    public static Map<String, Tensor> read(Path file) throws IOException {
        byte[] head;
        try (InputStream in = Files.newInputStream(file)) {
            head = in.readNBytes(4);
        }
        if (head.length == 4 && head[0] == 'P' && head[1] == 'K') {
            return readZip(file);
        }
        if (head.length >= 2 && (head[0] & 0xFF) == 0x80) {
            return readLegacy(file);
        }
        throw new WeightFileException(file.getFileName() + " is not a PyTorch file: it is neither a zip archive written by "
                + "torch.save nor a legacy torch.save stream" + (head.length < 4 ? " (it is " + head.length + " bytes long)" : "") + ".");
    }

    // ---------------------------------------------------------------- zip layout

    private static Map<String, Tensor> readZip(Path file) throws IOException {
        try (ZipFile zip = new ZipFile(file.toFile())) {
            ZipEntry pkl = zip.stream().filter(e -> e.getName().endsWith("data.pkl") && depth(e.getName()) <= 1)
                    .findFirst().orElseThrow(() -> new WeightFileException(file.getFileName()
                            + " is a zip archive without a data.pkl entry, so not a state dict written by torch.save."));
            String prefix = pkl.getName().substring(0, pkl.getName().length() - "data.pkl".length());
            ZipEntry order = zip.getEntry(prefix + "byteorder");
            if (order != null) {
                try (InputStream in = zip.getInputStream(order)) {
                    String bo = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.US_ASCII).trim();
                    if (!bo.equals("little")) {
                        throw new WeightFileException(file.getFileName() + " was written on a " + bo
                                + "-endian machine; Loupe reads little-endian state dicts only.");
                    }
                }
            }
            SafeUnpickler u = new SafeUnpickler(file);
            Object root;
            try (InputStream in = zip.getInputStream(pkl)) {
                root = u.read(in);
            }
            Map<String, TensorRef> refs = stateDict(file, root);
            Map<String, ByteBuffer> storages = new HashMap<>();
            Map<String, Tensor> out = new LinkedHashMap<>();
            for (Map.Entry<String, TensorRef> e : refs.entrySet()) {
                StorageRef s = e.getValue().storage();
                ByteBuffer data = storages.get(s.key());
                if (data == null) {
                    ZipEntry entry = zip.getEntry(prefix + "data/" + s.key());
                    if (entry == null) {
                        throw new WeightFileException(file.getFileName() + ": tensor '" + e.getKey() + "' refers to storage '" + s.key()
                                + "', which is missing from the archive (truncated or corrupt file).");
                    }
                    try (InputStream in = zip.getInputStream(entry)) {
                        data = ByteBuffer.wrap(in.readAllBytes());
                    }
                    storages.put(s.key(), data);
                }
                out.put(e.getKey(), gather(file, e.getKey(), e.getValue(), data));
            }
            return out;
        } catch (ZipException e) {
            throw new WeightFileException(file.getFileName() + " is not a valid PyTorch file: " + e.getMessage()
                    + " (the zip archive is truncated or corrupt).", e);
        } catch (EOFException e) {
            throw new WeightFileException(file.getFileName() + " is not a valid PyTorch file: it ends unexpectedly (truncated).", e);
        }
    }

    private static int depth(String name) {
        return (int) name.chars().filter(c -> c == '/').count();
    }

    // ---------------------------------------------------------------- legacy layout

    private static Map<String, Tensor> readLegacy(Path file) throws IOException {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            SafeUnpickler u = new SafeUnpickler(file);
            Object magic = u.read(in);
            if (!(magic instanceof Number n) || !new BigInteger(n.toString()).equals(LEGACY_MAGIC)) {
                throw new WeightFileException(file.getFileName() + " is not a PyTorch file: it is a Python pickle, but not one "
                        + "written by torch.save (no torch magic number).");
            }
            Object protocol = u.read(in);
            if (!(protocol instanceof Number p) || p.intValue() != 1001) {
                throw new WeightFileException(file.getFileName() + " uses legacy torch.save protocol " + protocol
                        + ", which Loupe does not read; re-save it with a newer torch.");
            }
            Object sysInfo = u.read(in);
            if (sysInfo instanceof Map<?, ?> info && Boolean.FALSE.equals(info.get("little_endian"))) {
                throw new WeightFileException(file.getFileName() + " was written on a big-endian machine; Loupe reads "
                        + "little-endian state dicts only.");
            }
            Object root = u.read(in);
            Object keys = u.read(in);
            Map<String, TensorRef> refs = stateDict(file, root);
            if (!(keys instanceof List<?> keyList)) {
                throw new WeightFileException(file.getFileName() + " is not a valid legacy PyTorch file: the storage list is missing.");
            }
            Map<String, DType> types = new HashMap<>();
            for (StorageRef s : u.storages) {
                types.put(s.key(), s.dtype());
            }
            Map<String, ByteBuffer> storages = new HashMap<>();
            for (Object k : keyList) {
                String key = String.valueOf(k);
                DType dt = types.get(key);
                if (dt == null) {
                    throw new WeightFileException(file.getFileName() + ": storage '" + key + "' is listed but never used (corrupt file).");
                }
                byte[] len = in.readNBytes(8);
                if (len.length < 8) {
                    throw truncated(file, key);
                }
                long numel = ByteBuffer.wrap(len).order(ByteOrder.LITTLE_ENDIAN).getLong();
                long bytes = Math.multiplyExact(numel, dt.bytes());
                if (numel < 0 || bytes > Integer.MAX_VALUE) {
                    throw new WeightFileException(file.getFileName() + ": storage '" + key + "' claims " + numel
                            + " elements (corrupt file, or a storage over 2 GB).");
                }
                byte[] data = in.readNBytes((int) bytes);
                if (data.length < bytes) {
                    throw truncated(file, key);
                }
                storages.put(key, ByteBuffer.wrap(data));
            }
            Map<String, Tensor> out = new LinkedHashMap<>();
            for (Map.Entry<String, TensorRef> e : refs.entrySet()) {
                ByteBuffer data = storages.get(e.getValue().storage().key());
                if (data == null) {
                    throw truncated(file, e.getValue().storage().key());
                }
                out.put(e.getKey(), gather(file, e.getKey(), e.getValue(), data));
            }
            return out;
        } catch (EOFException e) {
            throw new WeightFileException(file.getFileName() + " is not a valid PyTorch file: it ends unexpectedly (truncated).", e);
        }
    }

    private static WeightFileException truncated(Path file, String key) {
        return new WeightFileException(file.getFileName() + " is not a valid PyTorch file: the data of storage '" + key
                + "' is cut off (truncated).");
    }

    // ---------------------------------------------------------------- pickle contents

    /** The tensors by name: the pickled root, or the state dict inside a checkpoint dict. */
    private static Map<String, TensorRef> stateDict(Path file, Object root) throws WeightFileException {
        if (root instanceof Map<?, ?> m) {
            Map<String, TensorRef> tensors = tensorsOf(m);
            if (tensors != null) {
                return tensors;
            }
            for (String key : List.of("state_dict", "model_state_dict", "model", "module", "ema")) {
                if (m.get(key) instanceof Map<?, ?> inner) {
                    tensors = tensorsOf(inner);
                    if (tensors != null) {
                        return tensors;
                    }
                }
            }
            List<String> keys = new ArrayList<>();
            m.keySet().forEach(k -> keys.add(String.valueOf(k)));
            throw new WeightFileException(file.getFileName() + " holds a dict whose entries are not all tensors (keys: "
                    + String.join(", ", keys.subList(0, Math.min(8, keys.size()))) + (keys.size() > 8 ? ", ..." : "")
                    + ") and no 'state_dict' or 'model' entry of tensors; save model.state_dict() instead.");
        }
        throw new WeightFileException(file.getFileName() + " holds a " + describe(root)
                + ", not a state dict (a dict of tensors by name); save model.state_dict() instead.");
    }

    private static Map<String, TensorRef> tensorsOf(Map<?, ?> m) {
        Map<String, TensorRef> out = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : m.entrySet()) {
            if (!(e.getKey() instanceof String k) || !(e.getValue() instanceof TensorRef t)) {
                return null;
            }
            out.put(k, t);
        }
        return out.isEmpty() ? null : out;
    }

    private static String describe(Object o) {
        if (o == null) {
            return "None";
        }
        if (o instanceof TensorRef) {
            return "single tensor";
        }
        if (o instanceof List<?> || o instanceof Object[]) {
            return "list";
        }
        return o.getClass().getSimpleName();
    }

    /** Copies the elements a (possibly strided) tensor view selects from its storage. */
    private static Tensor gather(Path file, String name, TensorRef t, ByteBuffer storage) throws WeightFileException {
        DType dt = t.storage().dtype();
        int es = dt.bytes();
        long[] shape = t.size();
        long[] stride = t.stride();
        if (stride.length != shape.length) {
            throw new WeightFileException(file.getFileName() + ": tensor '" + name + "' has " + shape.length + " dimensions but "
                    + stride.length + " strides (corrupt file).");
        }
        long numel;
        try {
            numel = Tensor.numel(shape);
        } catch (IllegalArgumentException | ArithmeticException e) {
            throw new WeightFileException(file.getFileName() + ": tensor '" + name + "' has an invalid shape " + Arrays.toString(shape) + ".");
        }
        long storageElems = storage.capacity() / es;
        if (storage.capacity() % es != 0 || storageElems < t.storage().numel()) {
            throw new WeightFileException(file.getFileName() + ": storage '" + t.storage().key() + "' of tensor '" + name + "' holds "
                    + storage.capacity() + " bytes but should hold " + t.storage().numel() + " " + dt + " elements (truncated or corrupt).");
        }
        long last = t.offset();
        for (int d = 0; d < shape.length; d++) {
            if (stride[d] < 0) {
                throw new WeightFileException(file.getFileName() + ": tensor '" + name + "' has a negative stride (corrupt file).");
            }
            if (shape[d] > 0) {
                last += (shape[d] - 1) * stride[d];
            }
        }
        if (numel > 0 && (t.offset() < 0 || last >= storageElems)) {
            throw new WeightFileException(file.getFileName() + ": tensor '" + name + "' of shape " + Arrays.toString(shape)
                    + " reaches element " + last + " of its storage, which has " + storageElems + " (truncated or corrupt).");
        }
        if (numel * es > Integer.MAX_VALUE) {
            throw new WeightFileException(file.getFileName() + ": tensor '" + name + "' is larger than 2 GB, which Loupe does not read.");
        }
        ByteBuffer src = storage.duplicate();
        if (isContiguous(shape, stride)) {
            src.position((int) (t.offset() * es)).limit((int) ((t.offset() + numel) * es));
            return new Tensor(name, dt, shape, src.slice());
        }
        byte[] out = new byte[(int) (numel * es)];
        byte[] in = src.array();
        int base = src.arrayOffset();
        long[] idx = new long[shape.length];
        for (long i = 0; i < numel; i++) {
            long at = t.offset();
            for (int d = 0; d < shape.length; d++) {
                at += idx[d] * stride[d];
            }
            System.arraycopy(in, base + (int) (at * es), out, (int) (i * es), es);
            for (int d = shape.length - 1; d >= 0; d--) {
                if (++idx[d] < shape[d]) {
                    break;
                }
                idx[d] = 0;
            }
        }
        return new Tensor(name, dt, shape, ByteBuffer.wrap(out));
    }

    private static boolean isContiguous(long[] shape, long[] stride) {
        long expected = 1;
        for (int d = shape.length - 1; d >= 0; d--) {
            if (shape[d] != 1 && stride[d] != expected) {
                return false;
            }
            expected *= shape[d];
        }
        return true;
    }

    /** A storage a tensor lives in: its key in the archive, element type and element count. */
    record StorageRef(String key, DType dtype, long numel) {
    }

    /** A tensor as pickled: a view (offset, size, stride in elements) into a storage. */
    record TensorRef(StorageRef storage, long offset, long[] size, long[] stride) {
    }

    /** A storage class named in the pickle (the second element of a persistent id). */
    record StorageType(String name, DType dtype) {
    }

    /** The dict torch pickles state dicts as; its instance state ({@code _metadata}) is dropped. */
    private static final class StateDict extends LinkedHashMap<Object, Object> {
        private static final long serialVersionUID = 1L;
    }

    /**
     * An unpickler that resolves globals only from the allowlist, per file. Pyrolite's own global
     * lookup (a static registry that builds dictionaries for unknown classes) is never reached.
     */
    private static final class SafeUnpickler extends Unpickler {
        private final Path file;
        final List<StorageRef> storages = new ArrayList<>();

        SafeUnpickler(Path file) {
            this.file = file;
        }

        Object read(InputStream in) throws IOException {
            try {
                return load(in);
            } catch (WeightFileException e) {
                throw e;
            } catch (IOException e) {
                throw new WeightFileException(file.getFileName() + " is not a valid PyTorch file: its pickle cannot be read ("
                        + e.getMessage() + "; truncated or corrupt).", e);
            } catch (PickleException | ClassCastException | IndexOutOfBoundsException | NullPointerException
                    | IllegalArgumentException | ArithmeticException e) {
                throw new WeightFileException(file.getFileName() + " is not a valid PyTorch state dict: its pickle cannot be read ("
                        + e.getMessage() + ").", e);
            }
        }

        @Override
        protected Object dispatch(short key) throws PickleException, IOException {
            switch (key) {
                case 'c' -> { // GLOBAL module\nname\n
                    String module = PickleUtils.readline(input);
                    String name = PickleUtils.readline(input);
                    stack.add(resolve(module, name));
                    return NO_RETURN_VALUE;
                }
                case 0x93 -> { // STACK_GLOBAL
                    Object name = stack.pop();
                    Object module = stack.pop();
                    if (!(module instanceof String m) || !(name instanceof String n)) {
                        throw new WeightFileException(file.getFileName() + " is not a valid PyTorch state dict: a global reference "
                                + "is not made of two strings.");
                    }
                    stack.add(resolve(m, n));
                    return NO_RETURN_VALUE;
                }
                case 'i' -> { // INST module\nname\n: instantiates a class
                    String module = PickleUtils.readline(input);
                    String name = PickleUtils.readline(input);
                    throw refused(module + "." + name);
                }
                case '}' -> { // EMPTY_DICT: keep insertion order (checkpoint dicts)
                    stack.add(new LinkedHashMap<Object, Object>());
                    return NO_RETURN_VALUE;
                }
                case 'u' -> { // SETITEMS: in pickle order (Pyrolite's own goes through a HashMap)
                    List<Object> items = stack.pop_all_since_marker();
                    @SuppressWarnings("unchecked")
                    Map<Object, Object> dict = (Map<Object, Object>) stack.peek();
                    for (int i = 0; i + 1 < items.size(); i += 2) {
                        dict.put(items.get(i), items.get(i + 1));
                    }
                    return NO_RETURN_VALUE;
                }
                case 'b' -> { // BUILD: only torch's OrderedDict gets instance state (_metadata), which is dropped
                    stack.pop();
                    if (!(stack.peek() instanceof StateDict)) {
                        throw new PickleException("object state for a " + describe(stack.peek()));
                    }
                    return NO_RETURN_VALUE;
                }
                case 0x82, 0x83, 0x84 -> throw new WeightFileException(file.getFileName() + " refers to Python objects through "
                        + "the copyreg extension registry, which a state dict never does; Loupe refuses it.");
                default -> {
                    return super.dispatch(key);
                }
            }
        }

        private Object resolve(String module, String name) throws WeightFileException {
            String global = module + "." + name;
            DType storage = STORAGES.get(global);
            if (storage != null) {
                return new StorageType(global, storage);
            }
            return switch (global) {
                case ORDERED_DICT -> (IObjectConstructor) args -> new StateDict();
                case REBUILD_TENSOR -> (IObjectConstructor) this::rebuildTensor;
                case REBUILD_PARAMETER -> (IObjectConstructor) args -> args[0];
                default -> throw refused(global);
            };
        }

        private WeightFileException refused(String global) {
            boolean looksLikeModule = global.startsWith("torch.nn.") || global.startsWith("torchvision.") || global.startsWith("timm.")
                    || global.startsWith("transformers.") || global.startsWith("__main__.")
                    || Character.isUpperCase(global.charAt(global.lastIndexOf('.') + 1));
            String hint = looksLikeModule
                    ? " It looks like a whole model was saved (torch.save(model)): save its state_dict() instead, "
                            + "torch.save(model.state_dict(), path)."
                    : " A state dict holds only tensors; if this file should be one, save model.state_dict() with torch.save.";
            return new WeightFileException(file.getFileName() + " refers to the Python global '" + global
                    + "', which is not allowed in a state dict: Loupe reads only tensors, OrderedDict and torch storages, "
                    + "and never runs code from a pickle." + hint);
        }

        private Object rebuildTensor(Object[] args) {
            if (args.length < 4 || !(args[0] instanceof StorageRef s)) {
                throw new PickleException("_rebuild_tensor_v2 called without a storage");
            }
            return new TensorRef(s, ((Number) args[1]).longValue(), longs(args[2]), longs(args[3]));
        }

        private static long[] longs(Object o) {
            Object[] a = (Object[]) o;
            long[] out = new long[a.length];
            for (int i = 0; i < a.length; i++) {
                out[i] = ((Number) a[i]).longValue();
            }
            return out;
        }

        @Override
        protected Object persistentLoad(Object pid) {
            // zip: ('storage', storage_type, key, location, numel); legacy adds view_metadata
            if (!(pid instanceof Object[] t) || t.length < 5 || !"storage".equals(t[0]) || !(t[1] instanceof StorageType type)) {
                throw new PickleException("unexpected persistent id " + (pid instanceof Object[] a ? Arrays.toString(a) : pid));
            }
            if (t.length > 5 && t[5] != null) {
                throw new PickleException("storage views of the legacy format are not supported; re-save the file with a newer torch");
            }
            StorageRef s = new StorageRef(String.valueOf(t[2]), type.dtype(), ((Number) t[4]).longValue());
            storages.add(s);
            return s;
        }
    }
}

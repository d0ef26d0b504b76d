package org.loupe.djl.internal;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import ai.djl.engine.EngineException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.IValue;
import ai.djl.pytorch.jni.JniUtils;

/**
 * libtorch operators that DJL does not expose, called as the methods of a small TorchScript module
 * whose source is below: libtorch compiles it when the module is loaded, and its calls are
 * recorded by autograd like any other operator when the calling thread records gradients.
 *
 * <p>DJL's public {@code IValueUtils.runMethod} runs a method without gradients, so calls go through
 * the native method behind it ({@code PyTorchLibrary.moduleRunMethod}, package-private in DJL 0.36),
 * reached by reflection with the calling thread's gradient mode. If that is not possible (another
 * DJL version), {@link #bind} gives nothing and callers compute the same with DJL's operators.
 */
public final class ScriptOps {

    /** The module's source: one method per operator, as {@code torch.jit.save} writes TorchScript code. */
    private static final String SOURCE = """
            class Ops(Module):
              __parameters__ = []
              __buffers__ = []
              training : bool
              _is_full_backward_hook : Optional[bool]
              def forward(self: __torch__.Ops,
                x: Tensor) -> Tensor:
                return x
              def bilinear_aligned(self: __torch__.Ops,
                x: Tensor,
                size: List[int]) -> Tensor:
                return ops.aten.upsample_bilinear2d(x, size, True, None, None)
              def grid_sample(self: __torch__.Ops,
                x: Tensor,
                grid: Tensor) -> Tensor:
                return ops.aten.grid_sampler(x, grid, 0, 0, True)
            """;

    /** The pickled module object: an {@code Ops} with {@code training = True} and no backward hook. */
    private static final byte[] DATA = {(byte) 0x80, 0x02, 'c', '_', '_', 't', 'o', 'r', 'c', 'h', '_', '_', '\n', 'O', 'p', 's', '\n',
            'q', 0x00, ')', (byte) 0x81, '}', '(', 'X', 0x08, 0x00, 0x00, 0x00, 't', 'r', 'a', 'i', 'n', 'i', 'n', 'g', 'q', 0x01,
            (byte) 0x88, 'X', 0x16, 0x00, 0x00, 0x00, '_', 'i', 's', '_', 'f', 'u', 'l', 'l', '_', 'b', 'a', 'c', 'k', 'w', 'a', 'r', 'd',
            '_', 'h', 'o', 'o', 'k', 'q', 0x02, 'N', 'u', 'b', 'q', 0x03, '.'};

    /** An empty pickled tuple: the module has no constants. */
    private static final byte[] CONSTANTS = {(byte) 0x80, 0x02, ')', '.'};

    private final PtSymbolBlock module;
    private final Method run;
    private final Object library;
    private final Constructor<IValue> value;

    private ScriptOps(PtSymbolBlock module, Method run, Object library, Constructor<IValue> value) {
        this.module = module;
        this.run = run;
        this.library = library;
        this.value = value;
    }

    /**
     * Loads the module into {@code manager} (which must live as long as the engine), or nothing if
     * this DJL does not let its methods run with gradients or libtorch refuses the source.
     */
    public static Optional<ScriptOps> bind(NDManager manager) {
        try {
            Class<?> lib = Class.forName("ai.djl.pytorch.jni.PyTorchLibrary");
            Field field = lib.getDeclaredField("LIB");
            field.setAccessible(true);
            Method run = lib.getDeclaredMethod("moduleRunMethod", long.class, String.class, long[].class, boolean.class, boolean.class);
            run.setAccessible(true);
            Constructor<IValue> value = IValue.class.getDeclaredConstructor(long.class);
            value.setAccessible(true);
            PtSymbolBlock module = JniUtils.loadModule((PtNDManager) manager, new ByteArrayInputStream(archive()), false, false);
            return Optional.of(new ScriptOps(module, run, field.get(null), value));
        } catch (ReflectiveOperationException | RuntimeException | IOException e) {
            return Optional.empty();
        }
    }

    /**
     * {@code F.interpolate(x, size=(outH, outW), mode="bilinear", align_corners=True)} of an
     * {@code [N, C, H, W]} array; the result belongs to {@code x}'s manager.
     */
    public NDArray bilinearAligned(NDArray x, int outH, int outW) {
        return call(x.getManager(), "bilinear_aligned", IValue.from((PtNDArray) x), IValue.listFrom(outH, outW));
    }

    /**
     * {@code F.grid_sample(x, grid, mode="bilinear", padding_mode="zeros", align_corners=True)} of an
     * {@code [N, C, H, W]} array at an {@code [N, outH, outW, 2]} grid of normalised {@code (x, y)}
     * positions; the result belongs to {@code x}'s manager.
     */
    public NDArray gridSample(NDArray x, NDArray grid) {
        return call(x.getManager(), "grid_sample", IValue.from((PtNDArray) x), IValue.from((PtNDArray) grid));
    }

    private NDArray call(NDManager manager, String method, IValue... args) {
        long[] handles = Arrays.stream(args).mapToLong(IValue::getHandle).toArray();
        try {
            long result = (Long) run.invoke(library, module.getHandle(), method, handles, JniUtils.isGradMode(), false);
            try (IValue out = value.newInstance(result)) {
                return out.toTensor((PtNDManager) manager);
            }
        } catch (InvocationTargetException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new EngineException(e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new EngineException(e);
        } finally {
            for (IValue a : args) {
                a.close();
            }
        }
    }

    /** The module as {@code torch.jit.save} would write it: a zip of its pickled object, constants and code. */
    private static byte[] archive() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            entry(zip, "ops/data.pkl", DATA);
            entry(zip, "ops/code/__torch__.py", SOURCE.getBytes(StandardCharsets.UTF_8));
            entry(zip, "ops/constants.pkl", CONSTANTS);
            entry(zip, "ops/version", "3\n".getBytes(StandardCharsets.US_ASCII));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** A stored (uncompressed) entry, as libtorch's archives have them. */
    private static void entry(ZipOutputStream zip, String name, byte[] content) throws IOException {
        ZipEntry e = new ZipEntry(name);
        e.setMethod(ZipEntry.STORED);
        e.setSize(content.length);
        CRC32 crc = new CRC32();
        crc.update(content);
        e.setCrc(crc.getValue());
        zip.putNextEntry(e);
        zip.write(content);
        zip.closeEntry();
    }
}

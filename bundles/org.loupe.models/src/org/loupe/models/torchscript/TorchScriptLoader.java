package org.loupe.models.torchscript;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.zip.ZipFile;

import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.SubMonitor;
import org.loupe.core.model.ConfigValue;
import org.loupe.core.model.ConfigValue.Origin;
import org.loupe.core.model.HookedModel;
import org.loupe.core.model.InputSpec;
import org.loupe.core.model.ModelInfo;
import org.loupe.core.model.ModelLoadException;
import org.loupe.core.model.ModelLoader;
import org.loupe.djl.LoupeEngine;
import org.loupe.models.Hashing;
import org.loupe.models.io.WeightFiles;
import org.loupe.models.zoo.Labels;
import org.loupe.models.zoo.Sidecars;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;

/**
 * Opens TorchScript archives ({@code torch.jit.save} / {@code trace(...).save}) as black-box models:
 * inference and input gradients for networks Loupe has no architecture for. Claims {@code .pt} and
 * {@code .pth} files only when they are TorchScript archives (state dicts go to the zoo loader), and
 * every {@code .ts} / {@code .torchscript} file. The input size, normalisation, labels and name come
 * from an optional sidecar ({@link TorchScriptSidecar}); the default is 3x224x224 ImageNet.
 *
 * @since 0.1
 */
public class TorchScriptLoader implements ModelLoader {

    /** The architecture recorded for TorchScript models. */
    public static final String ARCHITECTURE = "torchscript";

    @Override
    public boolean canLoad(Path path) {
        if (!Files.isRegularFile(path)) {
            return false;
        }
        String n = path.getFileName().toString().toLowerCase(Locale.ROOT);
        if (n.endsWith(".ts") || n.endsWith(".torchscript")) {
            return true;
        }
        return (n.endsWith(".pt") || n.endsWith(".pth")) && WeightFiles.isTorchScript(path);
    }

    @Override
    public HookedModel load(Path path, IProgressMonitor monitor) throws ModelLoadException {
        SubMonitor sm = SubMonitor.convert(monitor, "Opening " + path.getFileName(), 4);
        String file = path.getFileName().toString();
        checkArchive(path);
        TorchScriptSidecar sidecar = TorchScriptSidecar.of(path);
        String hash;
        try {
            hash = Hashing.sha256(path);
        } catch (IOException e) {
            throw new ModelLoadException("Cannot read " + path + ": " + e.getMessage(), e);
        }
        sm.worked(1);
        Model model = LoupeEngine.get().newModel(base(file), Device.cpu());
        try {
            try {
                // trainParam: parameters loaded outside inference mode, so gradients can flow (see TorchScriptModel)
                model.load(path.toAbsolutePath().getParent(), file, Map.of("trainParam", "true"));
            } catch (IOException | MalformedModelException | RuntimeException e) {
                throw new ModelLoadException(file + " is a TorchScript archive that PyTorch cannot load (is it truncated or "
                        + "damaged, or saved by an incompatible PyTorch?): " + firstLines(e.getMessage()), e);
            }
            Block block = model.getBlock();
            block.freezeParameters(true);
            sm.worked(2);
            InputSpec input = sidecar.inputOrDefault();
            long outputs = probe(block, model.getNDManager(), input, file, sidecar);
            List<String> labels = labels(sidecar, outputs, file);
            long count = 0;
            for (Pair<String, ai.djl.nn.Parameter> p : block.getParameters()) {
                count += p.getValue().getArray().size();
            }
            String id = base(file);
            ModelInfo info = new ModelInfo(id, sidecar.name() != null ? sidecar.name() : id, ARCHITECTURE, hash,
                    path.toAbsolutePath().toString(), count, configuration(sidecar, input, path));
            sm.worked(1);
            return new TorchScriptModel(info, input, labels, model);
        } catch (ModelLoadException | RuntimeException e) {
            model.close();
            throw e;
        }
    }

    /** Input size and normalisation: the sidecar's, else guesses (the normalisation one that changes the numbers). */
    private static List<ConfigValue> configuration(TorchScriptSidecar sidecar, InputSpec input, Path path) {
        String side = "sidecar " + base(path.getFileName().toString()) + ".json";
        boolean given = sidecar.input() != null;
        Origin origin = given ? Origin.CONFIG : Origin.GUESSED;
        String size = input.channels() + "x" + input.height() + "x" + input.width();
        return List.of(
                new ConfigValue(ModelInfo.INPUT_SIZE, size, origin, given ? side : "Loupe's default for TorchScript models; checked by a pass at open",
                        null),
                new ConfigValue(ModelInfo.NORMALIZATION, input.normalization().toString(), origin,
                        given ? side : "ImageNet mean/std, Loupe's default for TorchScript models",
                        given ? null : Sidecars.normalizationLine(input.normalization())));
    }

    /** Refuses files that are no TorchScript archive, saying what they are instead. */
    private static void checkArchive(Path path) throws ModelLoadException {
        String file = path.getFileName().toString();
        if (WeightFiles.isTorchScript(path)) {
            return;
        }
        if (isReadableZip(path)) {
            throw new ModelLoadException(file + " is not a TorchScript archive: it is a zip without TorchScript code (a state dict "
                    + "saved with torch.save?). Save the model with torch.jit.save(torch.jit.trace(model, example)), or open the "
                    + "state dict as .pth weights of an architecture Loupe knows.");
        }
        boolean zipHeader;
        try (InputStream in = Files.newInputStream(path)) {
            byte[] b = in.readNBytes(2);
            zipHeader = b.length == 2 && b[0] == 'P' && b[1] == 'K';
        } catch (IOException e) {
            throw new ModelLoadException("Cannot read " + path + ": " + e.getMessage(), e);
        }
        throw new ModelLoadException(file + " is not a TorchScript archive: " + (zipHeader
                ? "it starts like a zip archive but cannot be read as one (truncated or damaged?)."
                : "a TorchScript file is a zip archive written by torch.jit.save, and this file is not a zip."));
    }

    private static boolean isReadableZip(Path path) {
        try (ZipFile z = new ZipFile(path.toFile())) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** One forward pass on zeros: checks the input size and finds the number of outputs. */
    private static long probe(Block block, NDManager owner, InputSpec input, String file, TorchScriptSidecar sidecar)
            throws ModelLoadException {
        try (NDManager m = owner.newSubManager()) {
            Shape in = new Shape(1, input.channels(), input.height(), input.width());
            NDArray out;
            try {
                out = TorchScriptModel.run(block, new ParameterStore(m, false), m.zeros(in));
            } catch (RuntimeException e) {
                throw new ModelLoadException(file + " does not run on an input of shape " + in + (sidecar.input() == null
                        ? " (Loupe's default; give the model's input in a sidecar " + base(file) + ".json: {\"input\": {\"channels\": 3, "
                                + "\"height\": H, \"width\": W}})"
                        : " (from its sidecar)") + ": " + firstLines(e.getMessage()), e);
            }
            Shape s = out.getShape();
            return s.dimension() == 2 ? s.get(1) : -1;
        }
    }

    private static List<String> labels(TorchScriptSidecar sidecar, long outputs, String file) throws ModelLoadException {
        if (sidecar.labels() != null) {
            if (sidecar.labels().size() != outputs) {
                throw new ModelLoadException("The sidecar of " + file + " gives " + sidecar.labels().size() + " labels, but the model has "
                        + (outputs < 0 ? "no [N, classes] output" : outputs + " outputs") + ".");
            }
            return sidecar.labels();
        }
        if (outputs == 1000) {
            return Labels.imagenet1k();
        }
        return outputs > 0 ? Labels.numbered((int) outputs) : List.of();
    }

    /**
     * The reason in a (possibly long) engine message: the last {@code ...Error: ...} line of a
     * TorchScript interpreter traceback, else the first lines before any C++ stack trace.
     */
    static String firstLines(String message) {
        if (message == null) {
            return "(no message)";
        }
        String[] lines = message.strip().split("\n");
        for (int i = lines.length - 1; i >= 0; i--) {
            if (lines[i].matches("^\\w*Error: .+")) {
                return lines[i].strip();
            }
        }
        StringBuilder b = new StringBuilder();
        for (String l : lines) {
            if (l.isBlank() || l.startsWith("Exception raised from") || l.startsWith("frame #")) {
                break;
            }
            if (b.length() > 0) {
                b.append(' ');
            }
            b.append(l.strip());
            if (b.length() > 400) {
                break;
            }
        }
        return b.toString();
    }

    private static String base(String file) {
        int dot = file.lastIndexOf('.');
        return dot > 0 ? file.substring(0, dot) : file;
    }
}

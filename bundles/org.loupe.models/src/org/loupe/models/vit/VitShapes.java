package org.loupe.models.vit;

import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.loupe.core.model.ModelLoadException;
import org.loupe.models.io.Tensor;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

/**
 * Reads a Vision Transformer's size from its tensors: patch size, width and channels from the patch
 * embedding, the input size from the position embedding, depth from the block names, MLP width from
 * the first block, classes and torchvision's representation layer from the head. The number of heads
 * is not visible in any shape: it comes from the sidecar's {@code "heads"}, else the default the
 * caller guessed ({@link VitArchitecture}), else width / 64. Errors name the file, the tensor and what
 * was expected.
 */
final class VitShapes {

    private VitShapes() {
    }

    /**
     * Reads the configuration.
     *
     * @param defaultHeads the guessed number of heads, or 0 for width / 64
     * @param sidecar      the sidecar ({@code heads}, {@code layer_norm_eps}), possibly empty
     */
    static VitConfig read(Map<String, Tensor> tensors, VitNames names, int defaultHeads, JsonObject sidecar, String file)
            throws ModelLoadException {
        String where = file + " (" + names.describe() + ")";
        Tensor conv = require(tensors, names.patchConv() + ".weight", "[width, channels, patch, patch]", where);
        long[] cs = conv.shape();
        if (cs.length != 4 || cs[2] != cs[3] || cs[2] < 1) {
            throw new ModelLoadException(where + ": the patch embedding '" + conv.name() + "' has shape " + conv.shapeText()
                    + "; it must be [width, channels, patch, patch] with square patches.");
        }
        int width = (int) cs[0];
        int channels = (int) cs[1];
        int patch = (int) cs[2];
        if (channels != 1 && channels != 3) {
            throw new ModelLoadException(where + ": the patch embedding '" + conv.name() + "' takes " + channels
                    + " input channels; Loupe's images have 1 or 3.");
        }

        Tensor pos = require(tensors, names.posEmbedding(), "[1, 1 + patches, " + width + "]", where);
        long[] ps = pos.shape();
        if (ps.length != 3 || ps[0] != 1 || ps[2] != width) {
            throw new ModelLoadException(where + ": the position embedding '" + pos.name() + "' has shape " + pos.shapeText()
                    + " but must be [1, tokens, " + width + "] (the width of the patch embedding '" + conv.name() + "').");
        }
        long patches = ps[1] - 1;
        int grid = (int) Math.round(Math.sqrt(patches));
        if (patches < 1 || (long) grid * grid != patches) {
            throw new ModelLoadException(where + ": the position embedding '" + pos.name() + "' has " + ps[1]
                    + " tokens; Loupe's ViT needs one class token plus a square grid of patches (such as 197 = 1 + 14x14), "
                    + "so the input size cannot be told. Position embeddings without a class-token position are not supported.");
        }

        int depth = depth(tensors, names, where);
        Tensor fc1 = require(tensors, names.fc1(0) + ".weight", "[mlp, " + width + "]", where);
        long[] fs = fc1.shape();
        if (fs.length != 2 || fs[1] != width) {
            throw new ModelLoadException(where + ": the MLP layer '" + fc1.name() + "' has shape " + fc1.shapeText() + " but must be [mlp, "
                    + width + "].");
        }
        int mlp = (int) fs[0];

        int representation = 0;
        if (names.preLogits() != null && tensors.containsKey(names.preLogits() + ".weight")) {
            representation = (int) tensors.get(names.preLogits() + ".weight").shape()[0];
        }
        int classes = 0;
        Tensor head = tensors.get(names.head() + ".weight");
        if (head != null) {
            if (head.shape().length != 2) {
                throw new ModelLoadException(where + ": the classifier '" + head.name() + "' has shape " + head.shapeText()
                        + " but must be [classes, " + (representation > 0 ? representation : width) + "].");
            }
            classes = (int) head.shape()[0];
        }

        int heads = heads(sidecar, defaultHeads, width, where);
        float eps = eps(sidecar, names.convention().layerNormEps(), where);
        return new VitConfig(names, channels, patch, grid, width, depth, heads, mlp, representation, classes, eps);
    }

    private static int depth(Map<String, Tensor> tensors, VitNames names, String where) throws ModelLoadException {
        Pattern p = names.blockPattern();
        TreeSet<Integer> found = new TreeSet<>();
        for (String n : tensors.keySet()) {
            Matcher m = p.matcher(n);
            if (m.find()) {
                found.add(Integer.parseInt(m.group(1)));
            }
        }
        if (found.isEmpty()) {
            throw new ModelLoadException(where + ": no encoder blocks (no tensor named like '" + names.norm1(0) + ".weight').");
        }
        int depth = found.last() + 1;
        if (found.size() != depth) {
            TreeSet<Integer> missing = new TreeSet<>();
            for (int i = 0; i < depth; i++) {
                if (!found.contains(i)) {
                    missing.add(i);
                }
            }
            throw new ModelLoadException(where + ": encoder block" + (missing.size() > 1 ? "s " : " ") + missing + " missing: the file has '"
                    + names.block(found.last()) + "' but no tensor of '" + names.block(missing.first()) + "'.");
        }
        return depth;
    }

    private static int heads(JsonObject sidecar, int defaultHeads, int width, String where) throws ModelLoadException {
        if (sidecar.has("heads")) {
            int h;
            try {
                JsonElement e = sidecar.get("heads");
                h = e.getAsInt();
                if (e.getAsDouble() != h) {
                    throw new NumberFormatException();
                }
            } catch (RuntimeException e) {
                throw new ModelLoadException(where + ": the sidecar's \"heads\" must be a whole number, got " + sidecar.get("heads") + ".");
            }
            if (h < 1 || width % h != 0) {
                throw new ModelLoadException(where + ": the sidecar says \"heads\": " + h + ", which does not divide the width " + width
                        + " (each head gets width / heads features). Divisors near it: " + divisorsNear(width, h) + ".");
            }
            return h;
        }
        if (defaultHeads > 0) {
            return defaultHeads;
        }
        if (width % 64 != 0) {
            throw new ModelLoadException(where + ": the number of attention heads is not stored in the weights, and the width " + width
                    + " is not a multiple of 64 (the usual head width), so Loupe cannot guess it. Give it in a sidecar: {\"heads\": N}.");
        }
        return width / 64;
    }

    private static String divisorsNear(int width, int h) {
        int below = 0;
        for (int d = Math.max(1, h); d >= 1; d--) {
            if (width % d == 0) {
                below = d;
                break;
            }
        }
        int above = 0;
        for (int d = Math.max(1, h); d <= width; d++) {
            if (width % d == 0) {
                above = d;
                break;
            }
        }
        return below == above ? String.valueOf(below) : below + ", " + above;
    }

    private static float eps(JsonObject sidecar, float dflt, String where) throws ModelLoadException {
        for (String key : new String[] {"layer_norm_eps", "eps"}) {
            if (sidecar.has(key)) {
                try {
                    float e = sidecar.get(key).getAsFloat();
                    if (!(e > 0) || Float.isInfinite(e)) {
                        throw new NumberFormatException();
                    }
                    return e;
                } catch (RuntimeException e) {
                    throw new ModelLoadException(where + ": the sidecar's \"" + key + "\" must be a positive number, got " + sidecar.get(key) + ".");
                }
            }
        }
        return dflt;
    }

    private static Tensor require(Map<String, Tensor> tensors, String name, String shape, String where) throws ModelLoadException {
        Tensor t = tensors.get(name);
        if (t == null) {
            throw new ModelLoadException(where + ": missing tensor '" + name + "' (expected shape " + shape + ").");
        }
        return t;
    }
}

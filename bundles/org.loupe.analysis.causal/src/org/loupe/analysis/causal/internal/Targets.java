package org.loupe.analysis.causal.internal;

import java.util.List;

import org.loupe.core.images.SourceImage;

/**
 * Which class an image's effect is measured on: its label (when the label is one of the model's
 * classes, else the clean prediction), the clean prediction, or one fixed class given by name or
 * index.
 */
public final class Targets {

    /** The syntax, for parameter help and error messages. */
    public static final String SYNTAX = "label (each image's label, else its clean prediction), predicted, or a class name or index";

    private final List<String> labels;
    private final String spec;
    private final int fixed;

    private Targets(List<String> labels, String spec, int fixed) {
        this.labels = labels;
        this.spec = spec;
        this.fixed = fixed;
    }

    /**
     * Reads {@code spec} for a model with {@code classes} outputs named {@code labels}.
     *
     * @throws IllegalArgumentException if it names no class of the model
     */
    public static Targets parse(String spec, List<String> labels, int classes) {
        String s = spec == null ? "label" : spec.trim();
        if (s.equalsIgnoreCase("label") || s.equalsIgnoreCase("predicted")) {
            return new Targets(labels, s.toLowerCase(java.util.Locale.ROOT), -1);
        }
        int k = labels.indexOf(s);
        if (k < 0) {
            try {
                k = Integer.parseInt(s);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("the target '" + s + "' is not a class of the model (" + String.join(", ", labels.isEmpty()
                        ? List.of("classes 0.." + (classes - 1)) : labels) + "); give " + SYNTAX);
            }
            if (k < 0 || k >= classes) {
                throw new IllegalArgumentException("target class " + k + " is out of range: the model has " + classes + " classes (0.." + (classes - 1) + ")");
            }
        }
        return new Targets(labels, s, k);
    }

    /** The target class of {@code image}, whose clean logits are {@code clean}. */
    public int of(SourceImage image, float[] clean) {
        if (fixed >= 0) {
            return fixed;
        }
        if (spec.equals("label") && image.label() != null && labels.contains(image.label())) {
            return labels.indexOf(image.label());
        }
        return argmax(clean);
    }

    /** The class's name. */
    public String name(int k) {
        return k < labels.size() ? labels.get(k) : "class " + k;
    }

    /** What the targets are, in words. */
    public String describe() {
        return fixed >= 0 ? "class " + name(fixed) : spec.equals("label") ? "each image's label (else its clean prediction)" : "each image's clean prediction";
    }

    /** The index of the largest value (the first, if tied). */
    public static int argmax(float[] v) {
        int best = 0;
        for (int i = 1; i < v.length; i++) {
            if (v[i] > v[best]) {
                best = i;
            }
        }
        return best;
    }

    /** The cross-entropy loss of class {@code k} under logits {@code v}: {@code logsumexp(v) - v[k]}. */
    public static double loss(float[] v, int k) {
        double max = v[argmax(v)];
        double sum = 0;
        for (float x : v) {
            sum += Math.exp(x - max);
        }
        return max + Math.log(sum) - v[k];
    }

    /** The index of the label among the model's classes, or -1 if the image has no label of the model. */
    public int labelIndex(SourceImage image) {
        return image.label() == null ? -1 : labels.indexOf(image.label());
    }
}

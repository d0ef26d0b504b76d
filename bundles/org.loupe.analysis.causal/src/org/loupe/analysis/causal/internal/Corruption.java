package org.loupe.analysis.causal.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

import org.loupe.core.images.RasterImage;
import org.loupe.core.images.SourceImage;

/**
 * How the corrupted input of activation patching is made, read from a parameter:
 * <pre>
 *   pairs                  the images come in pairs: image 2k is clean, image 2k+1 its corrupted version
 *   noise:SIGMA            each image is clean; its corrupted version adds Gaussian noise of standard
 *                          deviation SIGMA (pixel values in [0, 1]), drawn with the run's seed
 *   occlude:Y0-Y1,X0-X1    each image is clean; its corrupted version has the half-open pixel box
 *                          [Y0, Y1) x [X0, X1) painted mid-grey
 * </pre>
 */
public final class Corruption {

    /** The syntax, for parameter help and error messages. */
    public static final String SYNTAX = "pairs (images 2k clean, 2k+1 corrupted), noise:SIGMA (Gaussian pixel noise, 0..1 scale), "
            + "or occlude:Y0-Y1,X0-X1 (a grey pixel box)";

    /** A clean image and its corrupted counterpart. */
    public record Pair(SourceImage clean, SourceImage corrupt) {
    }

    private final String kind;
    private final double sigma;
    private final int[] box;

    private Corruption(String kind, double sigma, int[] box) {
        this.kind = kind;
        this.sigma = sigma;
        this.box = box;
    }

    /**
     * Reads {@code spec}.
     *
     * @throws IllegalArgumentException if it is malformed, saying the syntax
     */
    public static Corruption parse(String spec) {
        String s = spec == null ? "" : spec.trim();
        String lower = s.toLowerCase(Locale.ROOT);
        try {
            if (lower.equals("pairs")) {
                return new Corruption("pairs", 0, null);
            }
            if (lower.startsWith("noise:")) {
                double sigma = Double.parseDouble(s.substring(6).trim());
                if (!(sigma > 0)) {
                    throw new IllegalArgumentException("the noise level must be > 0, got " + sigma);
                }
                return new Corruption("noise", sigma, null);
            }
            if (lower.startsWith("occlude:")) {
                String[] yx = s.substring(8).split(",");
                if (yx.length == 2) {
                    String[] y = yx[0].trim().split("-");
                    String[] x = yx[1].trim().split("-");
                    if (y.length == 2 && x.length == 2) {
                        int[] b = {Integer.parseInt(y[0].trim()), Integer.parseInt(y[1].trim()), Integer.parseInt(x[0].trim()), Integer.parseInt(x[1].trim())};
                        if (b[0] < 0 || b[2] < 0 || b[1] <= b[0] || b[3] <= b[2]) {
                            throw new IllegalArgumentException("the box needs 0 <= Y0 < Y1 and 0 <= X0 < X1, got '" + s.substring(8) + "'");
                        }
                        return new Corruption("occlude", 0, b);
                    }
                }
            }
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("cannot read the corruption '" + s + "': a number is malformed; write " + SYNTAX);
        }
        throw new IllegalArgumentException("cannot read the corruption '" + s + "'; write " + SYNTAX);
    }

    /**
     * The clean/corrupted pairs of {@code images}.
     *
     * @throws IllegalArgumentException if pairs are asked for and the images do not pair up, or a
     *                                  pair's images differ in size, or the box does not fit an image
     */
    public List<Pair> pairs(List<SourceImage> images, long seed) {
        List<Pair> out = new ArrayList<>();
        if (kind.equals("pairs")) {
            if (images.size() % 2 != 0) {
                throw new IllegalArgumentException("corrupt=pairs takes the images in pairs (clean, corrupted, clean, corrupted, ...), and there are "
                        + images.size() + "; give an even number, or corrupt=noise:SIGMA to corrupt each image");
            }
            for (int i = 0; i < images.size(); i += 2) {
                SourceImage c = images.get(i);
                SourceImage k = images.get(i + 1);
                if (c.image().width() != k.image().width() || c.image().height() != k.image().height()) {
                    throw new IllegalArgumentException("the clean image " + c.name() + " is " + c.image().width() + "x" + c.image().height()
                            + " but its corrupted counterpart " + k.name() + " is " + k.image().width() + "x" + k.image().height()
                            + "; give clean and corrupted images of the same size");
                }
                out.add(new Pair(c, k));
            }
            return out;
        }
        Random random = new Random(seed);
        for (SourceImage c : images) {
            RasterImage im = c.image();
            int[] px = im.rgb();
            if (kind.equals("noise")) {
                for (int i = 0; i < px.length; i++) {
                    int r = noisy(px[i] >> 16 & 0xFF, random);
                    int g = noisy(px[i] >> 8 & 0xFF, random);
                    int b = noisy(px[i] & 0xFF, random);
                    px[i] = r << 16 | g << 8 | b;
                }
            } else {
                if (box[1] > im.height() || box[3] > im.width()) {
                    throw new IllegalArgumentException("the occlusion box y " + box[0] + "-" + box[1] + ", x " + box[2] + "-" + box[3] + " does not fit "
                            + c.name() + " (" + im.width() + "x" + im.height() + ")");
                }
                for (int y = box[0]; y < box[1]; y++) {
                    for (int x = box[2]; x < box[3]; x++) {
                        px[y * im.width() + x] = 0x808080;
                    }
                }
            }
            out.add(new Pair(c, new SourceImage(c.name() + " (" + describe() + ")", new RasterImage(im.width(), im.height(), px), c.label(),
                    c.groundTruth())));
        }
        return out;
    }

    private int noisy(int v, Random random) {
        return (int) Math.max(0, Math.min(255, Math.round(v + 255 * sigma * random.nextGaussian())));
    }

    /** In words. */
    public String describe() {
        return switch (kind) {
            case "pairs" -> "given pairs";
            case "noise" -> "noise " + sigma;
            default -> "occluded y " + box[0] + "-" + box[1] + ", x " + box[2] + "-" + box[3];
        };
    }
}

package org.loupe.analysis.units.internal;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Arrays;

/**
 * The running top-k and bottom-k images of every unit of one hook point: for each unit, the images
 * with the largest spatial maximum (and where it is) and with the smallest spatial minimum. Ties
 * keep the earlier image first, so the order does not depend on batching.
 */
public final class Extremes {

    /** One kept image of a unit. */
    public record Entry(int image, float value, int position) {
    }

    private final int units;
    private final int k;
    private final int[] count;
    private final float[] topValue;
    private final int[] topImage;
    private final int[] topPos;
    private final float[] botValue;
    private final int[] botImage;
    private final int[] botPos;

    /** Empty extremes for {@code units} units keeping {@code k} each way. */
    public Extremes(int units, int k) {
        this.units = units;
        this.k = k;
        count = new int[units];
        topValue = new float[units * k];
        topImage = new int[units * k];
        topPos = new int[units * k];
        botValue = new float[units * k];
        botImage = new int[units * k];
        botPos = new int[units * k];
    }

    /** The number of units. */
    public int units() {
        return units;
    }

    /** How many images are kept each way. */
    public int k() {
        return k;
    }

    /**
     * Offers image {@code image} to unit {@code unit}: its spatial maximum and minimum and their
     * positions. Images must be offered in increasing index order. A position may be -1 for a side
     * the image cannot enter ({@link #keepsTop}, {@link #keepsBottom} false).
     */
    public void offer(int unit, int image, float max, int maxPos, float min, int minPos) {
        int base = unit * k;
        int n = count[unit];
        insert(topValue, topImage, topPos, base, n, image, max, maxPos, true);
        insert(botValue, botImage, botPos, base, n, image, min, minPos, false);
        if (n < k) {
            count[unit] = n + 1;
        }
    }

    /**
     * Whether an image whose spatial maximum is {@code max} would now enter the top images of
     * {@code unit}. Once false, it stays false while more images are offered: the bar only rises.
     */
    public boolean keepsTop(int unit, float max) {
        return count[unit] < k || max > topValue[unit * k + k - 1];
    }

    /** Whether an image whose spatial minimum is {@code min} would now enter the bottom images of {@code unit}. */
    public boolean keepsBottom(int unit, float min) {
        return count[unit] < k || min < botValue[unit * k + k - 1];
    }

    private void insert(float[] v, int[] img, int[] pos, int base, int n, int image, float value, int position, boolean top) {
        int p = n;
        while (p > 0 && (top ? value > v[base + p - 1] : value < v[base + p - 1])) {
            p--;
        }
        if (p >= k) {
            return;
        }
        if (position < 0) {
            throw new IllegalStateException("image " + image + " enters the kept images of unit " + base / k + " without its position");
        }
        int last = Math.min(n, k - 1);
        for (int i = last; i > p; i--) {
            v[base + i] = v[base + i - 1];
            img[base + i] = img[base + i - 1];
            pos[base + i] = pos[base + i - 1];
        }
        v[base + p] = value;
        img[base + p] = image;
        pos[base + p] = position;
    }

    /** The kept images of {@code unit} with the largest maxima, largest first. */
    public Entry[] top(int unit) {
        return entries(topValue, topImage, topPos, unit);
    }

    /** The kept images of {@code unit} with the smallest minima, smallest first. */
    public Entry[] bottom(int unit) {
        return entries(botValue, botImage, botPos, unit);
    }

    private Entry[] entries(float[] v, int[] img, int[] pos, int unit) {
        Entry[] out = new Entry[count[unit]];
        for (int i = 0; i < out.length; i++) {
            out[i] = new Entry(img[unit * k + i], v[unit * k + i], pos[unit * k + i]);
        }
        return out;
    }

    /** Writes the state. */
    public void write(DataOutputStream out) throws IOException {
        out.writeInt(units);
        out.writeInt(k);
        for (int[] a : new int[][] {count, topImage, topPos, botImage, botPos}) {
            for (int x : a) {
                out.writeInt(x);
            }
        }
        for (float[] a : new float[][] {topValue, botValue}) {
            for (float x : a) {
                out.writeFloat(x);
            }
        }
    }

    /** Reads a state written by {@link #write}. */
    public static Extremes read(DataInputStream in) throws IOException {
        Extremes e = new Extremes(in.readInt(), in.readInt());
        for (int[] a : new int[][] {e.count, e.topImage, e.topPos, e.botImage, e.botPos}) {
            for (int i = 0; i < a.length; i++) {
                a[i] = in.readInt();
            }
        }
        for (float[] a : new float[][] {e.topValue, e.botValue}) {
            for (int i = 0; i < a.length; i++) {
                a[i] = in.readFloat();
            }
        }
        return e;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Extremes e && e.units == units && e.k == k && Arrays.equals(e.count, count)
                && Arrays.equals(e.topValue, topValue) && Arrays.equals(e.topImage, topImage) && Arrays.equals(e.topPos, topPos)
                && Arrays.equals(e.botValue, botValue) && Arrays.equals(e.botImage, botImage) && Arrays.equals(e.botPos, botPos);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(topValue) * 31 + Arrays.hashCode(topImage);
    }
}

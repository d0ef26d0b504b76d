package org.loupe.stimuli.render;

import java.util.SplittableRandom;

/**
 * Random textures with a controlled spatial scale.
 *
 * @since 0.1
 */
public final class Textures {

    private Textures() {
    }

    /**
     * Value noise in [-1, 1]: independent uniform values on a square lattice with spacing
     * {@code period} pixels, smoothly interpolated (smoothstep) in between. Its energy sits at
     * spatial periods of about {@code period} pixels and longer; a period of 1 or less gives
     * independent pixels (white noise). The lattice has a random offset.
     *
     * @return {@code width * height} values, row by row
     */
    public static double[] valueNoise(int width, int height, double period, SplittableRandom random) {
        double[] out = new double[width * height];
        if (period <= 1) {
            for (int i = 0; i < out.length; i++) {
                out[i] = random.nextDouble(-1, 1);
            }
            return out;
        }
        double ox = random.nextDouble(period);
        double oy = random.nextDouble(period);
        int gw = (int) Math.ceil((width + ox) / period) + 2;
        int gh = (int) Math.ceil((height + oy) / period) + 2;
        double[] grid = new double[gw * gh];
        for (int i = 0; i < grid.length; i++) {
            grid[i] = random.nextDouble(-1, 1);
        }
        for (int y = 0; y < height; y++) {
            double gy = (y + 0.5 + oy) / period;
            int iy = (int) gy;
            double ty = smooth(gy - iy);
            for (int x = 0; x < width; x++) {
                double gx = (x + 0.5 + ox) / period;
                int ix = (int) gx;
                double tx = smooth(gx - ix);
                double a = grid[iy * gw + ix] * (1 - tx) + grid[iy * gw + ix + 1] * tx;
                double b = grid[(iy + 1) * gw + ix] * (1 - tx) + grid[(iy + 1) * gw + ix + 1] * tx;
                out[y * width + x] = a * (1 - ty) + b * ty;
            }
        }
        return out;
    }

    private static double smooth(double t) {
        return t * t * (3 - 2 * t);
    }
}

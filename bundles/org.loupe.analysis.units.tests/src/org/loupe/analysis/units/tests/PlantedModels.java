package org.loupe.analysis.units.tests;

import java.util.LinkedHashMap;
import java.util.Map;

import org.loupe.core.model.HookedModel;

/** Small CNNs with hand-set weights whose units do known things. */
final class PlantedModels {

    private PlantedModels() {
    }

    /**
     * Unit 0 of {@code conv2} reads input unit 2 of {@code relu1} with a kernel of L2 norm 3, unit 0
     * with norm 2 and the others with 0.1; unit 1 reads only unit 3 (norm 1). {@code conv1} copies
     * red, green, blue and their mean, with weights 1, 1, 1, 1/3.
     */
    static HookedModel connections(Fixture f) throws Exception {
        Map<String, float[]> t = new LinkedHashMap<>();
        t.put("conv1.weight", new float[] {1, 0, 0, 0, 1, 0, 0, 0, 1, 1 / 3f, 1 / 3f, 1 / 3f});
        float[] w2 = new float[2 * 4 * 9];
        fill(w2, 0, 2, 3);
        fill(w2, 0, 0, 2);
        fill(w2, 0, 1, 0.1f);
        fill(w2, 0, 3, 0.1f);
        fill(w2, 1, 3, 1);
        t.put("conv2.weight", w2);
        return f.planted("connections", """
                {"architecture": "sequential-cnn", "name": "Connections",
                 "input": {"channels": 3, "height": 12, "width": 12},
                 "layers": [{"name": "conv1", "type": "conv2d", "out_channels": 4, "kernel": 1, "bias": false},
                            {"name": "relu1", "type": "relu"},
                            {"name": "conv2", "type": "conv2d", "out_channels": 2, "kernel": 3, "padding": 1, "bias": false},
                            {"name": "relu2", "type": "relu"}, {"name": "gap", "type": "global_avgpool"},
                            {"name": "flatten", "type": "flatten"}]}
                """, t, Map.of("conv1.weight", new long[] {4, 3, 1, 1}, "conv2.weight", new long[] {2, 4, 3, 3}));
    }

    /** A kernel slice of norm {@code norm}: the centre weight positive, a corner weight negative (3 : -4 of it). */
    private static void fill(float[] w, int out, int in, float norm) {
        int base = (out * 4 + in) * 9;
        w[base + 4] = 0.6f * norm;
        w[base] = -0.8f * norm;
    }

    /**
     * A circle detector on 32 x 32 white-on-black shapes that fit a circle of diameter 10: {@code conv1}
     * averages a disc of radius 5.5 (a circle of diameter 10 covers 0.83 of it, the inscribed square
     * 0.53, the other shapes less) minus 0.6, so {@code relu1} is positive only near circle centres;
     * {@code conv2} spreads that over a disc of radius 4.
     */
    static HookedModel circleDetector(Fixture f) throws Exception {
        float[] disc = disc(11, 5.5);
        int inner = 0;
        for (float v : disc) {
            inner += (int) v;
        }
        float[] w1 = new float[3 * 121];
        for (int c = 0; c < 3; c++) {
            for (int i = 0; i < 121; i++) {
                w1[c * 121 + i] = disc[i] / (3f * inner);
            }
        }
        Map<String, float[]> t = new LinkedHashMap<>();
        t.put("conv1.weight", w1);
        t.put("conv1.bias", new float[] {-0.6f});
        t.put("conv2.weight", disc(9, 4));
        return f.planted("circles", """
                {"architecture": "sequential-cnn", "name": "Circle detector",
                 "input": {"channels": 3, "height": 32, "width": 32},
                 "layers": [{"name": "conv1", "type": "conv2d", "out_channels": 1, "kernel": 11, "padding": 5},
                            {"name": "relu1", "type": "relu"},
                            {"name": "conv2", "type": "conv2d", "out_channels": 1, "kernel": 9, "padding": 4, "bias": false},
                            {"name": "relu2", "type": "relu"}]}
                """, t, Map.of("conv1.weight", new long[] {1, 3, 11, 11}, "conv1.bias", new long[] {1}, "conv2.weight", new long[] {1, 1, 9, 9}));
    }

    /** 1 inside the disc of {@code radius} about the centre of a {@code size x size} kernel, 0 outside. */
    private static float[] disc(int size, double radius) {
        float[] k = new float[size * size];
        double c = (size - 1) / 2.0;
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                k[y * size + x] = Math.hypot(x - c, y - c) <= radius ? 1 : 0;
            }
        }
        return k;
    }

    /** An oriented edge detector: {@code conv1}'s one unit is a horizontal luminance gradient over 5 x 5 pixels, without padding (a zero border would be an edge of its own). */
    static HookedModel edgeDetector(Fixture f) throws Exception {
        float[] w = new float[3 * 25];
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < 5; y++) {
                for (int x = 0; x < 5; x++) {
                    w[c * 25 + y * 5 + x] = (x - 2) / 30f;
                }
            }
        }
        return f.planted("edges", """
                {"architecture": "sequential-cnn", "name": "Edge detector",
                 "input": {"channels": 3, "height": 32, "width": 32},
                 "layers": [{"name": "conv1", "type": "conv2d", "out_channels": 1, "kernel": 5, "bias": false},
                            {"name": "relu1", "type": "relu"}]}
                """, Map.of("conv1.weight", w), Map.of("conv1.weight", new long[] {1, 3, 5, 5}));
    }
}

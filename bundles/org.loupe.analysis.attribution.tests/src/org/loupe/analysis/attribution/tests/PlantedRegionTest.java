package org.loupe.analysis.attribution.tests;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.loupe.analysis.attribution.Baseline;
import org.loupe.analysis.attribution.Cam;
import org.loupe.analysis.attribution.GradientXInput;
import org.loupe.analysis.attribution.IntegratedGradients;
import org.loupe.analysis.attribution.NoiseTunnel;
import org.loupe.analysis.attribution.Rule;
import org.loupe.analysis.attribution.Saliency;
import org.loupe.analysis.quality.Explainer;
import org.loupe.analysis.quality.PixelMap;
import org.loupe.core.model.HookedModel;
import org.loupe.djl.LoupeEngine;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/**
 * A planted model whose output depends only on one region of the image (its first linear layer
 * reads only the convolution positions whose receptive fields lie inside the region): every
 * gradient method puts at least 90 % of its absolute mass there.
 */
class PlantedRegionTest {

    @TempDir
    Path dir;

    @Test
    void gradientMethodsPutTheirMassInThePlantedRegion() throws Exception {
        Fixture f = new Fixture(dir);
        String images = f.randomImages("imgs", 4, 16, 21).toString();
        try (HookedModel net = f.registry.openModel(Fixture.plantedModel().toString(), null); NDManager m = LoupeEngine.get().newBaseManager()) {
            NDArray x = f.input(m, net, images);
            int[] classes = {0, 1, 2, 0};
            List<Explainer> methods = List.of(new Saliency(false), new Saliency(true), new GradientXInput(),
                    new NoiseTunnel(NoiseTunnel.Variant.SMOOTHGRAD, 8, 0.2, 1, 64), new NoiseTunnel(NoiseTunnel.Variant.SQUAREGRAD, 8, 0.2, 1, 64),
                    new NoiseTunnel(NoiseTunnel.Variant.VARGRAD, 8, 0.2, 1, 64), new IntegratedGradients(16, Rule.GAUSS_LEGENDRE, Baseline.BLACK, 64),
                    new IntegratedGradients(16, Rule.GAUSS_LEGENDRE, Baseline.parse("noise"), 64), new Cam(Cam.Variant.HIRESCAM, "relu1"),
                    new Cam(Cam.Variant.GRADIENT_X_ACTIVATION, "relu1"));
            for (Explainer e : methods) {
                List<PixelMap> maps = e.explain(net, x, classes);
                for (int i = 0; i < maps.size(); i++) {
                    double share = share(maps.get(i));
                    System.out.printf("planted region: %s, image %d: %.4f of the mass inside%n", e.name(), i, share);
                    assertTrue(share >= 0.9, e.name() + " puts only " + share + " of image " + i + "'s mass in the planted region");
                }
            }
        }
    }

    /** The share of the map's absolute mass inside the planted region. */
    static double share(PixelMap map) {
        PixelMap p = map.resize(16, 16);
        double in = 0;
        double all = 0;
        for (int y = 0; y < 16; y++) {
            for (int x = 0; x < 16; x++) {
                double v = Math.abs(p.get(x, y));
                all += v;
                if (y >= Fixture.Y0 && y < Fixture.Y1 && x >= Fixture.X0 && x < Fixture.X1) {
                    in += v;
                }
            }
        }
        return in / all;
    }
}

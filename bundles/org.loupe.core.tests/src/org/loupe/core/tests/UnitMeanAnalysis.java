package org.loupe.core.tests;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.loupe.core.analysis.Analysis;
import org.loupe.core.analysis.AnalysisContext;
import org.loupe.core.analysis.AnalysisException;
import org.loupe.core.analysis.ImageInput;
import org.loupe.core.analysis.Param;
import org.loupe.core.images.ImageSource;
import org.loupe.core.images.ImageTensors;
import org.loupe.core.images.RasterImage;
import org.loupe.core.images.SourceImage;
import org.loupe.core.model.HookPoint;
import org.loupe.core.model.Hooks;
import org.loupe.core.result.Result;
import org.loupe.core.result.TextResult;

import ai.djl.ndarray.NDArray;

/** Test analysis: the mean of the selected unit over the images. */
public class UnitMeanAnalysis implements Analysis<UnitMeanAnalysis.Params> {

    /** Parameters. */
    public record Params(@Param(value = "scale", min = 0) double scale) {
    }

    @Override
    public Class<Params> parametersType() {
        return Params.class;
    }

    @Override
    public Params defaults() {
        return new Params(1);
    }

    @Override
    public Optional<ImageInput> imageInput() {
        return Optional.of(new ImageInput("test-gray", "gray images"));
    }

    @Override
    public Result run(AnalysisContext ctx, Params p) throws AnalysisException {
        HookPoint point = ctx.hookPoint();
        int unit = ctx.unit();
        List<RasterImage> imgs = new ArrayList<>();
        ImageSource source = ctx.images();
        for (SourceImage s : source) {
            imgs.add(s.image());
        }
        NDArray input = ImageTensors.toInput(ctx.manager(), imgs, ctx.model().inputSpec());
        NDArray act = ctx.model().forward(input, Hooks.cache(point.name())).cache().get(point.name());
        float mean = act.get(":, " + unit).mean().getFloat() * (float) p.scale();
        return new TextResult("Mean of " + point.name() + ":" + unit, Float.toString(mean));
    }
}

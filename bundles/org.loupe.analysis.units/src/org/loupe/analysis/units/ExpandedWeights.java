package org.loupe.analysis.units;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import org.loupe.analysis.units.internal.Convs;
import org.loupe.analysis.units.internal.Expansion;
import org.loupe.analysis.units.internal.Pictures;
import org.loupe.core.analysis.Analysis;
import org.loupe.core.analysis.AnalysisContext;
import org.loupe.core.analysis.AnalysisException;
import org.loupe.core.analysis.Param;
import org.loupe.core.images.RasterImage;
import org.loupe.core.model.HookKind;
import org.loupe.core.model.HookPoint;
import org.loupe.core.model.HookedModel;
import org.loupe.core.model.blocks.BlockModel;
import org.loupe.core.result.CompositeResult;
import org.loupe.core.result.ImageGridResult;
import org.loupe.core.result.Result;
import org.loupe.core.result.TableResult;
import org.loupe.core.result.TextResult;
import org.loupe.core.result.UnitRef;

import ai.djl.ndarray.NDManager;

/**
 * Expanded weights (Circuits, "Visualizing Weights", Olah et al. 2020): the effective weights from
 * the units of an earlier hook point to a conv unit across a linear stretch (convolutions, average
 * pooling, batch norm in eval mode, identities) and across residual blocks (the skip connection plus
 * a linear branch, or the skip connection alone when the branch is not linear, which the summary
 * says), the product of those linear maps; the input units with the strongest expanded kernels (L2
 * norm) and the kernels as pictures (red positive, blue negative). A stretch with a nonlinearity
 * (ReLU, max pooling, ...) between outside a residual branch is refused, naming the layer.
 *
 * @since 0.1
 */
public class ExpandedWeights implements Analysis<ExpandedWeights.Params> {

    /**
     * Parameters.
     *
     * @param from the earlier hook point whose units are the inputs
     * @param top  how many input units are listed and drawn
     */
    public record Params(@Param("the earlier hook point; the layers from it to the selected one must be linear, apart from residual branches") String from,
            @Param(value = "how many of the strongest input units are listed and drawn", min = 1, max = 4096) int top) {
    }

    @Override
    public Class<Params> parametersType() {
        return Params.class;
    }

    @Override
    public Params defaults() {
        return new Params("", 8);
    }

    @Override
    public Optional<String> unavailableReason(HookedModel model) {
        return model instanceof BlockModel ? Optional.empty()
                : Optional.of("expanded weights are read from the model's layers, and a TorchScript model does not expose them");
    }

    @Override
    public void check(HookedModel model, HookPoint point, Params p, NDManager scratch) {
        if (point.kind() != HookKind.CONV_CHANNELS) {
            throw new IllegalArgumentException("'" + point.name() + "' is a " + point.kind().id() + " hook point; expanded weights are "
                    + "shown for conv hook points");
        }
        if (p.from() == null || p.from().isBlank()) {
            throw new IllegalArgumentException("give from=<hook point>: the earlier layer whose units the expanded weights start from");
        }
        Expansion.between(model, p.from().trim(), point.name(), scratch);
    }

    @Override
    public Result run(AnalysisContext ctx, Params p) throws AnalysisException {
        HookedModel model = ctx.model();
        String to = ctx.hookPoint().name();
        String from = p.from().trim();
        int unit = ctx.unit();
        Expansion.Kernel k;
        try {
            k = Expansion.between(model, from, to, ctx.manager());
        } catch (IllegalArgumentException e) {
            throw new AnalysisException(e.getMessage());
        }
        Convs.Conv conv = k.asConv(from);
        List<Weights.Connection> all = new ArrayList<>();
        float scale = 0;
        for (int c = 0; c < conv.in(); c++) {
            all.add(new Weights.Connection(c, conv.norm(unit, c), conv.sum(unit, c)));
            for (float w : conv.slice(unit, c)) {
                scale = Math.max(scale, Math.abs(w));
            }
        }
        all.sort(Comparator.comparingDouble(Weights.Connection::norm).reversed().thenComparingInt(Weights.Connection::input));
        int cell = Math.max(4, 64 / Math.max(conv.kh(), conv.kw()));
        List<List<Object>> rows = new ArrayList<>();
        List<RasterImage> kernels = new ArrayList<>();
        List<String> captions = new ArrayList<>();
        for (int r = 0; r < Math.min(p.top(), all.size()); r++) {
            Weights.Connection x = all.get(r);
            rows.add(List.of((long) r + 1, new UnitRef(model.info().id(), from, x.input()), x.norm(), x.sum()));
            kernels.add(Pictures.kernel(conv.slice(unit, x.input()), conv.kh(), conv.kw(), scale, cell));
            captions.add(String.format(Locale.ROOT, "%s:%d: L2 %.3g, sum %+.3g", from, x.input(), x.norm(), x.sum()));
        }
        String name = to + ":" + unit;
        String through = k.path().isEmpty() ? "no layer (the same activation)" : String.join(", ", k.path());
        boolean exact = k.notes().isEmpty();
        String summary = String.format(Locale.ROOT, "%s reads the %d units of %s through %s%s: the expanded kernels are "
                + "%dx%d (total stride %d). Strongest: %s (L2 %.3g).", name, conv.in(), from, through, exact ? ", all linear" : "",
                conv.kh(), conv.kw(), k.stride(), rows.get(0).get(1), all.get(0).norm())
                + (exact ? "" : " Approximate: " + String.join("; ", k.notes()) + ".");
        return new CompositeResult("Expanded weights from " + from + " into " + name, List.of(new TextResult("Summary", summary),
                new TableResult("Strongest expanded inputs of " + name, List.of("rank", "input unit", "L2 norm", "sum"), rows),
                new ImageGridResult("Expanded kernels from " + from + " into " + name, kernels, captions, Math.min(8, kernels.size()))));
    }
}

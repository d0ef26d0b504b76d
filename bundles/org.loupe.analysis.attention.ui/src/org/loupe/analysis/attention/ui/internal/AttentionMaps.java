package org.loupe.analysis.attention.ui.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.loupe.analysis.attention.AttentionResult;
import org.loupe.analysis.attention.AttentionStack;
import org.loupe.analysis.attention.Rollout;
import org.loupe.core.model.TokenLayout;
import org.loupe.core.result.FloatMap;
import org.loupe.ui.overlay.LabelledMap;
import org.loupe.ui.overlay.MapCell;

/**
 * The maps the attention editor shows for one {@link AttentionChoice}, computed with
 * {@link Rollout} (off the UI thread): the method's map; for a patch token, where that token
 * attends in the chosen layer (its row) and what attends to it (its column); and the raw attention
 * of every head of the layer for the head grid. All over the patch grid.
 *
 * @param maps   the main panels: the method's map, then the token's row and column when the token is a patch
 * @param heads  one map per head of the layer (raw attention of the query token)
 * @param marker the query token's patch, or null when it is not a patch
 */
record AttentionMaps(List<LabelledMap> maps, List<FloatMap> heads, MapCell marker) {

    /**
     * Computes the maps of {@code c} on {@code r}.
     *
     * @throws IllegalArgumentException if the choice does not fit the result (the message says what to change)
     */
    static AttentionMaps compute(AttentionResult r, AttentionChoice c) {
        AttentionStack s = r.stacks().get(c.image());
        TokenLayout layout = s.layout();
        int rows = layout.rows();
        int cols = layout.cols();
        List<LabelledMap> maps = new ArrayList<>();
        String from = describe(layout, c.token());
        float[] main = Rollout.map(s, c.method(), c.fusion(), c.discard(), c.startLayer(), c.layer(), c.head(), c.token());
        maps.add(new LabelledMap(title(c) + " from " + from, FloatMap.of(rows, cols, main)));
        MapCell marker = null;
        if (c.token() >= 0 && layout.isPatch(c.token())) {
            int p = c.token() - layout.prefixTokens();
            marker = new MapCell(p / cols, p % cols);
            String heads = c.head() < 0 ? "mean of heads" : "head " + c.head();
            maps.add(new LabelledMap("where " + from + " attends, layer " + c.layer() + ", " + heads,
                    FloatMap.of(rows, cols, Rollout.raw(s, c.layer(), c.head(), c.token()))));
            maps.add(new LabelledMap("what attends to " + from + ", layer " + c.layer() + ", " + heads,
                    FloatMap.of(rows, cols, Rollout.attendedBy(s, c.layer(), c.head(), c.token()))));
        }
        List<FloatMap> heads = new ArrayList<>();
        for (int h = 0; h < s.heads(); h++) {
            heads.add(FloatMap.of(rows, cols, Rollout.raw(s, c.layer(), h, c.token())));
        }
        return new AttentionMaps(maps, heads, marker);
    }

    /** The method and the settings it uses. */
    static String title(AttentionChoice c) {
        return switch (c.method()) {
            case ROLLOUT -> String.format(Locale.ROOT, "rollout (%s fusion, discard %.2f, layers %d..)", c.fusion().id(), c.discard(),
                    c.startLayer());
            case GRAD_ROLLOUT -> String.format(Locale.ROOT, "gradient rollout (layers %d..)", c.startLayer());
            case RAW -> "raw attention, layer " + c.layer() + ", " + (c.head() < 0 ? "mean of heads" : "head " + c.head());
        };
    }

    /** A token as people say it: the class token, a register, a patch by its row and column. */
    static String describe(TokenLayout layout, int token) {
        if (token < 0) {
            return layout.hasClassToken() ? "the class token" : "the mean of the patches";
        }
        if (token == layout.classToken()) {
            return "the class token";
        }
        if (!layout.isPatch(token)) {
            return "register token " + token;
        }
        int p = token - layout.prefixTokens();
        return "patch (" + p / layout.cols() + ", " + p % layout.cols() + ")";
    }
}

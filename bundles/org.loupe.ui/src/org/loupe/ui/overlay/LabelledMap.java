package org.loupe.ui.overlay;

import org.loupe.core.result.FloatMap;

/**
 * One map the {@link OverlayEditor} shows as a panel: a channel of a {@link FloatMap} under a label
 * (the method, the head, the layer that produced it).
 *
 * @param label   the caption under the panel
 * @param map     the values, kept as given (not copied further)
 * @param channel the channel shown, {@code 0 <= channel < map.channels()}
 *
 * @since 0.1
 */
public record LabelledMap(String label, FloatMap map, int channel) {

    /** Validates. */
    public LabelledMap {
        if (map == null) {
            throw new IllegalArgumentException("a labelled map needs a map");
        }
        if (channel < 0 || channel >= map.channels()) {
            throw new IllegalArgumentException("channel " + channel + " is out of range: the map has " + map.channels() + " channels");
        }
        label = label == null ? "" : label;
    }

    /** Channel 0 of {@code map}. */
    public LabelledMap(String label, FloatMap map) {
        this(label, map, 0);
    }

    /** The value at {@code cell} of the shown channel. */
    public float value(MapCell cell) {
        return map.get(channel, cell.row(), cell.col());
    }

    /** The shown channel as its own {@code [H, W]} map (the map itself if it has one channel). */
    public FloatMap plane() {
        if (map.channels() == 1 && map.shape().length == 2) {
            return map;
        }
        int n = map.height() * map.width();
        float[] v = new float[n];
        System.arraycopy(map.values(), channel * n, v, 0, n);
        return FloatMap.of(map.height(), map.width(), v);
    }

    /** The smallest finite value of the shown channel (0 if there is none). */
    public double min() {
        return plane().min();
    }

    /** The largest finite value of the shown channel (0 if there is none). */
    public double max() {
        return plane().max();
    }
}

package org.loupe.core.result;

/**
 * What an analysis produces: immutable data that any view can render and any exporter can write.
 * The built-in kinds are images, image grids, galleries, heat maps, charts, tables, text, and
 * composites of these; a plug-in adds its own kinds through the extension point
 * {@code org.loupe.core.resultTypes}, each with the {@link ResultCodec} that stores it.
 *
 * @since 0.1
 */
public interface Result {

    /** A short title for tabs, lists and file names. */
    String title();
}

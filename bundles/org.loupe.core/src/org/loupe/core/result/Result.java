package org.loupe.core.result;

/**
 * What an analysis produces: immutable data that any view can render and any exporter can write.
 * The built-in kinds are images, image grids, charts, tables, text, and composites of these.
 */
public interface Result {

    /** A short title for tabs, lists and file names. */
    String title();
}

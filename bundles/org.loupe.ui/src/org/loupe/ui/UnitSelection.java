package org.loupe.ui;

import org.loupe.core.result.UnitRef;

/**
 * The workbench's selection of units, as renderers see it: links in tables and galleries call {@link #select}.
 *
 * @since 0.1
 */
public interface UnitSelection {

    /**
     * Selects {@code unit}: its hook point in the Model view, with the unit named there. If the unit
     * belongs to a model that is not open, the Model view says so.
     *
     * @return whether it was selected
     */
    boolean select(UnitRef unit);
}

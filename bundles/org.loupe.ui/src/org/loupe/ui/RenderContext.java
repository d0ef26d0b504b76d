package org.loupe.ui;

import java.util.Optional;

import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.loupe.core.model.ModelInfo;
import org.loupe.core.result.Result;
import org.loupe.core.result.Run;

/**
 * What a {@link ResultRenderer} gets besides the result: where it comes from, and what it may do in the workbench.
 *
 * @since 0.1
 */
public interface RenderContext {

    /** The stored run being shown; empty while a live preview of a running analysis is shown. */
    Optional<Run> run();

    /** The identity of the model the result was computed on (id, name, architecture, weights hash). */
    ModelInfo model();

    /** Whether this is a live preview of a partial result (the analysis is still running). */
    boolean preview();

    /** Selects units in the workbench: the Model view shows the unit a link or gallery item names. */
    UnitSelection selection();

    /**
     * Renders a nested part (a composite's) under its title, through the renderer declared for its
     * class; the part's renderer is disposed with this one's.
     */
    Control renderPart(Composite parent, Result part);
}

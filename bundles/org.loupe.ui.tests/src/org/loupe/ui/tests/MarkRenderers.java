package org.loupe.ui.tests;

import org.eclipse.swt.SWT;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Label;
import org.loupe.core.result.Result;
import org.loupe.ui.RenderContext;
import org.loupe.ui.ResultRenderer;

/** Renderers declared for {@link Mark} at different priorities in this bundle's plugin.xml. */
public final class MarkRenderers {

    private MarkRenderers() {
    }

    /** A result only these renderers show. */
    public record Mark(String title) implements Result {
    }

    /** Draws its own name, so a test sees which renderer was chosen. */
    abstract static class Named implements ResultRenderer {
        @Override
        public Control render(Composite parent, Result result, RenderContext context) {
            Label l = new Label(parent, SWT.NONE);
            l.setText(getClass().getSimpleName());
            return l;
        }
    }

    /** Declared without a priority (0). */
    public static final class Default extends Named {
    }

    /** Declared with priority 1. */
    public static final class Low extends Named {
    }

    /** Declared with priority 5: the one that must win. */
    public static final class High extends Named {
    }
}

package org.loupe.core.registry;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;

import org.eclipse.core.runtime.IConfigurationElement;
import org.loupe.core.analysis.Analysis;
import org.loupe.core.model.HookKind;
import org.loupe.core.model.HookPoint;

/** A declared analysis ({@code org.loupe.core.analyses}): what it applies to, and its class. */
public final class AnalysisDescriptor extends Contribution {

    private final Set<HookKind> appliesTo;
    private final boolean modelLevel;

    AnalysisDescriptor(IConfigurationElement element) {
        super(element);
        EnumSet<HookKind> kinds = EnumSet.noneOf(HookKind.class);
        boolean model = false;
        String declared = element.getAttribute("appliesTo");
        for (String k : (declared == null ? "model" : declared).split(",")) {
            String t = k.trim();
            if (t.equals("model")) {
                model = true;
            } else if (t.equals("any")) {
                kinds.addAll(EnumSet.allOf(HookKind.class));
            } else if (!t.isEmpty()) {
                kinds.add(HookKind.fromId(t));
            }
        }
        this.appliesTo = Collections.unmodifiableSet(kinds);
        this.modelLevel = model;
    }

    /** The category the Analyses view groups it under. */
    public String category() {
        String c = attribute("category");
        return c == null ? "Other" : c;
    }

    /** The hook-point kinds it works on (empty if it works on the whole model only). */
    public Set<HookKind> appliesTo() {
        return appliesTo;
    }

    /** Whether it works on the whole model, with no hook point selected. */
    public boolean modelLevel() {
        return modelLevel;
    }

    /** Whether it needs a unit (channel, head, class) selected at the hook point. */
    public boolean needsUnit() {
        return Boolean.parseBoolean(attribute("needsUnit"));
    }

    /** Whether it applies when {@code point} is selected (null: nothing selected). */
    public boolean appliesTo(HookPoint point) {
        return point == null ? modelLevel : appliesTo.contains(point.kind());
    }

    /** Creates the analysis. */
    public Analysis<?> createAnalysis() {
        return create(Analysis.class);
    }
}

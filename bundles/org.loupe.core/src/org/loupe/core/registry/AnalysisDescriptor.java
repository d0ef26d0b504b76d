package org.loupe.core.registry;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.eclipse.core.runtime.IConfigurationElement;
import org.loupe.core.analysis.Analysis;
import org.loupe.core.analysis.ImageInput;
import org.loupe.core.analysis.Requirement;
import org.loupe.core.model.HookKind;
import org.loupe.core.model.HookPoint;
import org.loupe.core.model.HookedModel;

/**
 * A declared analysis ({@code org.loupe.core.analyses}): what it applies to, what it requires, and
 * its class.
 *
 * @since 0.1
 */
public final class AnalysisDescriptor extends Contribution {

    private final Set<HookKind> appliesTo;
    private final boolean modelLevel;
    private final Set<Requirement> declared;
    private volatile Analysis<?> checker;
    private volatile PluginFailure broken;

    AnalysisDescriptor(IConfigurationElement element) {
        super(element);
        EnumSet<HookKind> kinds = EnumSet.noneOf(HookKind.class);
        boolean model = false;
        String applies = element.getAttribute("appliesTo");
        for (String k : (applies == null ? "model" : applies).split(",")) {
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
        EnumSet<Requirement> required = EnumSet.noneOf(Requirement.class);
        String requires = element.getAttribute("requires");
        for (String r : requires == null ? new String[0] : requires.split(",")) {
            if (!r.isBlank()) {
                required.add(Requirement.fromId(r));
            }
        }
        this.declared = Collections.unmodifiableSet(required);
    }

    /** Its short command-line name ({@code loupe run NAME}), if it declares one. */
    public Optional<String> command() {
        String c = attribute("command");
        return c == null || c.isBlank() ? Optional.empty() : Optional.of(c.trim());
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

    /**
     * What it requires: the declaration's {@code requires} together with the analysis'
     * {@link Analysis#requirements()} (which creates the analysis the first time).
     */
    public Set<Requirement> requirements() {
        EnumSet<Requirement> all = EnumSet.noneOf(Requirement.class);
        all.addAll(declared);
        all.addAll(ownRequirements());
        return Collections.unmodifiableSet(all);
    }

    /** What its extension declaration requires (without creating the analysis). */
    public Set<Requirement> declaredRequirements() {
        return declared;
    }

    /** Whether it needs a unit (channel, head, class) selected at the hook point. */
    public boolean needsUnit() {
        return requirements().contains(Requirement.UNIT);
    }

    /** Whether it applies when {@code point} is selected (null: nothing selected). */
    public boolean appliesTo(HookPoint point) {
        return point == null ? modelLevel : appliesTo.contains(point.kind());
    }

    /**
     * Why it does not apply to {@code model}, or empty if it does: the first unmet requirement (the
     * declared ones are checked before the analysis is created), then the analysis' own
     * {@link Analysis#unavailableReason check}. The text starts with the analysis' name, for
     * example "'Attention rollout' needs attention hook points, and Demo CNN has none (...)". An
     * analysis whose plug-in is broken (see {@link #loadFailure}) is unavailable for that reason.
     */
    public Optional<String> unavailableReason(HookedModel model) {
        Optional<String> why = firstUnmet(declared, model);
        if (why.isEmpty()) {
            why = firstUnmet(ownRequirements(), model);
        }
        if (why.isPresent()) {
            return Optional.of("'" + name() + "' " + why.get() + ".");
        }
        Optional<String> own = ask("when it checked whether it applies to " + model.info().name(), a -> a.unavailableReason(model),
                Optional.<String>empty());
        return loadFailure().map(f -> "'" + name() + "' is unavailable: " + f)
                .or(() -> own.map(o -> "'" + name() + "' does not apply to " + model.info().name() + ": " + o));
    }

    /**
     * Why the analysis cannot be used at all, or empty if it can: its plug-in failed when Loupe
     * created it or asked it what it needs. The text names the plug-in and what failed. Creates the
     * analysis the first time.
     */
    public Optional<String> loadFailure() {
        ownRequirements();
        PluginFailure f = broken;
        return f == null ? Optional.empty() : Optional.of(f.getMessage());
    }

    private Set<Requirement> ownRequirements() {
        return ask("when Loupe asked what '" + name() + "' requires", Analysis::requirements, Set.<Requirement>of());
    }

    private static Optional<String> firstUnmet(Set<Requirement> requirements, HookedModel model) {
        return requirements.stream().sorted().map(r -> r.unmetBy(model)).flatMap(Optional::stream).findFirst();
    }

    /** The requirements as text for help and lists ({@code "hookable, unit"}), or empty. */
    public String describeRequirements() {
        return requirements().stream().map(Requirement::id).collect(Collectors.joining(", "));
    }

    /** The images it reads, if it reads any (see {@link Analysis#imageInput()}). */
    public Optional<ImageInput> imageInput() {
        return ask("when Loupe asked which images '" + name() + "' reads", Analysis::imageInput, Optional.<ImageInput>empty());
    }

    /**
     * Creates the analysis.
     *
     * @throws PluginFailure naming the plug-in if its class cannot be created
     */
    public Analysis<?> createAnalysis() {
        return create(Analysis.class);
    }

    /**
     * Asks the analysis a question that needs no run, on one instance kept for them (analyses keep
     * no state). If the plug-in fails, here or when the instance is created, the analysis is marked
     * broken ({@link #loadFailure}) and the answer is {@code otherwise}.
     */
    private <T> T ask(String when, Function<Analysis<?>, T> question, T otherwise) {
        if (broken != null) {
            return otherwise;
        }
        try {
            Analysis<?> a = checker;
            if (a == null) {
                a = createAnalysis();
                checker = a;
            }
            Analysis<?> asked = a;
            return guard(when, () -> question.apply(asked));
        } catch (PluginFailure f) {
            broken = f;
            return otherwise;
        }
    }
}

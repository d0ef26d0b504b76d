package org.loupe.core.analysis;

import java.util.Locale;
import java.util.Optional;

import org.loupe.core.model.HookKind;
import org.loupe.core.model.HookedModel;

/**
 * Something an analysis needs in order to apply: declared in its extension ({@code requires="..."})
 * or returned by {@link Analysis#requirements()}, never guessed. Each model requirement says in
 * words why a given model does not meet it, so the Analyses view and the command line can show the
 * reason.
 *
 * @since 0.1
 */
public enum Requirement {
    /** Hook points to record and intervene at: not a black-box (TorchScript) model. */
    HOOKABLE_MODEL("hookable"),
    /** Class names for the model's outputs. */
    LABELS("labels"),
    /** Attention-probability hook points ({@link HookKind#ATTENTION}), as vision transformers have. */
    ATTENTION("attention"),
    /**
     * Gradients through the model's layers (with respect to hook points): a model built from
     * Loupe's blocks, not a black-box TorchScript model.
     */
    GRADIENTS("gradients"),
    /** A unit (channel, feature, head, class) selected at the hook point. */
    UNIT("unit");

    private final String id;

    Requirement(String id) {
        this.id = id;
    }

    /** The name used in {@code requires} declarations. */
    public String id() {
        return id;
    }

    /**
     * Why {@code model} does not meet this requirement, or empty if it does. {@link #UNIT} is about
     * the selection, not the model, and is always met here.
     */
    public Optional<String> unmetBy(HookedModel model) {
        String name = model.info().name();
        return switch (this) {
            case HOOKABLE_MODEL -> model.hookable() ? Optional.empty()
                    : Optional.of("needs hook points, and " + name + " is a black-box model without any");
            case LABELS -> model.labels().isEmpty() ? Optional.of("needs class labels, and " + name + " has none") : Optional.empty();
            case ATTENTION -> model.hookPoints().stream().anyMatch(p -> p.kind() == HookKind.ATTENTION) ? Optional.empty()
                    : Optional.of("needs attention hook points, and " + name + " has none (it is not a vision transformer)");
            case GRADIENTS -> model.hookable() ? Optional.empty()
                    : Optional.of("needs gradients through the model's layers, which the black-box model " + name + " does not give");
            case UNIT -> Optional.empty();
        };
    }

    /** Looks a requirement up by its declared name; throws with the known names if there is none. */
    public static Requirement fromId(String id) {
        String t = id.trim().toLowerCase(Locale.ROOT);
        for (Requirement r : values()) {
            if (r.id.equals(t)) {
                return r;
            }
        }
        throw new IllegalArgumentException("Unknown requirement '" + id + "'; known: hookable, labels, attention, gradients, unit");
    }
}

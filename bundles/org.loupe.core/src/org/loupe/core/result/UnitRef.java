package org.loupe.core.result;

/**
 * One unit of one model as a value: the model's id, a hook point and the unit's index there. Used
 * in table cells and gallery items so that a view can link to the unit; its text form
 * {@code model#hookPoint:unit} (see {@link #link()}) is what links and CSV files show.
 *
 * @param model     the model's id ({@link org.loupe.core.model.ModelInfo#id()})
 * @param hookPoint the hook point's name
 * @param unit      the unit's index at the hook point (channel, feature, head), {@code >= 0}
 *
 * @since 0.1
 */
public record UnitRef(String model, String hookPoint, int unit) {

    /** Validates. */
    public UnitRef {
        if (model == null || model.isBlank() || model.contains("#")) {
            throw new IllegalArgumentException("a unit reference needs a model id without '#', got '" + model + "'");
        }
        if (hookPoint == null || hookPoint.isBlank() || hookPoint.contains(":")) {
            throw new IllegalArgumentException("a unit reference needs a hook point name without ':', got '" + hookPoint + "'");
        }
        if (unit < 0) {
            throw new IllegalArgumentException("a unit index must be >= 0, got " + unit);
        }
    }

    /** The link text {@code model#hookPoint:unit}, for example {@code demo-cnn#relu1:15}. */
    public String link() {
        return model + "#" + hookPoint + ":" + unit;
    }

    /** The text shown to people: {@code hookPoint:unit}. */
    public String label() {
        return hookPoint + ":" + unit;
    }

    /**
     * Parses {@link #link()}'s form.
     *
     * @throws IllegalArgumentException if {@code link} is not {@code model#hookPoint:unit}
     */
    public static UnitRef parse(String link) {
        int hash = link.indexOf('#');
        int colon = link.lastIndexOf(':');
        if (hash <= 0 || colon < hash + 2 || colon == link.length() - 1) {
            throw new IllegalArgumentException("'" + link + "' is not a unit link; expected model#hookPoint:unit, e.g. demo-cnn#relu1:15");
        }
        try {
            return new UnitRef(link.substring(0, hash), link.substring(hash + 1, colon), Integer.parseInt(link.substring(colon + 1)));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + link + "' is not a unit link: the unit after ':' must be a whole number", e);
        }
    }

    @Override
    public String toString() {
        return link();
    }
}

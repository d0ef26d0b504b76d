package org.loupe.core.registry;

import java.util.Optional;
import java.util.function.Supplier;

import org.eclipse.core.runtime.IConfigurationElement;

/**
 * Common part of every contribution to Loupe's extension points: id, name, description, and the
 * contributing bundle. The contributed class is created only when first used; whatever it throws
 * (there or later, see {@link #guard}) becomes a {@link PluginFailure} that names the plug-in.
 *
 * @since 0.1
 */
public abstract class Contribution {

    private final IConfigurationElement element;

    Contribution(IConfigurationElement element) {
        this.element = element;
    }

    /** The contribution's id (unique within its extension point). */
    public String id() {
        return element.getAttribute("id");
    }

    /** The name shown to users. */
    public String name() {
        String n = element.getAttribute("name");
        return n == null ? id() : n;
    }

    /** The one-line description, or empty. */
    public String description() {
        String d = element.getAttribute("description");
        return d == null ? "" : d.trim();
    }

    /** The symbolic name of the bundle that contributed it. */
    public String contributor() {
        return element.getContributor().getName();
    }

    /** The contributing plug-in as users see it: {@code plug-in 'Its Bundle-Name' (its.symbolic.name)}. */
    public String plugin() {
        return PluginFailure.plugin(element.getContributor());
    }

    /** What kind of contribution it is, in words ("analysis", "model loader", ...). */
    public String kind() {
        return kind(element.getName());
    }

    static String kind(String elementName) {
        return switch (elementName) {
        case "loader" -> "model loader";
        case "builtinModel" -> "built-in model";
        case "imageSource" -> "image source";
        case "resultType" -> "result type";
        default -> elementName;
        };
    }

    /** Creates the contributed class (attribute {@link #classAttribute()}), loading its bundle if needed. */
    protected <T> T create(Class<T> type) {
        Object o;
        try {
            o = element.createExecutableExtension(classAttribute());
        } catch (Throwable t) {
            throw failure("when Loupe created its " + kind() + " '" + name() + "' (class " + attribute(classAttribute()) + ")", t);
        }
        if (!type.isInstance(o)) {
            throw new PluginFailure(contributor(), capitalized(plugin()) + " declares the class " + o.getClass().getName() + " for its "
                    + kind() + " '" + name() + "', which is not a " + type.getSimpleName() + " (it does not implement " + type.getName()
                    + "). Its author must fix the plug-in.", null);
        }
        return type.cast(o);
    }

    /**
     * Calls the plug-in's code ({@code call}, for example the analysis' {@code requirements()}):
     * what it throws becomes a {@link PluginFailure} saying that it failed {@code when}.
     */
    protected <T> T guard(String when, Supplier<T> call) {
        try {
            return call.get();
        } catch (PluginFailure f) {
            throw f;
        } catch (Throwable t) {
            throw failure(when, t);
        }
    }

    /**
     * The failure of this contribution's plug-in {@code when} ("when it ran", "when Loupe created
     * its analysis 'X'"), saying what it threw; rethrows what no plug-in failure may hide.
     */
    public PluginFailure failure(String when, Throwable thrown) {
        if (!PluginFailure.catchable(thrown)) {
            throw (Error) thrown;
        }
        return new PluginFailure(contributor(), capitalized(plugin()) + " failed " + when + ": " + PluginFailure.describe(thrown) + ".",
                thrown);
    }

    private static String capitalized(String s) {
        return Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }

    /** The attribute that names the contributed class: {@code class} unless a kind says otherwise. */
    protected String classAttribute() {
        return classAttribute(element.getName());
    }

    static String classAttribute(String elementName) {
        return elementName.equals("resultType") ? "codec" : "class";
    }

    /**
     * What is wrong with a declaration that cannot become a contribution: no {@code id}, or no
     * class to create; empty if it is complete.
     */
    static Optional<String> declarationProblem(IConfigurationElement e) {
        String classAttribute = classAttribute(e.getName());
        String id = e.getAttribute("id");
        String what = "its " + kind(e.getName()) + (id == null || id.isBlank() ? "" : " '" + id + "'");
        if (id == null || id.isBlank()) {
            String cls = e.getAttribute(classAttribute);
            return Optional.of(what + (cls == null ? "" : " (class " + cls + ")") + " has no id in plugin.xml, so Loupe cannot offer it");
        }
        String cls = e.getAttribute(classAttribute);
        if (cls == null || cls.isBlank()) {
            return Optional.of(what + " names no " + classAttribute + " in plugin.xml, so Loupe cannot create it");
        }
        return Optional.empty();
    }

    /** An attribute of the declaration. */
    protected String attribute(String name) {
        return element.getAttribute(name);
    }

    /** Contributions are equal when they are of the same kind and have the same id. */
    @Override
    public boolean equals(Object o) {
        return o != null && o.getClass() == getClass() && ((Contribution) o).id().equals(id());
    }

    @Override
    public int hashCode() {
        return getClass().hashCode() * 31 + id().hashCode();
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + id() + " from " + contributor() + "]";
    }
}

package org.loupe.core.registry;

import org.eclipse.core.runtime.CoreException;
import org.eclipse.core.runtime.IConfigurationElement;

/**
 * Common part of every contribution to Loupe's extension points: id, name, description, and the
 * contributing bundle. The contributed class is created only when first used.
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

    /** Creates the contributed class (attribute {@link #classAttribute()}), loading its bundle if needed. */
    protected <T> T create(Class<T> type) {
        try {
            Object o = element.createExecutableExtension(classAttribute());
            if (!type.isInstance(o)) {
                throw new IllegalStateException(contributor() + " declares " + o.getClass().getName() + " for '" + id()
                        + "', which does not implement " + type.getName());
            }
            return type.cast(o);
        } catch (CoreException e) {
            throw new IllegalStateException("cannot create '" + id() + "' contributed by " + contributor() + ": "
                    + e.getStatus().getMessage(), e);
        }
    }

    /** The attribute that names the contributed class: {@code class} unless a kind says otherwise. */
    protected String classAttribute() {
        return "class";
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

package org.loupe.ui.internal.render;

import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.eclipse.core.runtime.CoreException;
import org.eclipse.core.runtime.IConfigurationElement;
import org.eclipse.core.runtime.Platform;
import org.loupe.core.plugins.PluginManager;
import org.loupe.core.registry.PluginFailure;
import org.loupe.core.result.Result;
import org.loupe.ui.ResultRenderer;

/**
 * Finds the renderer of a result through the extension point {@code org.loupe.ui.resultViews}. The
 * choice is deterministic, never the order bundles were installed in: the declarations for the
 * nearest class wins (the result's class, then its superclasses and interfaces, breadth first);
 * among those for the same class, the highest {@code priority} (default 0); at equal priority, the
 * one from the bundle whose symbolic name sorts first, then by renderer class name. Views of disabled
 * plug-ins are left out.
 */
public final class ResultRenderers {

    /** The extension point. */
    public static final String POINT = "org.loupe.ui.resultViews";

    /**
     * One declaration.
     *
     * @param resultClass   the result class it renders
     * @param priority      higher wins among declarations for the same class
     * @param contributor   the declaring bundle
     * @param rendererClass the renderer's class name
     * @param element       the declaration (null in tests)
     */
    public record Declaration(String resultClass, int priority, String contributor, String rendererClass, IConfigurationElement element) {
    }

    /** The order among declarations for one class: highest priority, then bundle name, then class name. */
    static final Comparator<Declaration> ORDER = Comparator.comparingInt(Declaration::priority).reversed()
            .thenComparing(Declaration::contributor).thenComparing(Declaration::rendererClass);

    private final Map<String, Declaration> byClass = new HashMap<>();

    /** Reads the declarations of the running platform. */
    public ResultRenderers() {
        this(read());
    }

    /** Resolves among {@code declarations}. */
    public ResultRenderers(List<Declaration> declarations) {
        for (Declaration d : declarations) {
            byClass.merge(d.resultClass(), d, (a, b) -> ORDER.compare(a, b) <= 0 ? a : b);
        }
    }

    private static List<Declaration> read() {
        java.util.function.Predicate<String> enabled = PluginManager.enabledContributors(PluginManager.defaultFolder());
        return java.util.Arrays.stream(Platform.getExtensionRegistry().getConfigurationElementsFor(POINT))
                .filter(e -> enabled.test(e.getContributor().getName()))
                .map(e -> new Declaration(e.getAttribute("resultClass"), priority(e), e.getContributor().getName(), e.getAttribute("class"), e))
                .toList();
    }

    private static int priority(IConfigurationElement e) {
        String p = e.getAttribute("priority");
        try {
            return p == null || p.isBlank() ? 0 : Integer.parseInt(p.trim());
        } catch (NumberFormatException ex) {
            return 0;
        }
    }

    /** The declaring plug-in as users see it ({@code plug-in 'Name' (symbolic.name)}). */
    static String plugin(Declaration d) {
        return d.element() == null ? "plug-in " + d.contributor() : PluginFailure.plugin(d.element().getContributor());
    }

    /** The declaration that wins for results of class {@code type}, if any. */
    public Optional<Declaration> declarationFor(Class<?> type) {
        Deque<Class<?>> todo = new ArrayDeque<>();
        Set<Class<?>> seen = new LinkedHashSet<>();
        todo.add(type);
        while (!todo.isEmpty()) {
            Class<?> c = todo.poll();
            if (!seen.add(c)) {
                continue;
            }
            Declaration d = byClass.get(c.getName());
            if (d != null) {
                return Optional.of(d);
            }
            if (c.getSuperclass() != null) {
                todo.add(c.getSuperclass());
            }
            todo.addAll(List.of(c.getInterfaces()));
        }
        return Optional.empty();
    }

    /** A new renderer for {@code result}, or null if none is declared. */
    public ResultRenderer find(Result result) {
        Declaration d = declarationFor(result.getClass()).orElse(null);
        if (d == null) {
            return null;
        }
        Object renderer;
        try {
            renderer = d.element().createExecutableExtension("class");
        } catch (CoreException | RuntimeException | LinkageError ex) {
            Throwable cause = ex instanceof CoreException ce && ce.getStatus().getException() != null ? ce.getStatus().getException() : ex;
            throw new PluginFailure(d.contributor(), "P" + plugin(d).substring(1) + " failed when Loupe created its view of "
                    + result.title() + " (class " + d.rendererClass() + "): " + PluginFailure.describe(cause) + ".", ex);
        }
        if (!(renderer instanceof ResultRenderer r)) {
            throw new PluginFailure(d.contributor(), "P" + plugin(d).substring(1) + " declares the class " + d.rendererClass()
                    + " as a result view, which is not a ResultRenderer. Its author must fix the plug-in.", null);
        }
        return r;
    }
}

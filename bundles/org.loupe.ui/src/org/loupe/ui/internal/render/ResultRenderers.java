package org.loupe.ui.internal.render;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;

import org.eclipse.core.runtime.CoreException;
import org.eclipse.core.runtime.IConfigurationElement;
import org.eclipse.core.runtime.Platform;
import org.loupe.core.result.Result;
import org.loupe.ui.ResultRenderer;

/**
 * Finds the renderer of a result through the extension point {@code org.loupe.ui.resultViews}: the
 * declaration for the result's class, else for its nearest superclass or interface.
 */
public final class ResultRenderers {

    /** The extension point. */
    public static final String POINT = "org.loupe.ui.resultViews";

    private final Map<String, IConfigurationElement> byClass = new HashMap<>();

    /** Reads the declarations. */
    public ResultRenderers() {
        for (IConfigurationElement e : Platform.getExtensionRegistry().getConfigurationElementsFor(POINT)) {
            byClass.putIfAbsent(e.getAttribute("resultClass"), e);
        }
    }

    /** The renderer for {@code result}, or null if none is declared. */
    public ResultRenderer find(Result result) {
        Deque<Class<?>> todo = new ArrayDeque<>();
        todo.add(result.getClass());
        while (!todo.isEmpty()) {
            Class<?> c = todo.poll();
            IConfigurationElement e = byClass.get(c.getName());
            if (e != null) {
                try {
                    return (ResultRenderer) e.createExecutableExtension("class");
                } catch (CoreException ex) {
                    throw new IllegalStateException("cannot create the renderer for " + c.getName() + ": " + ex.getStatus().getMessage(), ex);
                }
            }
            if (c.getSuperclass() != null) {
                todo.add(c.getSuperclass());
            }
            todo.addAll(java.util.List.of(c.getInterfaces()));
        }
        return null;
    }
}

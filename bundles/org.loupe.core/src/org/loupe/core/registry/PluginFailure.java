package org.loupe.core.registry;

import java.util.Locale;

import org.eclipse.core.runtime.ContributorFactoryOSGi;
import org.eclipse.core.runtime.IContributor;
import org.osgi.framework.Bundle;

/**
 * A contributed class that failed: it could not be created, or it threw where Loupe called it. The
 * message names the plug-in (its name and bundle symbolic name) and says in words what failed, so
 * that it can be shown to the user as it is; the plug-in's own exception is the cause (for the log
 * and the plug-in's author). Loupe catches what a plug-in throws and turns it into this, so one
 * broken plug-in never takes the workbench or the command line down.
 *
 * @since 0.1
 */
public final class PluginFailure extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String bundle;

    /**
     * A failure of the plug-in {@code bundle}.
     *
     * @param bundle  the contributing bundle's symbolic name
     * @param message the whole message, naming the plug-in
     * @param cause   what the plug-in threw
     */
    public PluginFailure(String bundle, String message, Throwable cause) {
        super(message, cause);
        this.bundle = bundle;
    }

    /** The symbolic name of the bundle whose code failed. */
    public String bundle() {
        return bundle;
    }

    /**
     * A plug-in as users see it: {@code plug-in 'Its Bundle-Name' (its.symbolic.name)}, or only the
     * symbolic name where the bundle has no name of its own.
     */
    public static String plugin(IContributor contributor) {
        String id = contributor.getName();
        String name = null;
        try {
            Bundle b = ContributorFactoryOSGi.resolve(contributor);
            name = b == null ? null : b.getHeaders().get("Bundle-Name");
        } catch (RuntimeException e) {
            // not an OSGi contributor (a registry made in a test): the symbolic name alone
        }
        return name == null || name.isBlank() || name.equals(id) ? "plug-in " + id : "plug-in '" + name + "' (" + id + ")";
    }

    /**
     * Whether Loupe may catch {@code t} from a plug-in and carry on: everything but the virtual
     * machine's own breakdowns ({@link InternalError}, {@link UnknownError}). A stack overflow is
     * caught (the stack is unwound by then); so is running out of memory, which is usually the
     * plug-in's own allocation, garbage once it has been caught.
     */
    public static boolean catchable(Throwable t) {
        return !(t instanceof InternalError || t instanceof UnknownError);
    }

    /**
     * What a plug-in threw, in words and without exception class names: "it ran out of memory",
     * "a class it needs is missing: com.example.Helper", or the exception's own message.
     */
    public static String describe(Throwable t) {
        Throwable root = unwrap(t);
        String message = root.getMessage() == null || root.getMessage().isBlank() ? null : root.getMessage().trim();
        if (root instanceof OutOfMemoryError) {
            return "it ran out of memory" + (message == null ? "" : " (" + message + ")");
        }
        if (root instanceof StackOverflowError) {
            return "it recursed too deeply (stack overflow)";
        }
        if (root instanceof NoClassDefFoundError || root instanceof ClassNotFoundException) {
            return "a class it needs is missing" + (message == null ? "" : ": " + message.replace('/', '.'));
        }
        if (root instanceof ExceptionInInitializerError) {
            return "its class could not be initialised" + (root.getCause() == null ? "" : ": " + describe(root.getCause()));
        }
        if (root instanceof LinkageError) {
            return "it does not fit this version of Loupe or of a library it uses" + (message == null ? "" : ": " + message);
        }
        if (root instanceof NullPointerException) {
            return "it used a missing (null) value" + (message == null ? "" : ": " + message);
        }
        if (message != null) {
            return message;
        }
        String kind = root.getClass().getSimpleName().replaceAll("(Exception|Error)$", "").replaceAll("([a-z])([A-Z])", "$1 $2")
                .toLowerCase(Locale.ROOT);
        return "it failed without saying why (" + kind + ")";
    }

    /** The exception that says what happened, under the wrappers reflection and the registry put around it. */
    private static Throwable unwrap(Throwable t) {
        Throwable c = t;
        for (int depth = 0; depth < 16; depth++) {
            Throwable next = null;
            if (c instanceof org.eclipse.core.runtime.CoreException ce) {
                next = ce.getStatus().getException() != null ? ce.getStatus().getException() : ce.getCause();
            } else if (c instanceof java.lang.reflect.InvocationTargetException ite) {
                next = ite.getCause();
            }
            if (next == null || next == c) {
                return c;
            }
            c = next;
        }
        return c;
    }
}

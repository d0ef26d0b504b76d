package org.loupe.core.plugins;

/**
 * A plug-in operation that could not be done: the message says what was wrong and what to do, in
 * words a user reads (never a library's exception name). Nothing already installed is changed when
 * it is thrown.
 *
 * @since 0.1
 */
public final class PluginException extends Exception {

    private static final long serialVersionUID = 1L;

    private final boolean wrongRequest;

    private PluginException(String message, boolean wrongRequest, Throwable cause) {
        super(message, cause);
        this.wrongRequest = wrongRequest;
    }

    /** The request named something that is not there or not a plug-in (a command line would exit with 2). */
    public static PluginException wrongRequest(String message) {
        return new PluginException(message, true, null);
    }

    /** A valid request that failed: a site that cannot be reached, a missing bundle, a bundle that does not start. */
    public static PluginException failed(String message, Throwable cause) {
        return new PluginException(message, false, cause);
    }

    /** True when the request itself was wrong (a path, site or id that is not there or not a plug-in). */
    public boolean isWrongRequest() {
        return wrongRequest;
    }
}

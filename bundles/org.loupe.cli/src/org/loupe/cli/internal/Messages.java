package org.loupe.cli.internal;

import java.util.regex.Pattern;

/**
 * Keeps library internals out of what the terminal shows. A message that Loupe builds around a
 * library's own (a JSON parser's, libtorch's) can carry that library's exception class names,
 * its help links and native stack frames; the user can do nothing with them.
 */
final class Messages {

    /** {@code com.google.gson.stream.MalformedJsonException: } and the like. */
    private static final Pattern CLASS_NAME = Pattern.compile("\\b(?:[a-z_$][\\w$]*\\.)+[A-Z][\\w$]*(?:Exception|Error)\\b:?\\s*");
    /** A library's pointer to its own troubleshooting page: {@code See https://...}. */
    private static final Pattern HELP_LINK = Pattern.compile("\\s*\\bSee\\s+https?://\\S+");
    /** libtorch's C++ trace, which starts so and runs to the end. */
    private static final Pattern NATIVE_TRACE = Pattern.compile("\\s*(?:Exception raised from |\\(Triggered internally at |frame #0:).*",
            Pattern.DOTALL);

    private Messages() {
    }

    /** The message without class names, help links and native traces, on as few lines as it needs. */
    static String clean(String message) {
        if (message == null || message.isBlank()) {
            return "unknown error";
        }
        String m = NATIVE_TRACE.matcher(message).replaceAll("");
        m = HELP_LINK.matcher(m).replaceAll("");
        m = CLASS_NAME.matcher(m).replaceAll("");
        return m.replaceAll("[ \\t]*\\R[ \\t]*(?=\\R)", "").strip();
    }
}

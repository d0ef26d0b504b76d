package org.loupe.cli.internal;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.util.Locale;

import org.eclipse.core.runtime.OperationCanceledException;
import org.loupe.core.analysis.AnalysisException;
import org.loupe.core.model.ModelLoadException;
import org.loupe.core.registry.PluginFailure;
import org.loupe.djl.EngineStartException;

import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/**
 * Reports a valid request that failed (a model file that cannot be read, an analysis that fails,
 * the engine that does not start, a plug-in whose code fails): the message, which says why and what
 * to do, and exit code 1. Anything else is a bug in Loupe, reported with the trace to send.
 */
public final class Failures implements IExecutionExceptionHandler {

    /** The exit code of a valid request that failed. */
    public static final int FAILED = 1;

    private final PrintStream err;

    /** Reports to {@code err}. */
    public Failures(PrintStream err) {
        this.err = err;
    }

    /** A failure already told to the user (by the Ctrl+C hook, as the JVM shuts down): nothing more is printed. */
    static final class Reported extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Reported(Throwable cause) {
            super(cause);
        }
    }

    @Override
    public int handleExecutionException(Exception ex, CommandLine commandLine, ParseResult parseResult) {
        if (ex instanceof Reported) {
            return FAILED;
        }
        if (ex instanceof ModelLoadException || ex instanceof AnalysisException || ex instanceof EngineStartException
                || ex instanceof PluginFailure) {
            err.println("loupe: " + Messages.clean(ex.getMessage()));
        } else if (ex instanceof IOException e) {
            err.println("loupe: " + describe(e));
        } else if (ex instanceof OperationCanceledException) {
            err.println("loupe: cancelled");
        } else {
            err.println("loupe: internal error, please report it with the trace below: " + ex);
            ex.printStackTrace(err);
        }
        return FAILED;
    }

    /** An I/O failure in words: the file and the operating system's reason, never just the path. */
    static String describe(IOException e) {
        if (e instanceof FileSystemException f && f.getFile() != null) {
            return f.getFile() + (f.getOtherFile() == null ? "" : " -> " + f.getOtherFile()) + ": " + reason(e);
        }
        return Messages.clean(e.getMessage());
    }

    /** The operating system's reason for an I/O failure, in lower case. */
    static String reason(IOException e) {
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof NoSuchFileException) {
            return "no such file or folder";
        }
        if (e instanceof FileSystemException f && f.getReason() != null) {
            return f.getReason().toLowerCase(Locale.ROOT);
        }
        return Messages.clean(e.getMessage());
    }
}

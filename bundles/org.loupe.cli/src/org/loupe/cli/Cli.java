package org.loupe.cli;

import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;

import org.loupe.cli.internal.Env;
import org.loupe.cli.internal.Failures;
import org.loupe.cli.internal.LoupeCommand;
import org.loupe.cli.internal.UsageErrors;
import org.loupe.core.registry.LoupeRegistry;

import picocli.CommandLine;

/**
 * Loupe's command line: {@code list}, {@code run}, {@code bench}, {@code train}, {@code help},
 * {@code version}, parsed by picocli. Results go to the run store (so the workbench shows them)
 * and are exported to {@code --out}. Exit codes: 0 success, 1 a valid request that failed (a
 * model that cannot be opened, an analysis that fails), 2 a wrong command line.
 *
 * @since 0.1
 */
public final class Cli {

    /** Exit code of success. */
    public static final int OK = 0;
    /** Exit code of a failed model load or analysis. */
    public static final int FAILED = Failures.FAILED;
    /** Exit code of a wrong command line. */
    public static final int USAGE = UsageErrors.USAGE;

    private final PrintStream out;
    private final PrintStream err;
    private final LoupeRegistry registry;

    /** A command line writing to {@code out} (results) and {@code err} (progress, errors). */
    public Cli(PrintStream out, PrintStream err) {
        this(out, err, new LoupeRegistry());
    }

    /** A command line using {@code registry}. */
    public Cli(PrintStream out, PrintStream err, LoupeRegistry registry) {
        this.out = out;
        this.err = err;
        this.registry = registry;
    }

    /** Runs one command line; returns the exit code. */
    public int run(String... args) {
        CommandLine cl = LoupeCommand.create(new Env(registry, out, err), version());
        PrintWriter help = new PrintWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), true);
        cl.setOut(help);
        cl.setErr(new PrintWriter(new OutputStreamWriter(err, StandardCharsets.UTF_8), true));
        cl.setParameterExceptionHandler(new UsageErrors(err));
        cl.setExecutionExceptionHandler(new Failures(err));
        int code = cl.execute(args);
        help.flush();
        out.flush();
        return code;
    }

    private static String version() {
        var b = org.osgi.framework.FrameworkUtil.getBundle(Cli.class);
        return b == null ? "dev" : b.getVersion().toString();
    }
}

package org.loupe.cli.internal;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

import picocli.CommandLine;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.MissingParameterException;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.OverwrittenOptionException;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * Reports a wrong command line, whether picocli found it while parsing or a command found it
 * (a layer the model does not have, an unwritable {@code --out}): one line saying what is wrong,
 * with a "did you mean" where something close exists, then where to find the command's help.
 * Always exit code 2.
 */
public final class UsageErrors implements IParameterExceptionHandler {

    /** The exit code of every wrong command line. */
    public static final int USAGE = 2;

    private final PrintStream err;

    /** Reports to {@code err}. */
    public UsageErrors(PrintStream err) {
        this.err = err;
    }

    @Override
    public int handleParseException(ParameterException ex, String[] args) {
        CommandLine cl = ex.getCommandLine();
        err.println("loupe: " + Messages.clean(describe(ex, args)));
        err.println("Try '" + cl.getCommandSpec().qualifiedName() + " --help'.");
        return USAGE;
    }

    private static String describe(ParameterException ex, String[] args) {
        CommandLine cl = ex.getCommandLine();
        if (ex instanceof UnmatchedArgumentException u) {
            return unmatched(u);
        }
        if (ex instanceof MissingParameterException m) {
            // picocli checks required options before it complains of unknown ones: `--modle x` would read as "needs --model"
            Optional<String> unknown = unknownOption(cl, args);
            if (unknown.isPresent()) {
                return unknownOption(cl, unknown.get(), new UnmatchedArgumentException(cl, List.of(unknown.get())).getSuggestions());
            }
            return missing(cl, m.getMissing(), args);
        }
        if (ex instanceof OverwrittenOptionException o) {
            return "option " + name(o.getOverwritten()) + " is given twice";
        }
        if (ex.getArgSpec() != null && ex.getValue() != null) {
            return wrongValue(ex.getArgSpec(), ex.getValue()).orElse(ex.getMessage());
        }
        return ex.getMessage();
    }

    private static String unmatched(UnmatchedArgumentException u) {
        CommandLine cl = u.getCommandLine();
        CommandSpec spec = cl.getCommandSpec();
        String typed = u.getUnmatched().isEmpty() ? "" : u.getUnmatched().get(0);
        if (u.isUnknownOption()) {
            return unknownOption(cl, typed, u.getSuggestions());
        }
        Collection<String> names = spec.subcommands().keySet();
        if (cl.getParent() == null) {
            return "unknown command '" + typed + "'; commands: " + String.join(", ", names) + didYouMean(typed, names, u.getSuggestions());
        }
        if (!names.isEmpty()) {
            String listed = spec.subcommands().values().stream().distinct().map(c -> c.getCommandName()
                    + Arrays.stream(c.getCommandSpec().aliases()).map(a -> " (" + a + ")").collect(Collectors.joining())).collect(Collectors.joining(", "));
            return "no analysis '" + typed + "'; analyses: " + listed + didYouMean(typed, names, u.getSuggestions());
        }
        return "unexpected argument '" + typed + "' for '" + topCommand(cl) + "'";
    }

    private static String unknownOption(CommandLine cl, String typed, List<String> picocli) {
        List<String> names = cl.getCommandSpec().options().stream().flatMap(o -> Arrays.stream(o.names())).toList();
        return "unknown option '" + typed + "' for '" + topCommand(cl) + "'" + didYouMean(typed, names, picocli);
    }

    /** ". Did you mean X?" if a candidate is close to {@code typed}, else "". */
    static String didYouMean(String typed, Collection<String> candidates, List<String> picocli) {
        return Suggestions.best(typed, candidates, picocli).map(s -> ". Did you mean " + s + "?").orElse("");
    }

    /** {@code message} (without its closing full stop) and a "did you mean" if one is close. */
    static String withSuggestion(String message, String typed, Collection<String> candidates) {
        String hint = didYouMean(typed, candidates, List.of());
        return hint.isEmpty() ? message : message.replaceFirst("\\.+$", "") + hint;
    }

    /** The first argument after this command's name that looks like an option it does not have. */
    private static Optional<String> unknownOption(CommandLine cl, String[] args) {
        CommandSpec spec = cl.getCommandSpec();
        int start = Arrays.asList(args).indexOf(spec.name()) + 1;
        for (int i = start; i < args.length; i++) {
            String a = args[i];
            OptionSpec o = spec.findOption(a);
            if (o != null) {
                i += o.arity().min();
            } else if (a.startsWith("-") && a.length() > 1 && !Character.isDigit(a.charAt(1))) {
                return Optional.of(a);
            }
        }
        return Optional.empty();
    }

    private static String missing(CommandLine cl, List<ArgSpec> missing, String[] args) {
        List<String> given = Arrays.asList(args);
        for (ArgSpec a : missing) {
            if (a instanceof OptionSpec o && Arrays.stream(o.names()).anyMatch(given::contains)) {
                return "option " + o.longestName() + " needs a value";
            }
        }
        return "'" + topCommand(cl) + "' needs " + missing.stream().sorted((a, b) -> Boolean.compare(a.isOption(), b.isOption()))
                .map(a -> a instanceof OptionSpec o ? o.longestName() + " " + o.paramLabel() : a.paramLabel())
                .collect(Collectors.joining(" and "));
    }

    /** What a value of the wrong type says: "--unit must be an integer, got 'x'". */
    private static Optional<String> wrongValue(ArgSpec a, String value) {
        Class<?> type = Map.class.isAssignableFrom(a.type()) ? Map.class : a.auxiliaryTypes()[0];
        String what;
        if (type == Map.class) {
            what = "takes KEY=VALUE";
        } else if (type == int.class || type == Integer.class || type == long.class || type == Long.class) {
            what = "must be an integer";
        } else if (type == float.class || type == Float.class || type == double.class || type == Double.class) {
            what = "must be a number";
        } else if (type == Path.class) {
            what = "must be a file or folder path";
        } else {
            return Optional.empty();
        }
        return Optional.of(name(a) + " " + what + (a.isMultiValue() && type != Map.class ? " (separated by commas)" : "") + ", got '"
                + value + "'");
    }

    private static String name(ArgSpec a) {
        return a instanceof OptionSpec o ? o.longestName() : a.paramLabel();
    }

    /** The command under {@code loupe} that {@code cl} belongs to: {@code run} for an analysis of it. */
    static String topCommand(CommandLine cl) {
        CommandLine c = cl;
        while (c.getParent() != null && c.getParent().getParent() != null) {
            c = c.getParent();
        }
        return c.getCommandName();
    }
}

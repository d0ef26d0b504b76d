package org.loupe.cli.internal;

import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;

import org.loupe.core.model.ConfigValue;
import org.loupe.core.model.HookedModel;
import org.loupe.core.model.ModelLoadException;
import org.loupe.core.registry.BuiltinModelDescriptor;
import org.loupe.core.registry.LoupeRegistry;

import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

/** Opens the model a command line names, telling a name that names nothing (exit 2) from a model that fails to load (exit 1). */
final class Models {

    private Models() {
    }

    /**
     * Opens {@code spec} ({@code --model} or {@code --anchor}), with progress on the terminal and a
     * warning on the error stream for each guess that can change the model's numbers.
     *
     * @throws ParameterException if it is neither a built-in model nor an existing file or folder
     * @throws ModelLoadException if it exists but cannot be opened
     */
    static HookedModel open(Env env, CommandLine cl, String option, String spec) throws ModelLoadException {
        try {
            HookedModel m = env.registry().openModel(spec, new ConsoleMonitor(env.err()));
            for (ConfigValue c : m.info().warnings()) {
                env.err().println("warning: " + c.warning());
            }
            env.err().flush();
            return m;
        } catch (ModelLoadException e) {
            List<String> builtins = env.registry().builtinModels().stream().map(BuiltinModelDescriptor::id).toList();
            if (namesNothing(spec, builtins)) {
                throw new ParameterException(cl, option + ": " + UsageErrors.withSuggestion(e.getMessage(), spec, builtins));
            }
            throw e;
        }
    }

    private static boolean namesNothing(String spec, List<String> builtins) {
        String id = spec.startsWith(LoupeRegistry.BUILTIN_PREFIX) ? spec.substring(LoupeRegistry.BUILTIN_PREFIX.length()) : spec;
        if (builtins.contains(id)) {
            return false;
        }
        try {
            return !Files.exists(Path.of(spec));
        } catch (InvalidPathException e) {
            return true;
        }
    }
}

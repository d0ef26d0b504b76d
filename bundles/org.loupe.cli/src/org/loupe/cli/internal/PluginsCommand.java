package org.loupe.cli.internal;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Supplier;

import org.loupe.core.plugins.PluginChange;
import org.loupe.core.plugins.PluginException;
import org.loupe.core.plugins.PluginInfo;
import org.loupe.core.plugins.PluginManager;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code loupe plugins list|install|disable|enable|uninstall}: the plug-in manager on the command line.
 * A request that names something that is not there or not a plug-in exits with 2, one that fails
 * (a site that cannot be reached, a bundle Loupe lacks) with 1.
 */
@Command(name = "plugins", separator = " ", usageHelpWidth = 100, descriptionHeading = "%n", optionListHeading = "%nOptions:%n",
        commandListHeading = "%nCommands:%n",
        description = {"Lists, installs, disables, enables and uninstalls plug-ins. User plug-ins live in ~/.loupe/plugins "
                + "(-Dloupe.plugins.dir=D for another folder); a jar put there is installed at the next start."})
final class PluginsCommand implements Callable<Integer> {

    private final Env env;
    private final Supplier<PluginManager> manager;

    @Spec
    CommandSpec spec;

    @Mixin
    HelpOption help;

    PluginsCommand(Env env, Supplier<PluginManager> manager) {
        this.env = env;
        this.manager = manager;
    }

    @Override
    public Integer call() {
        spec.commandLine().usage(env.out());
        return 0;
    }

    /** Runs one manager operation: prints its message, or reports its failure with the matching exit code. */
    private int change(String command, Operation op) {
        try {
            PluginChange c = op.apply(manager.get());
            env.out().println(c.message());
            return 0;
        } catch (PluginException e) {
            if (e.isWrongRequest()) {
                throw new ParameterException(spec.commandLine().getSubcommands().get(command), e.getMessage());
            }
            env.err().println("loupe: " + Messages.clean(e.getMessage()));
            return Failures.FAILED;
        }
    }

    private interface Operation {
        PluginChange apply(PluginManager m) throws PluginException;
    }

    @Command(name = "list", description = "list the plug-ins, built-in and installed, with what each contributes")
    int list(@Mixin HelpOption h) {
        List<PluginInfo> all;
        try {
            all = manager.get().list();
        } catch (PluginException e) {
            env.err().println("loupe: " + Messages.clean(e.getMessage()));
            return Failures.FAILED;
        }
        for (PluginInfo p : all) {
            env.out().printf("%s %s (%s, %s): %s%n", p.id(), p.version(), p.builtIn() ? "built-in" : "installed",
                    p.enabled() ? "enabled" : "disabled", p.name());
            p.contributions().forEach((kind, ids) -> env.out().printf("  %s: %s%n", kind, String.join(", ", ids)));
            if (!p.builtIn()) {
                env.out().printf("  from %s%n", p.source());
            }
        }
        env.out().printf("%d plug-ins, %d installed by the user in %s%n", all.size(), all.stream().filter(p -> !p.builtIn()).count(),
                manager.get().folder());
        return 0;
    }

    @Command(name = "install", separator = " ", description = {"install a plug-in from an update site (a p2 repository: a folder, "
            + "or a file:, http: or https: URL) or from a plug-in jar; it is active at once"})
    int install(@Mixin HelpOption h,
            @Parameters(paramLabel = "SITE-OR-JAR", description = "the update site, or the plug-in's .jar") String what,
            @Option(names = "--plugin", paramLabel = "ID", description = "the feature or bundle to install from the site "
                    + "(needed when the site offers more than one that Loupe lacks)") String plugin) {
        Path path = what.matches("(?i)(file|https?):.*") ? null : Path.of(what);
        boolean jar = path != null && (Files.isRegularFile(path) && !Files.isDirectory(path) || what.endsWith(".jar"));
        if (jar && plugin != null) {
            throw new ParameterException(spec.commandLine().getSubcommands().get("install"), "--plugin chooses among what a site offers; a jar is one plug-in: drop --plugin");
        }
        return change("install", m -> jar ? m.installJar(path) : m.installFromSite(what, plugin));
    }

    @Command(name = "disable", description = "hide a plug-in's contributions now and do not start it at the next start")
    int disable(@Mixin HelpOption h, @Parameters(paramLabel = "ID", description = "the plug-in id") String id) {
        return change("disable", m -> m.disable(id));
    }

    @Command(name = "enable", description = "enable a disabled plug-in again")
    int enable(@Mixin HelpOption h, @Parameters(paramLabel = "ID", description = "the plug-in id") String id) {
        return change("enable", m -> m.enable(id));
    }

    @Command(name = "uninstall", description = "remove an installed plug-in (built-in ones can only be disabled)")
    int uninstall(@Mixin HelpOption h, @Parameters(paramLabel = "ID", description = "the plug-in id") String id) {
        return change("uninstall", m -> m.uninstall(id));
    }
}

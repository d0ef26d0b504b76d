package org.loupe.cli.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

import org.loupe.core.plugins.PluginManager;
import org.loupe.core.registry.BuiltinModelDescriptor;
import org.loupe.core.registry.LoaderDescriptor;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Help;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.UsageMessageSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code loupe}: the command tree ({@code list}, {@code run}, {@code bench}, {@code train},
 * {@code export-pages}, {@code new-plugin}, {@code plugins}, {@code help}, {@code version}). Its help names every
 * subcommand's synopsis, the model formats the installed loaders read, and the exit codes.
 */
@Command(name = "loupe", separator = " ", usageHelpWidth = 100, descriptionHeading = "%n", optionListHeading = "%nOptions:%n",
        description = {"Mechanistic interpretability of image models: the command line. Without a command, `loupe` opens the workbench "
                + "on the built-in demo model (`loupe --model M` on another; `loupe open demo-cnn#relu4:14` on a unit's page). Results are saved in the run store, where the "
                + "workbench's Runs view shows them."},
        commandListHeading = "%nCommands:%n",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:done",
                "1:a valid request failed: a model file that cannot be read, an analysis that fails",
                "2:a wrong command line: an unknown command or option, a missing or malformed value, a layer, unit, "
                        + "image or parameter that does not exist, an --out that cannot be written"})
public final class LoupeCommand implements Callable<Integer> {

    private static final String MODELS_SECTION = "loupeModels";

    private final Env env;

    @Spec
    CommandSpec spec;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "show this help")
    boolean help;

    @Option(names = {"-V", "--version"}, versionHelp = true, description = "print the version")
    boolean version;

    private LoupeCommand(Env env) {
        this.env = env;
    }

    /** The whole command tree for {@code env}, with its help sections; handlers are set by the caller. */
    public static CommandLine create(Env env, String version) {
        CommandLine cl = new CommandLine(new LoupeCommand(env));
        cl.getCommandSpec().versionProvider(() -> new String[] {"Loupe " + version});
        cl.addSubcommand(new ListCommand(env));
        cl.addSubcommand(RunCommand.create(env));
        cl.addSubcommand(new BenchCommand(env));
        cl.addSubcommand(new TrainCommand(env));
        cl.addSubcommand(new ExportPagesCommand(env));
        cl.addSubcommand(new NewPluginCommand(env));
        cl.addSubcommand(new PluginsCommand(env, PluginManager::forRunningPlatform));
        cl.addSubcommand(new CommandLine.HelpCommand());
        cl.addSubcommand(new VersionCommand(env, version));
        UsageMessageSpec usage = cl.getCommandSpec().usageMessage();
        usage.sectionMap().put(UsageMessageSpec.SECTION_KEY_SYNOPSIS, LoupeCommand::synopsis);
        usage.sectionMap().put(MODELS_SECTION, help -> models(env));
        List<String> keys = new ArrayList<>(usage.sectionKeys());
        keys.add(keys.indexOf(UsageMessageSpec.SECTION_KEY_EXIT_CODE_LIST_HEADING), MODELS_SECTION);
        usage.sectionKeys(keys);
        return cl;
    }

    @Override
    public Integer call() {
        spec.commandLine().usage(env.out());
        return 0;
    }

    /** "loupe [COMMAND] [OPTIONS]" and below it each command's own generated synopsis. */
    private static String synopsis(Help help) {
        StringBuilder b = new StringBuilder("loupe [COMMAND] [OPTIONS]\n");
        help.subcommands().forEach((name, sub) -> {
            if (!name.equals("help") && !name.equals("version")) {
                b.append("       ").append(sub.synopsis(0).stripTrailing().replace("\n", "\n       ")).append('\n');
            }
        });
        return b.append('\n').toString();
    }

    /** The models {@code --model} accepts: the built-in ones, and the file types of every installed loader. */
    private static String models(Env env) {
        StringBuilder b = new StringBuilder("\nModels (--model M): a built-in model, or a file or folder that a model loader reads.\n");
        b.append("  built-in: ").append(env.registry().builtinModels().stream()
                .map(d -> d.id() + (d.isDefault() ? " (default)" : "")).collect(Collectors.joining(", "))).append('\n');
        for (LoaderDescriptor d : env.registry().loaders()) {
            b.append("  ").append(d.name()).append(": ").append(d.fileExtensions().stream()
                    .map(e -> e.equals("/") ? "a folder" : "." + e).collect(Collectors.joining(", "))).append('\n');
        }
        return b.append("'loupe list' describes each loader and built-in model.\n").toString();
    }

    /** The id of the built-in model used when none is given, for examples in messages. */
    static String defaultModel(Env env) {
        return env.registry().defaultModel().map(BuiltinModelDescriptor::id).orElse("M");
    }
}

package org.loupe.cli.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import org.loupe.core.registry.AnalysisDescriptor;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Help;
import picocli.CommandLine.Help.TextTable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.UsageMessageSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code loupe run}: every installed analysis is a subcommand of it ({@link AnalysisCommand}), so
 * an analysis id is completed, checked and suggested like a command name, and each has its own
 * help generated from its parameters.
 */
@Command(name = "run", separator = " ", usageHelpWidth = 100, descriptionHeading = "%n", optionListHeading = "%nOptions:%n",
        customSynopsis = "loupe run ANALYSIS --model M --out DIR [OPTIONS]",
        description = {"Runs an analysis headless; the result goes to the run store and to --out.",
                "The result is saved in the run store, so the workbench's Runs view shows it, "
                + "and exported to --out: run.json (result and provenance), images as PNG, charts as PNG and CSV, tables as CSV, "
                + "text as TXT. `loupe run ANALYSIS --help` lists the analysis' parameters with their defaults."},
        commandListHeading = "%nAnalyses:%n")
final class RunCommand implements Callable<Integer> {

    private static final String OPTIONS_SECTION = "loupeRunOptions";

    private final Env env;

    @Spec
    CommandSpec spec;

    @Mixin
    HelpOption help;

    private RunCommand(Env env) {
        this.env = env;
    }

    /** {@code run} with one subcommand per analysis, and in its help the options every analysis takes. */
    static CommandLine create(Env env) {
        CommandLine cl = new CommandLine(new RunCommand(env));
        List<AnalysisDescriptor> analyses = env.registry().analyses();
        for (AnalysisDescriptor d : analyses) {
            String[] aliases = d.command().filter(c -> !c.equals(d.id())).stream().toArray(String[]::new);
            cl.addSubcommand(d.id(), AnalysisCommand.create(env, d), aliases);
        }
        UsageMessageSpec usage = cl.getCommandSpec().usageMessage();
        usage.sectionMap().put(UsageMessageSpec.SECTION_KEY_COMMAND_LIST, help -> analysisList(help, analyses));
        usage.sectionMap().put(OPTIONS_SECTION, help -> "\nOptions after ANALYSIS:\n" + AnalysisCommand.create(env, null).getHelp().optionList());
        List<String> keys = new ArrayList<>(usage.sectionKeys());
        keys.add(keys.indexOf(UsageMessageSpec.SECTION_KEY_COMMAND_LIST) + 1, OPTIONS_SECTION);
        usage.sectionKeys(keys);
        return cl;
    }

    @Override
    public Integer call() {
        String example = env.registry().analyses().stream().map(AnalysisDescriptor::id).findFirst().orElse("ANALYSIS");
        throw new ParameterException(spec.commandLine(), "'run' needs an analysis id first, for example: loupe run " + example + " --model "
                + LoupeCommand.defaultModel(env) + " --layer L --out DIR (analyses: 'loupe run --help')");
    }

    /** Each analysis: id, then name, description and the hook-point kinds it applies to. */
    private static String analysisList(Help help, List<AnalysisDescriptor> analyses) {
        int idWidth = analyses.stream().mapToInt(d -> label(d).length()).max().orElse(10) + 4;
        int width = help.commandSpec().usageMessage().width();
        TextTable table = TextTable.forColumnWidths(help.colorScheme(), idWidth, Math.max(30, width - idWidth));
        for (AnalysisDescriptor d : analyses) {
            table.addRowValues("  " + label(d), d.name() + (d.description().isEmpty() ? "" : ": " + d.description()) + " ["
                    + String.join(", ", ListCommand.kinds(d)) + "]");
        }
        return table.toString();
    }

    /** The id, and the short command name after it where there is one. */
    static String label(AnalysisDescriptor d) {
        return d.id() + d.command().map(c -> " (" + c + ")").orElse("");
    }
}

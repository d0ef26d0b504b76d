package org.loupe.cli.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

import org.loupe.core.model.ConfigValue;
import org.loupe.core.model.HookPoint;
import org.loupe.core.model.HookedModel;
import org.loupe.core.model.ModelLoadException;
import org.loupe.core.registry.AnalysisDescriptor;
import org.loupe.core.registry.BuiltinModelDescriptor;
import org.loupe.core.registry.ImageSourceDescriptor;
import org.loupe.core.registry.LoaderDescriptor;
import org.loupe.core.registry.PluginProblem;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code loupe list}: what is installed, or with {@code --model} a model's hook points. */
@Command(name = "list", separator = " ", usageHelpWidth = 100, descriptionHeading = "%n", optionListHeading = "%nOptions:%n",
        description = {"Lists model loaders, built-in models, analyses and image sources, or a model's hook points.",
                "Without --model: every contribution with its id and description; analyses with the hook-point kinds they "
                        + "apply to, and those whose plug-in fails marked UNAVAILABLE with the reason; then the plug-ins whose "
                        + "plugin.xml Loupe could not use. With --model: the model's hook points in forward order with kind and shape (for an input "
                        + "of the model's size)."})
final class ListCommand implements Callable<Integer> {

    private final Env env;

    @Spec
    CommandSpec spec;

    @Mixin
    HelpOption help;

    @Option(names = "--model", paramLabel = "M", description = "a built-in model id or a model file: list its hook points")
    String model;

    ListCommand(Env env) {
        this.env = env;
    }

    @Override
    public Integer call() throws ModelLoadException {
        if (model != null) {
            hookPoints();
        } else {
            contributions();
        }
        return 0;
    }

    private void hookPoints() throws ModelLoadException {
        try (HookedModel m = Models.open(env, spec.commandLine(), "--model", model)) {
            var info = m.info();
            env.out().printf("%s (%s), %,d parameters, sha256 %s%n", info.name(), info.architecture(), info.parameterCount(),
                    info.contentHash().substring(0, Math.min(12, info.contentHash().length())));
            env.out().printf("input: %s%n", m.inputSpec().describe());
            if (!info.configuration().isEmpty()) {
                env.out().println("configuration (file: read from the weight file or its published name; config: from a sidecar or "
                        + "config file; guessed: not stated anywhere, Loupe's default):");
                for (ConfigValue c : info.configuration()) {
                    env.out().printf("  %-16s %-34s %s%s%s%n", c.name(), c.value(), c.warns() ? "GUESSED" : c.origin().label(),
                            c.detail().isEmpty() ? "" : ": " + c.detail(), c.warns() ? "  [settle: " + c.settle() + "]" : "");
                }
            }
            env.out().printf("%d hook points: name, kind, shape, role, block (* = a pass can start here)%n", m.hookPoints().size());
            for (HookPoint p : m.hookPoints()) {
                String block = p.block() >= 0 ? " block " + p.block() : "";
                String tokens = p.tokenLayout().map(t -> " tokens " + (t.hasClassToken() ? "cls " + t.classToken() + " + " : "")
                        + t.rows() + "x" + t.cols() + " patches").orElse("");
                env.out().printf("  %-28s %-10s %-18s %s%s%s%s%n", p.name(), p.kind().id(), p.shape(), p.role().name().toLowerCase(Locale.ROOT),
                        block, tokens, p.resumable() ? " *" : "");
            }
            for (AnalysisDescriptor d : env.registry().analyses()) {
                d.unavailableReason(m).ifPresent(why -> env.out().printf("not available: %s: %s%n", d.id(), why));
            }
        }
    }

    private void contributions() {
        var out = env.out();
        var registry = env.registry();
        out.println("Model loaders:");
        for (LoaderDescriptor d : registry.loaders()) {
            out.printf("  %-28s %s [%s]%n", d.id(), d.description().isEmpty() ? d.name() : d.description(),
                    String.join(", ", d.fileExtensions().stream().map(e -> e.equals("/") ? "folders" : "." + e).toList()));
        }
        out.println("Built-in models:");
        for (BuiltinModelDescriptor d : registry.builtinModels()) {
            out.printf("  %-28s %s%s%n", d.id(), d.name() + (d.description().isEmpty() ? "" : ": " + d.description()), d.isDefault() ? " (default)" : "");
        }
        out.println("Analyses:");
        for (AnalysisDescriptor d : registry.analyses()) {
            out.printf("  %-50s %s [%s; %s]%n", RunCommand.label(d), d.description().isEmpty() ? d.name() : d.name() + ": " + d.description(), d.category(),
                    String.join(",", kinds(d)));
            d.loadFailure().ifPresent(why -> out.printf("  %-50s UNAVAILABLE: %s%n", "", why));
        }
        out.println("Image sources:");
        for (ImageSourceDescriptor d : registry.imageSources()) {
            out.printf("  %-28s %s%n", d.id(), d.description().isEmpty() ? d.name() : d.name() + ": " + d.description());
        }
        List<PluginProblem> problems = registry.problems();
        if (!problems.isEmpty()) {
            out.println("Plug-ins with problems (what they declare is not available):");
            problems.forEach(p -> out.println("  " + p.describe()));
        }
    }

    /** The hook-point kinds an analysis applies to, and "model" if it works on the whole model. */
    static List<String> kinds(AnalysisDescriptor d) {
        List<String> kinds = new ArrayList<>(d.appliesTo().stream().map(k -> k.id()).toList());
        if (d.modelLevel()) {
            kinds.add("model");
        }
        return kinds;
    }
}

package org.loupe.cli.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import org.loupe.core.model.ModelLoadException;
import org.loupe.train.DemoTraining;
import org.loupe.train.SupervisedTraining;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code loupe train}: trains a demo model on Loupe Shapes (see docs/demo-models.md). */
@Command(name = "train", separator = " ", usageHelpWidth = 100, descriptionHeading = "%n", optionListHeading = "%nOptions:%n",
        sortOptions = false, sortSynopsis = false,
        parameterListHeading = "%nParameters:%n",
        description = {"Trains a demo model on Loupe Shapes (see docs/demo-models.md).",
                "Trains a demo model on Loupe Shapes, generating fresh training images every epoch, and writes DIR/MODEL.json, "
                + "DIR/MODEL.safetensors and DIR/MODEL.training.json (settings, every epoch, the held-out accuracy on the test split). "
                + "The defaults reproduce the built-in demo models; an option left out keeps the model's default."})
final class TrainCommand implements Callable<Integer> {

    private final Env env;

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "demo-cnn|demo-vit", description = "the demo model to train")
    String model;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "where to write the model (created if missing)")
    Path out;

    @Option(names = "--epochs", paramLabel = "N", description = "passes over fresh training images")
    Integer epochs;

    @Option(names = "--images", paramLabel = "N", description = "training images per epoch")
    Integer images;

    @Option(names = "--batch", paramLabel = "N", description = "images per step")
    Integer batch;

    @Option(names = "--lr", paramLabel = "X", description = "learning rate")
    Float lr;

    @Option(names = "--seed", paramLabel = "N", description = "seed of the initial weights and the training images")
    Long seed;

    @Option(names = "--test-images", paramLabel = "N", description = "held-out images the accuracy is measured on (default: ${DEFAULT-VALUE})")
    int testImages = 2000;

    @Mixin
    HelpOption help;

    TrainCommand(Env env) {
        this.env = env;
    }

    @Override
    public Integer call() throws ModelLoadException, IOException {
        SupervisedTraining.Settings d;
        try {
            d = DemoTraining.defaults(model);
        } catch (IllegalArgumentException e) {
            throw usage(UsageErrors.withSuggestion(e.getMessage(), model, DemoTraining.MODELS));
        }
        var s = new SupervisedTraining.Settings(positive("--epochs", epochs, d.epochs()), positive("--images", images, d.imagesPerEpoch()),
                positive("--batch", batch, d.batchSize()), lr == null ? d.learningRate() : lr, d.weightDecay(), seed == null ? d.seed() : seed,
                d.warmupEpochs(), d.clipGradient());
        positive("--test-images", testImages, testImages);
        try {
            OutputFolder.writable("--out", out);
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage());
        }
        DemoTraining.Outcome outcome;
        try {
            outcome = DemoTraining.train(env.registry(), model, out, s, testImages, new ConsoleMonitor(env.err()), env.out()::println);
        } catch (IllegalStateException e) {
            env.err().println("loupe: " + Messages.clean(e.getMessage()));
            return Failures.FAILED;
        }
        env.out().println("wrote " + outcome.config());
        env.out().println("wrote " + outcome.weights());
        return 0;
    }

    private int positive(String option, Integer given, int otherwise) {
        if (given == null) {
            return otherwise;
        }
        if (given < 1) {
            throw usage(option + " takes a positive integer, got " + given);
        }
        return given;
    }

    private ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }
}

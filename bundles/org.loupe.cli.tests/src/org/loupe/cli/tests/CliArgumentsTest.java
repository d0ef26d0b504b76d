package org.loupe.cli.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.loupe.cli.tests.CliTest.STATS;
import static org.loupe.cli.tests.CliTest.contains;
import static org.loupe.cli.tests.CliTest.loupe;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.loupe.cli.tests.CliTest.Outcome;
import org.loupe.core.registry.LoaderDescriptor;
import org.loupe.core.registry.LoupeRegistry;
import org.loupe.core.store.RunStore;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/**
 * What a new user meets on the command line: suggestions for what was misspelled, exit code 2 for
 * every wrong argument (checked before any work, so nothing is stored), help generated from an
 * analysis' parameters, and messages that say what is wrong in Loupe's words.
 */
class CliArgumentsTest {

    @TempDir
    Path dir;

    private List<String> run(String... extra) {
        List<String> args = new ArrayList<>(List.of("run", STATS, "--model", "seq-cnn-seeded", "--out", dir.resolve("out").toString(),
                "--runs", dir.resolve("runs").toString()));
        args.addAll(List.of(extra));
        return args;
    }

    private Outcome loupeRun(String... extra) {
        return loupe(run(extra).toArray(String[]::new));
    }

    /** Exit code 2 with the message, and no trace of a run: no --out folder, nothing in the run store. */
    private void wrongArgument(Outcome o, String... fragments) {
        assertEquals(2, o.code(), o.out() + o.err());
        contains(o.err(), fragments);
        assertFalse(Files.exists(dir.resolve("out")), "--out is removed again when the command line is wrong");
        assertEquals(List.of(), new RunStore(dir.resolve("runs")).list(), "a wrong command line stores no run");
        assertFalse(o.err().contains("Activation statistics of"), "the analysis must not start:\n" + o.err());
    }

    @Test
    void misspelledOptionsCommandsAndAnalysesGetASuggestion() {
        contains(loupeRun("--modle", "x").err(), "unknown option '--modle' for 'run'. Did you mean --model?");
        contains(loupeRun("--lyer", "relu1").err(), "unknown option '--lyer' for 'run'. Did you mean --layer?");
        contains(loupe("list", "--mdoel", "demo-cnn").err(), "unknown option '--mdoel' for 'list'. Did you mean --model?");
        contains(loupe("lsit").err(), "unknown command 'lsit'", "Did you mean list?");
        contains(loupe("run", "org.loupe.example.activationstat", "--model", "demo-cnn").err(), "no analysis 'org.loupe.example.activationstat'",
                "Did you mean org.loupe.example.activationStats?");
        contains(loupe("run", "predicton").err(), "no analysis 'predicton'", "Did you mean prediction?");
        contains(loupeRun("--layer", "relu1", "--param", "bns=3").err(), "unknown parameter 'bns'", "Did you mean bins?");
        contains(loupeRun("--layer", "relu1", "--model", "demo-cnm").err(), "option --model is given twice");
        Outcome o = loupe("list", "--model", "demo-cnm");
        assertEquals(2, o.code(), "a model that names nothing is a wrong argument");
        contains(o.err(), "There is no file, folder or built-in model called 'demo-cnm'", "Did you mean demo-cnn?");
        Outcome nonsense = loupe("frobnicate");
        assertFalse(nonsense.err().contains("Did you mean"), "nothing is close to 'frobnicate':\n" + nonsense.err());
    }

    @Test
    void everyWrongArgumentExitsWith2BeforeAnythingRuns() throws Exception {
        wrongArgument(loupeRun("--layer", "conv9"), "has no hook point 'conv9'");
        // a block's name (a ViT's blocks.3) lists the block's hook points and says which is its output
        wrongArgument(loupe("run", STATS, "--model", "demo-vit", "--layer", "blocks.3", "--out", dir.resolve("out").toString(), "--runs",
                dir.resolve("runs").toString()), "has no hook point 'blocks.3': it is a block, whose hook points are blocks.3.resid_pre, "
                        + "blocks.3.norm1,", "in forward order; the last, blocks.3.resid_post, is its output");
        wrongArgument(loupeRun("--layer", "relu1", "--unit", "16"), "--unit 16 is out of range: relu1 has 16 units (0..15)");
        wrongArgument(loupeRun("--layer", "relu1", "--unit", "-1"), "--unit -1 is out of range");
        wrongArgument(loupeRun("--unit", "3"), "--unit 3 needs --layer L");
        wrongArgument(loupeRun("--layer", "relu1", "--unit", "three"), "--unit must be an integer, got 'three'");
        wrongArgument(loupeRun("--layer", "relu1", "--image", "nosuch:count=3"), "There is no image source 'nosuch'");
        wrongArgument(loupeRun("--layer", "relu1", "--image", dir.resolve("missing.png").toString()), "There is no file or folder");
        wrongArgument(loupeRun("--layer", "relu1", "--image", "noise:cont=3"), "unknown parameter 'cont'; parameters are: count, size");
        wrongArgument(loupeRun("--layer", "relu1", "--image", "noise:count=0"), "parameter 'count' must be in");
        wrongArgument(loupeRun("--layer", "relu1", "--param", "images=noise:count=3"), "images are given with --image SPEC, not as a parameter");
        wrongArgument(loupeRun("--layer", "relu1", "--param", "bins=many"), "parameter 'bins' must be an integer, got 'many'");
        wrongArgument(loupeRun("--layer", "relu1", "--param", "bins"), "--param takes KEY=VALUE, got 'bins'");
        // commas inside parentheses and brackets belong to the value (objective=neuron(blocks.3, 7)), the others separate parameters
        wrongArgument(loupeRun("--layer", "relu1", "--param", "bins=3,objective=neuron(relu1, 2)"), "unknown parameter 'objective'");
        wrongArgument(loupeRun("--layer", "relu1", "--param", "bns=f(a, [1, 2]),bins=3"), "unknown parameter 'bns'", "Did you mean bins?");
        // a piece without '=' continues the value before it (sites=units:3,5; corrupt=occlude:16-48,16-48)
        wrongArgument(loupeRun("--layer", "relu1", "--param", "bins=3,4"), "parameter 'bins' must be an integer, got '3,4'");
        wrongArgument(loupeRun("--layer", "relu1", "--param", "3,bins=4"), "--param takes KEY=VALUE, got '3'");
        wrongArgument(loupeRun("--layer", "relu1", "--seed", "0x1"), "--seed must be an integer, got '0x1'");
        wrongArgument(loupeRun("--layer", "relu1", "--colour", "red"), "unknown option '--colour' for 'run'");
        wrongArgument(loupeRun("--layer", "relu1", "stray"), "unexpected argument 'stray' for 'run'");
        wrongArgument(loupe("train", "demo-cnn"), "'train' needs --out DIR");
        wrongArgument(loupe("bench", "--model", "seq-cnn-seeded", "--mode", "backward"), "--mode takes forward and/or grad, got 'backward'");
        wrongArgument(loupe("bench", "--model", "seq-cnn-seeded", "--batch", "0"), "--batch takes positive integers, got 0");
    }

    @Test
    void anUnwritableOutIsReportedWithTheReasonBeforeTheAnalysisRuns() throws Exception {
        Outcome o = loupe("run", STATS, "--model", "seq-cnn-seeded", "--layer", "relu1", "--out", "/proc/loupe-cli-test/out", "--runs",
                dir.resolve("runs").toString());
        assertEquals(2, o.code(), o.err());
        contains(o.err(), "--out /proc/loupe-cli-test/out cannot be written: no folder can be created in /proc (/proc is a proc file system",
                "Choose a folder you can write to.");
        assertFalse(o.err().contains("Creating seq-cnn-seeded"), "checked before the model is opened:\n" + o.err());
        assertEquals(List.of(), new RunStore(dir.resolve("runs")).list(), "no run is stored");

        Path file = Files.writeString(dir.resolve("a-file"), "x");
        o = loupe("run", STATS, "--model", "seq-cnn-seeded", "--layer", "relu1", "--out", file.resolve("out").toString(), "--runs",
                dir.resolve("runs").toString());
        assertEquals(2, o.code(), o.err());
        contains(o.err(), "cannot be written: " + file + " is a file, not a folder");
        assertEquals(List.of(), new RunStore(dir.resolve("runs")).list(), "no run is stored");
    }

    @Test
    void perAnalysisHelpIsGeneratedFromItsParameters() {
        Outcome o = loupe("run", STATS, "--help");
        assertEquals(0, o.code(), o.err());
        contains(o.out(), "Usage: loupe run " + STATS + " [-h] --model M", "--out DIR", "[--param KEY=VALUE]...", "Applies to: conv, tokens",
                "Parameters (--param KEY=VALUE):",
                "Needs: hookable", "Images (--image): ", "default noise:count=32", "bins (int, 2..1000, default 50): number of histogram bins",
                "batchSize (int, 1..1024, default 16): images per forward pass", "deadThreshold (double, default 0)",
                "--runs DIR", "--no-store", "noise:count=16,size=64");
        Outcome tuning = loupe("run", "tuning-curve", "--help");
        contains(tuning.out(), "Tuning curve (org.loupe.analysis.tuningCurve)", "needs --unit", "Parameters (--param KEY=VALUE):", "response (");
        Outcome runHelp = loupe("run", "--help");
        contains(runHelp.out(), "Usage: loupe run ANALYSIS --model M --out DIR [OPTIONS]", "Analyses:", STATS, "org.loupe.analysis.prediction (prediction)",
                "Options after ANALYSIS:", "--seed N", "seed for anything random (default: 0)");
        assertEquals(runHelp.out(), loupe("help", "run").out(), "'loupe help run' is 'loupe run --help'");
    }

    @Test
    void topLevelHelpNamesEveryModelFormatTheLoadersRead() {
        Outcome o = loupe("--help");
        assertEquals(0, o.code());
        List<LoaderDescriptor> loaders = new LoupeRegistry().loaders();
        assertTrue(loaders.size() >= 3, "the product's loaders: " + loaders);
        for (LoaderDescriptor d : loaders) {
            contains(o.out(), d.name() + ": ");
            for (String ext : d.fileExtensions()) {
                contains(o.out(), ext.equals("/") ? "a folder" : "." + ext);
            }
        }
        contains(o.out(), ".safetensors", ".npz", ".pth", ".torchscript", "built-in: ", "demo-cnn (default)",
                "loupe run ANALYSIS --model M --out DIR", "Exit codes:", "2   a wrong command line");
    }

    @Test
    void anNpzWithoutArraysSaysSo() throws Exception {
        // what numpy.savez writes with no arrays: an empty zip, its end-of-central-directory record alone
        byte[] emptyZip = new byte[22];
        emptyZip[0] = 0x50;
        emptyZip[1] = 0x4b;
        emptyZip[2] = 0x05;
        emptyZip[3] = 0x06;
        Path npz = Files.write(dir.resolve("weights.npz"), emptyZip);
        Outcome o = loupe("list", "--model", npz.toString());
        assertEquals(1, o.code(), o.err());
        contains(o.err(), "weights.npz holds no arrays, so there are no weights to build a model from");
        assertFalse(o.err().contains("0 tensors"), o.err());
        assertFalse(o.err().contains("sidecar"), "a sidecar would not help an empty file:\n" + o.err());
    }

    /**
     * A ViT whose sidecar gives the heads but not the normalisation: list --model shows where each
     * value came from, and the guessed normalisation is a warning with the sidecar line that settles it.
     */
    @Test
    void listShowsTheResolvedConfigurationAndWarnsOfGuesses() throws Exception {
        try (java.io.InputStream in = org.loupe.models.BundledModels.class.getResourceAsStream("/models/demo-vit.safetensors")) {
            Files.copy(in, dir.resolve("vit.safetensors"));
        }
        Files.writeString(dir.resolve("vit.json"), "{\"heads\": 4}");
        Outcome o = loupe("list", "--model", dir.resolve("vit.safetensors").toString());
        assertEquals(0, o.code(), o.err());
        contains(o.out(), "configuration (file: read from the weight file",
                "heads            4 (of 24)", "config: sidecar vit.json",
                "layer_norm_eps   1.0E-6", "file: tensor names: timm ViT, whose LayerNorms use eps 1e-6",
                "input size       3x64x64", "file: position embedding: 1 + 16x16 tokens of 4-pixel patches",
                "normalization    (x - [0.5, 0.5, 0.5]) / [0.5, 0.5, 0.5]", "GUESSED: the usual normalisation of timm ViT checkpoints",
                "[settle: \"input\": {\"mean\": [0.5, 0.5, 0.5], \"std\": [0.5, 0.5, 0.5]}]");
        contains(o.err(), "warning: normalization (x - [0.5, 0.5, 0.5]) / [0.5, 0.5, 0.5] is a guess",
                "Settle it in the sidecar with \"input\": {\"mean\": [0.5, 0.5, 0.5], \"std\": [0.5, 0.5, 0.5]}");
        assertFalse(o.err().contains("warning: heads"), "the sidecar gave the heads:\n" + o.err());
    }

    @Test
    void messagesCarryNoLibraryInternals() throws Exception {
        Files.writeString(dir.resolve("m.pt"), "not a model");
        Files.writeString(dir.resolve("m.json"), "{\"architecture\": x y}");
        Outcome o = loupe("list", "--model", dir.resolve("m.pt").toString());
        assertEquals(1, o.code(), o.err());
        contains(o.err(), "m.json is not a JSON object", "line 1");
        for (String internal : List.of("Exception", "com.google", "https://", "gson")) {
            assertFalse(o.err().contains(internal), "'" + internal + "' in:\n" + o.err());
        }
    }

    @Test
    void imagesThatCannotBeDecodedAreNamedOnTheTerminal() throws Exception {
        Path images = Files.createDirectories(dir.resolve("images"));
        for (String name : List.of("a.png", "b.png")) {
            BufferedImage img = new BufferedImage(32, 32, BufferedImage.TYPE_INT_RGB);
            img.setRGB(3, 4, 0xff8040);
            ImageIO.write(img, "png", images.resolve(name).toFile());
        }
        Files.writeString(images.resolve("broken.png"), "not a png");
        Outcome o = loupeRun("--layer", "relu1", "--image", images.toString());
        assertEquals(0, o.code(), o.err());
        contains(o.err(), "loupe: skipping 1 of 3 images of " + images + " that cannot be read:", "  broken.png: not a decodable image");
        contains(Files.readString(dir.resolve("out").resolve("01-summary.txt")), "over 2 images");

        Files.delete(images.resolve("a.png"));
        Files.delete(images.resolve("b.png"));
        Path out2 = dir.resolve("out2");
        Outcome none = loupe("run", STATS, "--model", "seq-cnn-seeded", "--layer", "relu1", "--image", images.toString(), "--out", out2.toString(),
                "--no-store");
        assertEquals(2, none.code(), none.err());
        contains(none.err(), "--image " + images + " gives no image that can be read: broken.png: not a decodable image");
        assertFalse(Files.exists(out2));
    }

    @Test
    void longSeedsAndRepeatedParametersReachTheRun() throws Exception {
        Outcome o = loupeRun("--layer", "relu1", "--image", "noise:count=3,size=32", "--seed", "5000000000", "--param", "bins=7", "--param",
                "batchSize=2");
        assertEquals(0, o.code(), o.err());
        JsonObject prov = JsonParser.parseString(Files.readString(dir.resolve("out").resolve("run.json"))).getAsJsonObject()
                .getAsJsonObject("provenance");
        assertEquals(5_000_000_000L, prov.get("seed").getAsLong());
        assertEquals(7, prov.getAsJsonObject("parameters").get("bins").getAsInt());
        assertEquals(2, prov.getAsJsonObject("parameters").get("batchSize").getAsInt());
        assertEquals(1, new RunStore(dir.resolve("runs")).list().size());
    }
}

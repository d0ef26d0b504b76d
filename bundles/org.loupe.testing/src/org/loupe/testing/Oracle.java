package org.loupe.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.loupe.models.io.Npz;
import org.loupe.models.io.Tensor;

/**
 * Runs the PyTorch oracle scripts of {@code oracle/} with Debian's Python (system property
 * {@code loupe.python}, default {@code /usr/bin/python3}) and reads what they write. A missing
 * Python or torch fails the test with the script's output: golden tests never pass silently.
 *
 * @since 0.1
 */
public final class Oracle {

    private Oracle() {
    }

    /** The folder of the oracle scripts (system property {@code loupe.oracle.dir}). */
    public static Path scripts() {
        String dir = System.getProperty("loupe.oracle.dir");
        if (dir == null) {
            throw new AssertionError("system property loupe.oracle.dir is not set (the test runtime must point it at oracle/)");
        }
        return Path.of(dir);
    }

    /** A scratch folder for this test bundle (system property {@code loupe.test.work}, under target/). */
    public static Path work(String name) throws IOException {
        String dir = System.getProperty("loupe.test.work", System.getProperty("java.io.tmpdir") + "/loupe-test-work");
        Path p = Path.of(dir, name);
        Files.createDirectories(p);
        return p;
    }

    /**
     * Runs {@code script} with {@code args} unless {@code marker} exists and is newer than the script
     * and every input file among the arguments; returns the script's output.
     */
    public static String run(Path marker, String script, String... args) throws IOException, InterruptedException {
        Path s = scripts().resolve(script);
        if (Files.exists(marker) && upToDate(marker, s, args)) {
            return "(up to date)";
        }
        List<String> cmd = new ArrayList<>();
        cmd.add(System.getProperty("loupe.python", "/usr/bin/python3"));
        cmd.add(s.toString());
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).directory(scripts().toFile());
        pb.environment().put("PYTHONDONTWRITEBYTECODE", "1");
        pb.environment().put("OMP_NUM_THREADS", "2");
        Process p = pb.start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(30, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError("oracle " + script + " timed out");
        }
        String text = new String(out, StandardCharsets.UTF_8);
        if (p.exitValue() != 0) {
            throw new AssertionError("oracle " + cmd + " failed (exit " + p.exitValue() + "); Debian's python3-torch and "
                    + "python3-torchvision must be installed (.ci/run installs them):\n" + text);
        }
        if (!Files.exists(marker)) {
            throw new AssertionError("oracle " + script + " did not write " + marker + ":\n" + text);
        }
        return text;
    }

    private static boolean upToDate(Path marker, Path script, String... args) throws IOException {
        long t = Files.getLastModifiedTime(marker).toMillis();
        List<Path> inputs = new ArrayList<>();
        inputs.add(script);
        inputs.add(scripts().resolve("common.py"));
        for (String a : args) {
            Path p = Path.of(a);
            if (Files.isRegularFile(p)) {
                inputs.add(p);
            }
        }
        for (Path in : inputs) {
            if (Files.exists(in) && Files.getLastModifiedTime(in).toMillis() > t) {
                return false;
            }
        }
        return true;
    }

    /**
     * A sequential-CNN config with seeded random weights, made once per build: writes {@code config}
     * as {@code <base>.json} under the scratch folder {@code work} (unless it is there already) and
     * runs {@code seqcnn.py}, which writes {@code <base>.npz} (weights) and {@code <base>_ref.npz}
     * beside it.
     *
     * @return the folder holding the files
     */
    public static Path seqCnn(String work, String base, String config) throws IOException, InterruptedException {
        Path folder = work(work);
        Path file = folder.resolve("config").resolve(base + ".json");
        Files.createDirectories(file.getParent());
        if (!Files.exists(file) || !Files.readString(file).equals(config)) {
            Files.writeString(file, config);
        }
        run(folder.resolve(base + "_ref.npz"), "seqcnn.py", file.toString(), folder.toString());
        return folder;
    }

    /** Reads an npz file of reference arrays. */
    public static Map<String, Tensor> refs(Path npz) throws IOException {
        return Npz.read(npz);
    }
}

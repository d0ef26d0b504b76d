package org.loupe.core.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.stream.Stream;

import org.loupe.core.internal.RunCodec;
import org.loupe.core.registry.ResultTypes;
import org.loupe.core.result.Provenance;
import org.loupe.core.result.Result;
import org.loupe.core.result.Run;

import com.google.gson.JsonObject;

/**
 * The history of results on disk: one folder per run under a root folder. A run is written to a
 * hidden temporary folder and renamed into place, so a crash never leaves half a run, and a run that
 * is listed can always be opened. Runs written by other processes (the command line) appear in
 * {@link #list()} too. Results are written and read by the codecs of their result types
 * ({@link ResultTypes}, the extension point {@code org.loupe.core.resultTypes}).
 *
 * @since 0.1
 */
public final class RunStore {

    private static final String TMP_PREFIX = ".tmp-";
    private static final DateTimeFormatter ID_TIME = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss-SSS", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    private final Path root;
    private final Supplier<ResultTypes> types;
    private final Random random = new Random();
    private final List<Consumer<RunSummary>> listeners = new CopyOnWriteArrayList<>();
    private final List<String> problems = new CopyOnWriteArrayList<>();

    /**
     * A store under {@code root} (created when the first run is saved) that knows the result types
     * of the running platform, read again at each save and load.
     */
    public RunStore(Path root) {
        this(root, ResultTypes::platform);
    }

    /** A store under {@code root} that knows exactly {@code types}. */
    public RunStore(Path root, ResultTypes types) {
        this(root, () -> types);
    }

    private RunStore(Path root, Supplier<ResultTypes> types) {
        this.root = root.toAbsolutePath().normalize();
        this.types = types;
    }

    /** The store's folder. */
    public Path root() {
        return root;
    }

    /** Tells {@code listener} about each run saved through this object. */
    public void addListener(Consumer<RunSummary> listener) {
        listeners.add(listener);
    }

    /** Stops telling {@code listener}. */
    public void removeListener(Consumer<RunSummary> listener) {
        listeners.remove(listener);
    }

    /**
     * Saves a result with its provenance under a new id, atomically, and tells the listeners.
     *
     * @return the stored run (with its id)
     */
    public Run save(Provenance provenance, Result result) throws IOException {
        Files.createDirectories(root);
        String id = newId(provenance);
        Run run = new Run(id, provenance, result);
        Path tmp = Files.createTempDirectory(root, TMP_PREFIX);
        try {
            new RunCodec(types.get()).write(run, tmp);
            try {
                Files.move(tmp, root.resolve(id), StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, root.resolve(id));
            }
        } catch (IOException | RuntimeException e) {
            deleteTree(tmp);
            throw e;
        }
        RunSummary summary = summary(run);
        for (Consumer<RunSummary> l : listeners) {
            l.accept(summary);
        }
        return run;
    }

    /** Writes {@code run} as a run folder into {@code dir} (an export; the store is not touched). */
    public static void writeFolder(Run run, Path dir) throws IOException {
        Files.createDirectories(dir);
        new RunCodec(ResultTypes.platform()).write(run, dir);
    }

    /** Reads a run folder written by {@link #save} or {@link #writeFolder}, with the platform's result types. */
    public static Run readFolder(Path dir) throws IOException {
        return new RunCodec(ResultTypes.platform()).read(dir);
    }

    /**
     * The stored runs, newest first. Folders that cannot be read are left out and reported by
     * {@link #problems()}.
     */
    public List<RunSummary> list() {
        problems.clear();
        List<RunSummary> out = new ArrayList<>();
        if (!Files.isDirectory(root)) {
            return out;
        }
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(root, p -> Files.isDirectory(p)
                && !p.getFileName().toString().startsWith("."))) {
            for (Path d : dirs) {
                try {
                    JsonObject o = RunCodec.readJson(d);
                    Provenance p = RunCodec.provenance(o.getAsJsonObject("provenance"));
                    out.add(new RunSummary(d.getFileName().toString(), o.getAsJsonObject("result").get("title").getAsString(),
                            p.analysisId(), p.analysisName(), p.model().name(), p.selection().hookPoint(), p.started(),
                            p.durationMillis()));
                } catch (IOException | RuntimeException e) {
                    problems.add(d.getFileName() + ": " + e.getMessage());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list runs in " + root, e);
        }
        out.sort(Comparator.comparing(RunSummary::started).thenComparing(RunSummary::id).reversed());
        return out;
    }

    /** Runs that {@link #list()} could not read, with the reason. */
    public List<String> problems() {
        return List.copyOf(problems);
    }

    /** Loads a stored run. */
    public Run load(String id) throws IOException {
        Path dir = folder(id);
        if (!Files.isDirectory(dir)) {
            throw new IOException("there is no run '" + id + "' in " + root);
        }
        return new RunCodec(types.get()).read(dir);
    }

    /** The folder of a run. */
    public Path folder(String id) {
        Path dir = root.resolve(id).normalize();
        if (!dir.getParent().equals(root)) {
            throw new IllegalArgumentException("not a run id: " + id);
        }
        return dir;
    }

    /** Deletes a stored run. */
    public void delete(String id) throws IOException {
        deleteTree(folder(id));
    }

    /** The summary of a run. */
    public static RunSummary summary(Run run) {
        Provenance p = run.provenance();
        return new RunSummary(run.id(), run.result().title(), p.analysisId(), p.analysisName(), p.model().name(),
                p.selection().hookPoint(), p.started(), p.durationMillis());
    }

    private synchronized String newId(Provenance p) {
        String name = p.analysisId().substring(p.analysisId().lastIndexOf('.') + 1).replaceAll("[^A-Za-z0-9_-]", "-");
        for (;;) {
            String id = ID_TIME.format(p.started() == null ? Instant.now() : p.started()) + "-" + name + "-"
                    + Integer.toHexString(0x1000 + random.nextInt(0xF000));
            if (!Files.exists(root.resolve(id))) {
                return id;
            }
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}

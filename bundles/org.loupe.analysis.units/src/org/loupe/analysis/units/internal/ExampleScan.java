package org.loupe.analysis.units.internal;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.IntStream;

import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.OperationCanceledException;
import org.loupe.core.images.ImageSource;
import org.loupe.core.images.ImageTensors;
import org.loupe.core.images.RasterImage;
import org.loupe.core.images.SourceImage;
import org.loupe.core.model.HookPoint;
import org.loupe.core.model.HookedModel;
import org.loupe.core.model.Hooks;
import org.loupe.core.model.ModelOutput;
import org.loupe.core.model.Range;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;

/**
 * One streamed pass of a model over an image source that keeps, for every unit of several hook
 * points, the top-k and bottom-k images ({@link Extremes}). The forward pass stops after the
 * deepest hook point. The result is kept in an index on disk, under a key made of the model, the
 * hook points, k and the source's description; the index also holds a hash of every image read, so
 * a second look reads the images (not the model) and reuses the index if nothing changed, and
 * rescans if the source did. While it runs, the state is checkpointed every few batches and when
 * the run is cancelled, and a later run resumes from the checkpoint.
 */
public final class ExampleScan {

    private static final String MAGIC = "loupe-dataset-examples-1";

    /** The kept images of one hook point. */
    public record Layer(HookPoint point, Extremes extremes) {
    }

    /**
     * What a scan found.
     *
     * @param layers the hook points, in the order asked for
     * @param images the number of images scanned
     * @param hash   the hash of the images' names and pixels
     * @param how    how the result was obtained, for the summary ("scanned 512 images", "from the index")
     * @param folder the index folder of this scan
     */
    public record Outcome(List<Layer> layers, int images, String hash, String how, Path folder) {
        /** The layer called {@code name}. */
        public Layer layer(String name) {
            return layers.stream().filter(l -> l.point().name().equals(name)).findFirst().orElseThrow();
        }
    }

    /**
     * How to scan.
     *
     * @param k               images kept per unit, each way
     * @param batchSize       images per forward pass
     * @param checkpointEvery batches between checkpoints
     * @param root            the folder that holds the indexes
     */
    public record Settings(int k, int batchSize, int checkpointEvery, Path root) {
    }

    private final HookedModel model;
    private final List<HookPoint> points;
    private final Settings settings;
    private final Runnable cancelCheck;
    private final IProgressMonitor monitor;
    private final NDManager manager;

    /** A scan of {@code points} of {@code model}. */
    public ExampleScan(HookedModel model, List<HookPoint> points, Settings settings, Runnable cancelCheck, IProgressMonitor monitor,
            NDManager manager) {
        this.model = model;
        this.points = List.copyOf(points);
        this.settings = settings;
        this.cancelCheck = cancelCheck;
        this.monitor = monitor;
        this.manager = manager;
    }

    /** The index folder for {@code source}. */
    public Path folder(ImageSource source) {
        StringBuilder key = new StringBuilder(MAGIC).append('\n').append(model.info().id()).append('\n')
                .append(model.info().contentHash()).append('\n').append(settings.k()).append('\n').append(source.describe());
        for (HookPoint p : points) {
            key.append('\n').append(p.name());
        }
        return settings.root().resolve(hex(digest(key.toString().getBytes(StandardCharsets.UTF_8))).substring(0, 24));
    }

    /** Runs the scan, or reads it from the index. */
    public Outcome run(ImageSource source) {
        Path folder = folder(source);
        Path index = folder.resolve("index.bin");
        Path checkpoint = folder.resolve("checkpoint.bin");
        String note = "";
        try {
            if (Files.exists(index)) {
                Stored stored = read(index);
                String hash = hashOnly(source);
                if (hash.equals(stored.hash)) {
                    return new Outcome(stored.layers, stored.images, hash, "read from the index (" + stored.images + " images, unchanged)",
                            folder);
                }
                note = "the source changed since it was indexed: rescanned; ";
                Files.delete(index);
                Files.deleteIfExists(checkpoint);
            }
            Stored resume = Files.exists(checkpoint) ? read(checkpoint) : null;
            Outcome out = scan(source, folder, resume, note);
            if (out == null) {
                Files.deleteIfExists(checkpoint);
                out = scan(source, folder, null, "the source changed since the interrupted scan: scanned again; ");
            }
            write(index, new Stored(out.layers(), out.images(), out.hash()));
            Files.deleteIfExists(checkpoint);
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException("could not use the dataset-example index in " + folder + ": " + e.getMessage(), e);
        }
    }

    /** The scan from {@code resume} (or the start); null if the images before the checkpoint changed. */
    private Outcome scan(ImageSource source, Path folder, Stored resume, String note) throws IOException {
        List<Layer> layers = new ArrayList<>();
        for (int i = 0; i < points.size(); i++) {
            HookPoint p = points.get(i);
            layers.add(new Layer(p, resume != null ? resume.layers.get(i).extremes() : new Extremes((int) p.units(), settings.k())));
        }
        int skip = resume != null ? resume.images : 0;
        MessageDigest digest = sha();
        String deepest = points.stream().max((a, b) -> Integer.compare(model.hookPoints().indexOf(a), model.hookPoints().indexOf(b)))
                .orElseThrow().name();
        Hooks hooks = Hooks.cache(points.stream().map(HookPoint::name).toArray(String[]::new));
        List<RasterImage> batch = new ArrayList<>();
        int index = 0;
        int first = skip;
        int batches = 0;
        try {
            for (SourceImage image : source) {
                update(digest, image);
                index++;
                if (index <= skip) {
                    if (index == skip && !hex(clone(digest).digest()).equals(resume.hash)) {
                        return null;
                    }
                    continue;
                }
                batch.add(image.image());
                if (batch.size() == settings.batchSize()) {
                    cancelCheck.run();
                    forward(batch, first, layers, hooks, deepest);
                    first += batch.size();
                    monitor.worked(batch.size());
                    batch.clear();
                    if (++batches % settings.checkpointEvery() == 0) {
                        write(folder.resolve("checkpoint.bin"), new Stored(layers, first, hex(clone(digest).digest())));
                    }
                }
            }
            if (!batch.isEmpty()) {
                cancelCheck.run();
                forward(batch, first, layers, hooks, deepest);
                first += batch.size();
            }
        } catch (OperationCanceledException e) {
            if (first > skip) {
                write(folder.resolve("checkpoint.bin"), new Stored(layers, first, prefixHash(source, first)));
            }
            throw e;
        }
        if (skip > index) {
            return null;
        }
        String how = note + (skip > 0 ? "resumed an interrupted scan at image " + skip + " of " + index : "scanned " + index + " images");
        return new Outcome(layers, index, hex(digest.digest()), how, folder);
    }

    private void forward(List<RasterImage> images, int first, List<Layer> layers, Hooks hooks, String deepest) {
        try (NDManager m = manager.newSubManager()) {
            NDArray input = ImageTensors.toInput(m, images, model.inputSpec());
            ModelOutput out = model.forward(input, hooks, Range.until(deepest));
            for (Layer layer : layers) {
                offer(layer, UnitMaps.of(out.cache().get(layer.point().name()), layer.point()), first, images.size());
            }
        }
    }

    /**
     * Offers one batch's maps {@code [N, units, positions]} to the layer's extremes. The spatial
     * maxima and minima of all units run on the engine and reach Java in one copy. Where they are
     * is asked only for the maps that can enter the kept images (all of them until a unit has k,
     * few after that), so most batches skip the two argument reductions over the whole maps.
     */
    private static void offer(Layer layer, NDArray maps, int first, int count) {
        Extremes kept = layer.extremes();
        int units = kept.units();
        int half = count * units;
        float[] v = NDArrays.stack(new NDList(maps.max(new int[] {2}), maps.min(new int[] {2}))).toFloatArray();
        int[] top = new int[half];
        int[] bottom = new int[half];
        for (int i = 0; i < half; i++) {
            top[i] = kept.keepsTop(i % units, v[i]) ? 0 : -1;
            bottom[i] = kept.keepsBottom(i % units, v[half + i]) ? 0 : -1;
        }
        NDArray rows = maps.reshape(half, -1);
        where(rows, top, true);
        where(rows, bottom, false);
        for (int n = 0; n < count; n++) {
            for (int u = 0; u < units; u++) {
                int i = n * units + u;
                kept.offer(u, first + n, v[i], top[i], v[half + i], bottom[i]);
            }
        }
    }

    /** Sets {@code positions[i]}, for every row {@code i} marked 0, to where that row of {@code rows} has its maximum (or minimum). */
    private static void where(NDArray rows, int[] positions, boolean max) {
        long[] asked = IntStream.range(0, positions.length).filter(i -> positions[i] == 0).asLongStream().toArray();
        if (asked.length == 0) {
            return;
        }
        NDArray picked = asked.length == positions.length ? rows : rows.get(rows.getManager().create(asked));
        NDArray at = max ? picked.argMax(1) : picked.argMin(1);
        long[] found = at.toLongArray();
        for (int j = 0; j < asked.length; j++) {
            positions[(int) asked[j]] = (int) found[j];
        }
    }

    /** The hash of the source's images, without running the model. */
    private static String hashOnly(ImageSource source) {
        MessageDigest digest = sha();
        for (SourceImage image : source) {
            update(digest, image);
        }
        return hex(digest.digest());
    }

    private static String prefixHash(ImageSource source, int count) {
        MessageDigest digest = sha();
        int i = 0;
        for (SourceImage image : source) {
            if (i++ == count) {
                break;
            }
            update(digest, image);
        }
        return hex(digest.digest());
    }

    private static void update(MessageDigest digest, SourceImage image) {
        digest.update(image.name().getBytes(StandardCharsets.UTF_8));
        RasterImage r = image.image();
        ByteBuffer b = ByteBuffer.allocate(8 + 4 * r.rgb().length);
        b.putInt(r.width()).putInt(r.height());
        b.asIntBuffer().put(r.rgb());
        digest.update(b.array());
    }

    private record Stored(List<Layer> layers, int images, String hash) {
    }

    private void write(Path file, Stored s) throws IOException {
        Files.createDirectories(file.getParent());
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(tmp)))) {
            out.writeUTF(MAGIC);
            out.writeInt(s.images);
            out.writeUTF(s.hash);
            out.writeInt(s.layers.size());
            for (Layer l : s.layers) {
                out.writeUTF(l.point().name());
                l.extremes().write(out);
            }
        }
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private Stored read(Path file) throws IOException {
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
            if (!in.readUTF().equals(MAGIC)) {
                throw new IOException(file + " is not a dataset-example index of this version; delete it");
            }
            int images = in.readInt();
            String hash = in.readUTF();
            int n = in.readInt();
            List<Layer> layers = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                String name = in.readUTF();
                layers.add(new Layer(points.get(i), Extremes.read(in)));
                if (!name.equals(points.get(i).name())) {
                    throw new IOException(file + " holds '" + name + "' where '" + points.get(i).name() + "' was expected; delete it");
                }
            }
            return new Stored(layers, images, hash);
        }
    }

    private static MessageDigest sha() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static MessageDigest clone(MessageDigest d) {
        try {
            return (MessageDigest) d.clone();
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] digest(byte[] bytes) {
        return sha().digest(bytes);
    }

    private static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }
}

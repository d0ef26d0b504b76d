package org.loupe.stimuli;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

import javax.imageio.ImageIO;

import org.loupe.core.analysis.Param;
import org.loupe.core.images.ImageSource;
import org.loupe.core.images.ImageSourceFactory;
import org.loupe.core.images.RasterImage;
import org.loupe.core.images.SourceImage;

/**
 * Images from a folder, decoded one at a time as they are read, never all held in memory. An image
 * in a sub-folder is labelled with the sub-folder's name (the ImageFolder convention). Files that
 * cannot be decoded are skipped and reported in {@link ImageSource#problems()}.
 *
 * @since 0.1
 */
public class FolderSource implements ImageSourceFactory<FolderSource.Params> {

    /** File extensions that are tried. */
    public static final Set<String> EXTENSIONS = Set.of("png", "jpg", "jpeg", "bmp", "gif");

    /**
     * Parameters.
     *
     * @param path      the folder, or a single image file
     * @param recursive whether to look into sub-folders
     * @param limit     the most images to read (0: all)
     */
    public record Params(@Param("folder or image file") String path, @Param("look into sub-folders") boolean recursive,
            @Param(value = "most images to read (0: all)", min = 0) int limit) {
    }

    @Override
    public Class<Params> parametersType() {
        return Params.class;
    }

    @Override
    public Params defaults() {
        return new Params("", true, 0);
    }

    @Override
    public ImageSource open(Params p, long seed) {
        if (p.path().isBlank()) {
            throw new IllegalArgumentException("the folder source needs path=FOLDER");
        }
        Path root = Path.of(p.path()).toAbsolutePath().normalize();
        if (!Files.exists(root)) {
            throw new IllegalArgumentException("There is no file or folder '" + root + "'.");
        }
        List<Path> files = new ArrayList<>();
        if (Files.isDirectory(root)) {
            try (Stream<Path> s = p.recursive() ? Files.walk(root) : Files.list(root)) {
                s.filter(Files::isRegularFile).filter(FolderSource::isImageName).sorted().forEach(files::add);
            } catch (IOException e) {
                throw new IllegalArgumentException("Cannot list " + root + ": " + e.getMessage(), e);
            }
            if (files.isEmpty()) {
                throw new IllegalArgumentException("The folder " + root + " has no image files (" + String.join(", ", EXTENSIONS.stream().sorted().toList()) + ").");
            }
        } else {
            files.add(root);
        }
        if (p.limit() > 0 && files.size() > p.limit()) {
            files = new ArrayList<>(files.subList(0, p.limit()));
        }
        return new Folder(root, List.copyOf(files));
    }

    private static boolean isImageName(Path p) {
        String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
        int dot = n.lastIndexOf('.');
        return dot > 0 && EXTENSIONS.contains(n.substring(dot + 1));
    }

    /** The opened folder. */
    private static final class Folder implements ImageSource {
        private final Path root;
        private final List<Path> files;
        private final List<String> problems = new CopyOnWriteArrayList<>();

        Folder(Path root, List<Path> files) {
            this.root = root;
            this.files = files;
        }

        @Override
        public String describe() {
            return files.size() + " image files in " + root;
        }

        @Override
        public OptionalInt size() {
            return OptionalInt.of(files.size());
        }

        @Override
        public List<String> problems() {
            return List.copyOf(problems);
        }

        @Override
        public Iterator<SourceImage> iterator() {
            problems.clear();
            return new Iterator<>() {
                private int next;
                private SourceImage ahead;

                @Override
                public boolean hasNext() {
                    while (ahead == null && next < files.size()) {
                        ahead = decode(files.get(next++));
                    }
                    return ahead != null;
                }

                @Override
                public SourceImage next() {
                    if (!hasNext()) {
                        throw new NoSuchElementException();
                    }
                    SourceImage s = ahead;
                    ahead = null;
                    return s;
                }
            };
        }

        private SourceImage decode(Path f) {
            String name = Files.isDirectory(root) ? root.relativize(f).toString() : f.getFileName().toString();
            try {
                BufferedImage img = ImageIO.read(f.toFile());
                if (img == null) {
                    problems.add(name + ": not a decodable image");
                    return null;
                }
                Path rel = Files.isDirectory(root) ? root.relativize(f) : null;
                String label = rel != null && rel.getNameCount() > 1 ? rel.getName(0).toString() : null;
                return new SourceImage(name, RasterImage.of(img), label, Map.of("path", f.toString()));
            } catch (IOException | RuntimeException e) {
                problems.add(name + ": not a decodable image (" + e.getMessage() + ")");
                return null;
            }
        }
    }
}

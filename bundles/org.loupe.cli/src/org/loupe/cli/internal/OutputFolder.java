package org.loupe.cli.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * A folder a command will write into, checked before any work is done: it is created and a file
 * is written and removed in it, so that a folder that cannot be written is reported at once, with
 * the reason, and not after a long analysis. If the command then fails, the folders it created are
 * removed again.
 */
final class OutputFolder {

    private final Path dir;
    private final Path firstCreated;

    private OutputFolder(Path dir, Path firstCreated) {
        this.dir = dir;
        this.firstCreated = firstCreated;
    }

    /**
     * Checks that {@code dir} can hold the command's files: a new or empty folder that can be
     * written.
     *
     * @param what what named it, for the message: the option ({@code --out}) or a name
     * @throws IllegalArgumentException saying why it cannot be used and what to do
     */
    static OutputFolder prepare(String what, Path dir) {
        Path abs = dir.toAbsolutePath().normalize();
        if (Files.isRegularFile(abs)) {
            throw new IllegalArgumentException(what + " " + dir + " is a file; give a folder");
        }
        if (Files.isDirectory(abs) && !isEmpty(abs)) {
            throw new IllegalArgumentException(what + " " + dir + " is not empty; choose a new folder so nothing is overwritten");
        }
        return writable(what, abs);
    }

    /**
     * Checks that {@code dir} (which may hold files already) can be written, creating it if it
     * does not exist.
     *
     * @throws IllegalArgumentException saying why it cannot be written
     */
    static OutputFolder writable(String what, Path dir) {
        Path abs = dir.toAbsolutePath().normalize();
        Path existing = abs;
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (existing != null && !Files.isDirectory(existing)) {
            throw cannotWrite(what, dir, existing + " is a file, not a folder");
        }
        Path firstCreated = existing == null || existing.equals(abs) ? null : existing.resolve(abs.getName(existing.getNameCount()));
        try {
            Files.createDirectories(abs);
        } catch (IOException e) {
            throw cannotWrite(what, dir, reason(e, existing));
        }
        OutputFolder folder = new OutputFolder(abs, firstCreated);
        try {
            Files.delete(Files.createTempFile(abs, ".loupe-write-check", ""));
        } catch (IOException e) {
            folder.removeIfCreated();
            throw cannotWrite(what, dir, reason(e, abs));
        }
        return folder;
    }

    /** The folder, absolute. */
    Path path() {
        return dir;
    }

    /** Removes the folders {@link #prepare} created, if nothing has been put into them. */
    void removeIfCreated() {
        if (firstCreated == null) {
            return;
        }
        for (Path p = dir; p != null && p.startsWith(firstCreated); p = p.getParent()) {
            try {
                Files.deleteIfExists(p);
            } catch (IOException e) {
                return; // not empty, or not ours to remove: leave it
            }
        }
    }

    private static boolean isEmpty(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.findAny().isEmpty();
        } catch (IOException e) {
            return false;
        }
    }

    private static IllegalArgumentException cannotWrite(String what, Path dir, String why) {
        return new IllegalArgumentException(what + " " + dir + " cannot be written: " + why + ". Choose a folder you can write to.");
    }

    /** Why writing failed, in words: the operating system's reason and the kind of file system. */
    private static String reason(IOException e, Path where) {
        // mkdir answers "no such file" in a folder that exists when its file system takes no folders (/proc)
        String why = e instanceof NoSuchFileException && where != null ? "no folder can be created in " + where : Failures.reason(e);
        return why + fileSystem(where);
    }

    /** " (a proc file system)" for anything but an ordinary disk, else "". */
    private static String fileSystem(Path where) {
        if (where == null) {
            return "";
        }
        try {
            String type = Files.getFileStore(where).type();
            return switch (type) {
                case "proc", "sysfs", "devtmpfs", "cgroup", "cgroup2", "debugfs", "securityfs", "tracefs" ->
                        " (" + where.getRoot().resolve(where.getName(0)) + " is a " + type + " file system: the kernel's, not for files)";
                default -> Files.getFileStore(where).isReadOnly() ? " (a read-only file system)" : "";
            };
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }
}

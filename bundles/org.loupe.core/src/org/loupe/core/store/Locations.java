package org.loupe.core.store;

import java.nio.file.Path;

/**
 * Where Loupe keeps its data unless told otherwise: the workspace
 * ({@code -Dloupe.workspace}, else {@code $XDG_DATA_HOME/loupe}, else {@code ~/.local/share/loupe})
 * and the run store inside it ({@code -Dloupe.runs}, else {@code <workspace>/runs}). The workbench
 * and the command line use the same defaults, so runs from either appear in both.
 *
 * @since 0.1
 */
public final class Locations {

    private Locations() {
    }

    /** The workspace folder. */
    public static Path workspace() {
        String p = System.getProperty("loupe.workspace");
        if (p != null && !p.isBlank()) {
            return Path.of(p);
        }
        String xdg = System.getenv("XDG_DATA_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".local", "share");
        return base.resolve("loupe");
    }

    /** The default run-store folder. */
    public static Path runStore() {
        String p = System.getProperty("loupe.runs");
        return p != null && !p.isBlank() ? Path.of(p) : workspace().resolve("runs");
    }
}

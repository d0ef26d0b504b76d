package org.loupe.ui.internal.prefs;

import java.nio.file.Path;

import org.eclipse.core.runtime.preferences.IEclipsePreferences;
import org.eclipse.core.runtime.preferences.InstanceScope;
import org.loupe.core.store.Locations;

/** Loupe's workbench preferences (instance scope of {@code org.loupe.ui}) and what they mean. */
public final class LoupePreferences {

    /** The preference node. */
    public static final String NODE = "org.loupe.ui";
    /** Intra-op threads for PyTorch; 0 uses all cores. Read when the engine starts. */
    public static final String THREADS = "threads";
    /** Where PyTorch's native libraries are unpacked; empty for the default. Read when the engine starts. */
    public static final String ENGINE_CACHE = "engineCache";
    /** The run-store folder; empty for the default. Applies at once. */
    public static final String RUN_STORE = "runStore";

    private LoupePreferences() {
    }

    /** The preference node. */
    public static IEclipsePreferences node() {
        return InstanceScope.INSTANCE.getNode(NODE);
    }

    /** The configured run-store folder, or the default. */
    public static Path runStore() {
        String p = node().get(RUN_STORE, "");
        return p.isBlank() ? Locations.runStore() : Path.of(p);
    }

    /**
     * Passes the engine settings to the engine through system properties, unless they were given on
     * the command line.
     */
    public static void applyEngineSettings() {
        int threads = node().getInt(THREADS, 0);
        if (threads > 0 && System.getProperty("loupe.threads") == null) {
            System.setProperty("loupe.threads", Integer.toString(threads));
        }
        String cache = node().get(ENGINE_CACHE, "");
        if (!cache.isBlank() && System.getProperty("ENGINE_CACHE_DIR") == null) {
            System.setProperty("ENGINE_CACHE_DIR", cache);
        }
    }
}

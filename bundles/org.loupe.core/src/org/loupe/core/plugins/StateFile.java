package org.loupe.core.plugins;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonParseException;

/**
 * {@code plugins.json} in the plug-in folder: the user's plug-ins and the built-in ones they disabled.
 * Written whole to a temporary file that then replaces the old one, so a crash never leaves half a file.
 */
final class StateFile {

    /** The file name in the plug-in folder. */
    static final String NAME = "plugins.json";

    /**
     * A plug-in the user installed.
     *
     * @param id      the plug-in id (bundle symbolic name, or feature id)
     * @param name    shown to users
     * @param version its version
     * @param jars    its bundle jars, as file names in the plug-in folder
     * @param bundles the symbolic names of those bundles, in the same order
     * @param enabled false when disabled
     * @param source  where it came from
     */
    record UserPlugin(String id, String name, String version, List<String> jars, List<String> bundles, boolean enabled, String source) {

        UserPlugin withEnabled(boolean on) {
            return new UserPlugin(id, name, version, jars, bundles, on, source);
        }
    }

    /**
     * The whole state.
     *
     * @param plugins         the user's plug-ins
     * @param disabledBuiltIn symbolic names of built-in bundles the user disabled
     */
    record State(List<UserPlugin> plugins, List<String> disabledBuiltIn) {

        static final State EMPTY = new State(List.of(), List.of());

        State {
            plugins = plugins == null ? List.of() : List.copyOf(plugins);
            disabledBuiltIn = disabledBuiltIn == null ? List.of() : List.copyOf(disabledBuiltIn);
        }

        Optional<UserPlugin> plugin(String id) {
            return plugins.stream().filter(p -> p.id().equals(id)).findFirst();
        }

        Optional<UserPlugin> owner(String bundle) {
            return plugins.stream().filter(p -> p.bundles().contains(bundle)).findFirst();
        }

        State with(UserPlugin p) {
            List<UserPlugin> list = new ArrayList<>(without(p.id()).plugins);
            list.add(p);
            return new State(list, disabledBuiltIn);
        }

        State without(String id) {
            return new State(plugins.stream().filter(p -> !p.id().equals(id)).toList(), disabledBuiltIn);
        }

        State withBuiltIn(String bundle, boolean enabled) {
            List<String> list = new ArrayList<>(disabledBuiltIn);
            list.remove(bundle);
            if (!enabled) {
                list.add(bundle);
            }
            return new State(plugins, list);
        }
    }

    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create();

    private final Path file;

    StateFile(Path folder) {
        this.file = folder.resolve(NAME);
    }

    Path path() {
        return file;
    }

    /**
     * The state; empty if there is no file yet.
     *
     * @throws PluginException if the file cannot be read or is not the state Loupe writes
     */
    State read() throws PluginException {
        if (!Files.exists(file)) {
            return State.EMPTY;
        }
        try {
            State s = GSON.fromJson(Files.readString(file, StandardCharsets.UTF_8), State.class);
            return s == null ? State.EMPTY : s;
        } catch (JsonParseException e) {
            throw PluginException.failed(file + " is not the plug-in list Loupe writes (" + e.getMessage()
                    + "). Fix it or move it away; Loupe leaves it as it is.", e);
        } catch (IOException e) {
            throw PluginException.failed("Cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** Replaces the state atomically. */
    void write(State state) throws PluginException {
        try {
            Files.createDirectories(file.getParent());
            Path tmp = Files.createTempFile(file.getParent(), NAME, ".tmp");
            Files.writeString(tmp, GSON.toJson(state), StandardCharsets.UTF_8);
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw PluginException.failed("Cannot write " + file + ": " + e.getMessage() + ". Nothing was changed.", e);
        }
    }
}

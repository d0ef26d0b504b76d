package org.loupe.cli.internal;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

import javax.lang.model.SourceVersion;

import org.osgi.framework.Bundle;
import org.osgi.framework.FrameworkUtil;

/**
 * The plug-in project that {@code loupe new-plugin} writes: the files under {@code templates/plugin}
 * of this bundle, with {@code __ID__} (the bundle id, which is also the Java package),
 * {@code __PATH__} (the package as a path), {@code __NAME__} (the plug-in's name) and
 * {@code __LOUPE_REPOSITORY__} (Loupe's p2 repository) replaced in names and contents. A path
 * segment {@code dot.x} becomes {@code .x} (the build would drop dot files from the bundle).
 */
final class PluginTemplate {

    /** Loupe's p2 repository in a clone of Loupe, relative to its root: the one place to change when the update site moves. */
    static final String LOUPE_SITE = "releng/org.loupe.repository/target/repository";

    private static final String ROOT = "templates/plugin";
    private static final Pattern SEGMENT = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    /** The values put into the template. */
    record Values(String id, String name, String repository) {

        Map<String, String> replacements() {
            return Map.of("__ID__", id, "__PATH__", id.replace('.', '/'), "__NAME__", name, "__LOUPE_REPOSITORY__", repository);
        }
    }

    private PluginTemplate() {
    }

    /**
     * Checks that {@code id} can be a bundle id and a Java package: two or more dot-separated
     * segments, each letters, digits and underscores, not starting with a digit, and no Java keyword.
     *
     * @throws IllegalArgumentException saying what is wrong and giving an example
     */
    static void checkId(String id) {
        String[] segments = id.split("\\.", -1);
        String why = null;
        if (segments.length < 2) {
            why = "it needs at least two parts separated by dots, like a Java package";
        } else {
            for (String s : segments) {
                if (s.isEmpty()) {
                    why = "it has an empty part (two dots in a row, or a dot at the start or end)";
                } else if (!SEGMENT.matcher(s).matches()) {
                    why = "the part '" + s + "' may only hold letters, digits and underscores and must not start with a digit";
                } else if (SourceVersion.isKeyword(s)) {
                    why = "the part '" + s + "' is a Java keyword";
                }
                if (why != null) {
                    break;
                }
            }
        }
        if (why != null) {
            throw new IllegalArgumentException("'" + id + "' cannot be a plug-in id: " + why + ". Use for example com.example.myplugin");
        }
    }

    /**
     * Checks a plug-in name given by the user: one line, without the characters that XML and
     * manifests give a meaning to.
     *
     * @throws IllegalArgumentException saying which character is not allowed
     */
    static void checkName(String name) {
        if (name.isBlank()) {
            throw new IllegalArgumentException("--name must not be empty");
        }
        for (char c : name.toCharArray()) {
            if (c == '<' || c == '>' || c == '&' || c == '"' || c == '\'' || c == ',' || c < ' ') {
                throw new IllegalArgumentException("--name '" + name.strip() + "' must not contain "
                        + (c < ' ' ? "line breaks or control characters" : "'" + c + "'") + "; use letters, digits, spaces and - . ( )");
            }
        }
    }

    /** The name of a plug-in nobody named: its id's last part, capitalised ("com.example.hello": "Hello"). */
    static String defaultName(String id) {
        String last = id.substring(id.lastIndexOf('.') + 1);
        return last.substring(0, 1).toUpperCase(Locale.ROOT) + last.substring(1);
    }

    /**
     * Writes the project into {@code dir}, which exists and is empty.
     *
     * @return the files written, relative to {@code dir}, in order
     */
    static List<Path> write(Path dir, Values values) throws IOException {
        Bundle bundle = FrameworkUtil.getBundle(PluginTemplate.class);
        List<URL> entries = bundle == null ? List.of() : Collections.list(bundle.findEntries(ROOT, "*", true));
        List<Path> written = new ArrayList<>();
        for (URL entry : entries) {
            String path = entry.getPath();
            if (path.endsWith("/")) {
                continue;
            }
            Path target = dir.resolve(targetPath(path.substring(path.indexOf(ROOT) + ROOT.length() + 1), values));
            String text;
            try (InputStream in = entry.openStream()) {
                text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            for (Map.Entry<String, String> r : values.replacements().entrySet()) {
                text = text.replace(r.getKey(), r.getValue());
            }
            Files.createDirectories(target.getParent());
            Files.writeString(target, text);
            if (target.getFileName().toString().equals("mvnw")) {
                Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rwxr-xr-x"));
            }
            written.add(dir.relativize(target));
        }
        if (written.isEmpty()) {
            throw new IOException("the plug-in template is missing from the bundle " + (bundle == null ? "org.loupe.cli" : bundle.getSymbolicName())
                    + "; the installation is incomplete");
        }
        written.sort(null);
        return written;
    }

    /** The template's path with the placeholders and dot. prefixes replaced. */
    private static String targetPath(String templatePath, Values values) {
        StringBuilder b = new StringBuilder();
        for (String segment : templatePath.split("/")) {
            String s = segment.startsWith("dot.") ? segment.substring(3) : segment;
            for (Map.Entry<String, String> r : values.replacements().entrySet()) {
                s = s.replace(r.getKey(), r.getValue());
            }
            b.append(b.length() == 0 ? "" : "/").append(s);
        }
        return b.toString();
    }
}

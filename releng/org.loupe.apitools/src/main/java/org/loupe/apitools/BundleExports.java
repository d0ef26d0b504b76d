package org.loupe.apitools;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.Manifest;

import aQute.bnd.header.Attrs;
import aQute.bnd.header.Parameters;

/**
 * The packages a bundle exports, as its manifest declares them: which are API (Loupe packages for plug-ins, with a
 * version) and which are internal ({@code x-internal:=true} or {@code x-friends:=...}).
 *
 * @param symbolicName the Bundle-SymbolicName without directives
 * @param version      the Bundle-Version as written (0.1.0.qualifier)
 * @param exports      the Export-Package clauses, in manifest order
 */
record BundleExports(String symbolicName, String version, List<Export> exports) {

    /** The prefix of Loupe's own packages; DJL's packages that org.loupe.djl re-exports are not Loupe API. */
    static final String LOUPE_PACKAGES = "org.loupe.";

    /**
     * One exported package.
     *
     * @param name     the package
     * @param version  its version attribute, empty when it has none
     * @param internal whether it is marked x-internal or x-friends
     */
    record Export(String name, String version, boolean internal) {

        /** Whether this is one of Loupe's API packages: a Loupe package neither marked nor named internal. */
        boolean api() {
            return name.startsWith(LOUPE_PACKAGES) && !internal && !internalName();
        }

        /** Whether the package's name has an {@code internal} segment. */
        boolean internalName() {
            return (name + ".").contains(".internal.");
        }
    }

    /** Reads a manifest file (META-INF/MANIFEST.MF of a bundle project). */
    static BundleExports read(Path manifestFile) throws IOException {
        try (InputStream in = Files.newInputStream(manifestFile)) {
            return of(new Manifest(in));
        }
    }

    /** The exports of a manifest. */
    static BundleExports of(Manifest manifest) {
        Attributes main = manifest.getMainAttributes();
        String bsn = String.valueOf(main.getValue("Bundle-SymbolicName")).split(";")[0].strip();
        String version = String.valueOf(main.getValue("Bundle-Version")).strip();
        List<Export> exports = new ArrayList<>();
        String header = main.getValue("Export-Package");
        if (header != null) {
            for (Map.Entry<String, Attrs> clause : new Parameters(header).entrySet()) {
                Attrs attrs = clause.getValue();
                boolean internal = "true".equals(attrs.get("x-internal:")) || attrs.containsKey("x-friends:");
                String v = attrs.get("version");
                exports.add(new Export(clause.getKey().replace("~", ""), v == null ? "" : v.replace("\"", ""),
                        internal));
            }
        }
        return new BundleExports(bsn, version, List.copyOf(exports));
    }

    /** The API packages. */
    List<Export> api() {
        return exports.stream().filter(Export::api).toList();
    }

    /**
     * What breaks the versioning policy (docs/api.md): a Loupe package exported without a version that is not marked
     * internal, or an .internal package exported without x-internal or x-friends.
     *
     * @param where how to name the manifest in the messages
     */
    List<String> policyProblems(String where) {
        List<String> problems = new ArrayList<>();
        for (Export e : exports) {
            if (!e.name().startsWith(LOUPE_PACKAGES)) {
                continue;
            }
            if (e.internalName() && !e.internal()) {
                problems.add(where + " exports " + e.name() + " as API: mark it ;x-internal:=true (or"
                        + " ;x-friends:=\"...\" for the bundles that may use it)");
            } else if (e.api() && e.version().isEmpty()) {
                problems.add(where + " exports " + e.name() + " without a version: add ;version=\"1.0.0\" (it is"
                        + " API) or ;x-internal:=true (it is not)");
            }
        }
        return problems;
    }
}

package org.loupe.apitools;

import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.jar.Manifest;

import aQute.bnd.differ.Baseline;
import aQute.bnd.differ.DiffPluginImpl;
import aQute.bnd.header.Parameters;
import aQute.bnd.osgi.EmbeddedResource;
import aQute.bnd.osgi.Instructions;
import aQute.bnd.osgi.Jar;
import aQute.bnd.osgi.Processor;
import aQute.bnd.osgi.Resource;
import aQute.bnd.service.diff.Delta;
import aQute.bnd.service.diff.Diff;
import aQute.bnd.service.diff.Type;

/**
 * Compares a bundle's API packages with their released baseline using bnd's baselining (the semantic-versioning
 * rules of the OSGi Alliance: a removed or changed public member, or a method added to an interface plug-ins
 * implement, needs a major bump of the package version; an addition a minor bump).
 *
 * <p>Loupe's policy (docs/api.md): an incompatible (major) change without a major bump fails the build; a compatible
 * (minor) change without a minor bump is reported and fails only in strict mode, used before a release.
 */
final class ApiBaseline {

    private static final int MAX_CHANGES_LISTED = 40;

    private ApiBaseline() {
    }

    /**
     * The outcome of a comparison.
     *
     * @param problems what fails the check, one message per package, naming each change
     * @param notes    what is reported without failing (minor changes outside strict mode, new packages)
     */
    record Outcome(List<String> problems, List<String> notes) {
    }

    /**
     * Compares the API packages of a built bundle with its baseline.
     *
     * @param current  the built bundle
     * @param baseline the released baseline of the same bundle
     * @param strict   whether a compatible change without its minor bump fails too
     */
    static Outcome compare(Jar current, Jar baseline, boolean strict) throws Exception {
        BundleExports now = BundleExports.of(current.getManifest());
        BundleExports then = BundleExports.of(baseline.getManifest());
        Set<String> packages = new LinkedHashSet<>();
        then.api().forEach(e -> packages.add(e.name()));
        now.api().forEach(e -> packages.add(e.name()));
        List<String> problems = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        if (packages.isEmpty()) {
            return new Outcome(problems, notes);
        }
        try (Processor reporter = new Processor()) {
            Baseline baseliner = new Baseline(reporter, new DiffPluginImpl());
            List<Baseline.Info> infos = baseliner.baseline(current, baseline,
                    new Instructions(new Parameters(String.join(",", packages), reporter))).stream()
                    .sorted(Comparator.comparing(info -> info.packageName)).toList();
            for (Baseline.Info info : infos) {
                Delta delta = info.packageDiff.getDelta();
                String name = info.packageName;
                if (delta == Delta.UNCHANGED || delta == Delta.IGNORED) {
                    continue;
                }
                if (delta == Delta.ADDED) {
                    notes.add("new API package " + name + " " + info.newerVersion);
                    continue;
                }
                if (delta == Delta.REMOVED || info.newerVersion == null) {
                    problems.add("API package " + name + " " + info.olderVersion + " of " + then.symbolicName()
                            + " was removed (or is no longer exported): that breaks every plug-in that uses it."
                            + " Keep exporting it, or release a new major version of the API (docs/api.md).");
                    continue;
                }
                if (!info.mismatch) {
                    continue;
                }
                String changes = changes(info.packageDiff);
                boolean major = delta == Delta.MAJOR || delta == Delta.CHANGED;
                String message = (major ? "incompatible" : "compatible") + " change to API package " + name
                        + " (bundle " + now.symbolicName() + "): its version " + info.newerVersion
                        + " must be at least " + info.suggestedVersion + " (baseline " + info.olderVersion + ")"
                        + changes;
                if (major || strict) {
                    problems.add(message + "\n    Undo the change, or bump Export-Package " + name + ";version=\""
                            + info.suggestedVersion + "\" in " + now.symbolicName() + "'s META-INF/MANIFEST.MF"
                            + (major ? " and the version ranges that import it" : "") + " (docs/api.md).");
                } else {
                    notes.add(message + "\n    Before the next release: bump Export-Package " + name + ";version=\""
                            + info.suggestedVersion + "\".");
                }
            }
        }
        return new Outcome(problems, notes);
    }

    /** The changed members under a package diff, one line each: "REMOVED method run(...) in class a.B". */
    private static String changes(Diff packageDiff) {
        List<String> lines = new ArrayList<>();
        collect(packageDiff, "", lines);
        StringBuilder sb = new StringBuilder();
        lines.stream().limit(MAX_CHANGES_LISTED).forEach(l -> sb.append("\n      ").append(l));
        if (lines.size() > MAX_CHANGES_LISTED) {
            sb.append("\n      ... and ").append(lines.size() - MAX_CHANGES_LISTED).append(" more");
        }
        return sb.toString();
    }

    private static void collect(Diff diff, String owner, List<String> lines) {
        for (Diff child : diff.getChildren()) {
            Delta delta = child.getDelta();
            if (delta == Delta.UNCHANGED || delta == Delta.IGNORED || child.getType() == Type.VERSION) {
                continue;
            }
            boolean type = child.getType() == Type.CLASS || child.getType() == Type.INTERFACE
                    || child.getType() == Type.ENUM || child.getType() == Type.ANNOTATION;
            String line = delta + " " + child.getType().toString().toLowerCase() + " " + child.getName()
                    + (owner.isEmpty() || type ? "" : " in " + owner);
            int before = lines.size();
            if (delta != Delta.ADDED && delta != Delta.REMOVED) {
                collect(child, type ? child.getType().toString().toLowerCase() + " " + child.getName() : owner,
                        lines);
            }
            if (lines.size() == before) {
                lines.add(line);
            }
        }
    }

    /**
     * The baseline of a built bundle: its manifest reduced to the identity and the API exports, and the class files
     * of its API packages (nothing else is compared).
     */
    static Jar baselineOf(Jar built) throws Exception {
        BundleExports exports = BundleExports.of(built.getManifest());
        Jar baseline = new Jar(exports.symbolicName());
        List<String> clauses = new ArrayList<>();
        for (BundleExports.Export e : exports.api()) {
            clauses.add(e.name() + ";version=\"" + e.version() + "\"");
            String dir = e.name().replace('.', '/');
            var resources = built.getDirectories().get(dir);
            if (resources == null) {
                continue;
            }
            for (var entry : resources.entrySet()) {
                if (entry.getKey().endsWith(".class")) {
                    baseline.putResource(entry.getKey(), copy(entry.getValue()));
                }
            }
        }
        Manifest manifest = new Manifest();
        var main = manifest.getMainAttributes();
        main.putValue("Manifest-Version", "1.0");
        main.putValue("Bundle-ManifestVersion", "2");
        main.putValue("Bundle-SymbolicName", exports.symbolicName());
        main.putValue("Bundle-Version", new aQute.bnd.version.Version(exports.version()).getWithoutQualifier()
                .toString());
        main.putValue("Export-Package", String.join(",", clauses));
        baseline.setManifest(manifest);
        baseline.setReproducible("true");
        return baseline;
    }

    private static Resource copy(Resource resource) throws Exception {
        try (InputStream in = resource.openInputStream()) {
            return new EmbeddedResource(in.readAllBytes(), 0L);
        }
    }

    /** The baseline file of a bundle under the baseline folder. */
    static Path baselineFile(Path baselineDir, String symbolicName) {
        return baselineDir.resolve(symbolicName + ".jar");
    }
}

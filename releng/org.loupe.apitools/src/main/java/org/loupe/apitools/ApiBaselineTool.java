package org.loupe.apitools;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import aQute.bnd.osgi.Jar;

/**
 * The API checks of the build, over every bundle under bundles/:
 * <ul>
 * <li>the versioning policy: every exported Loupe package is versioned API or marked internal;</li>
 * <li>the baseline: no API package changed incompatibly since the release in releng/api-baseline/ without the major
 * bump of its version (in strict mode, no compatible change without its minor bump either).</li>
 * </ul>
 * In release mode it writes the built bundles' API as the new baseline instead.
 *
 * <pre>
 * ApiBaselineTool check|strict|release ROOT
 * </pre>
 *
 * The bundles must have been built (their jar in target/) before: the module running this comes last in the reactor.
 */
public final class ApiBaselineTool {

    /** Where the released API lives, relative to the repository root. */
    static final String BASELINE_DIR = "releng/api-baseline";

    private ApiBaselineTool() {
    }

    /**
     * Runs the checks or writes the baseline.
     *
     * @param args {@code check ROOT}, {@code strict ROOT} or {@code release ROOT}
     * @throws IllegalStateException when a check fails (the message names every package, change and fix)
     */
    public static void main(String[] args) throws Exception {
        if (args.length != 2 || !List.of("check", "strict", "release").contains(args[0])) {
            throw new IllegalArgumentException("usage: ApiBaselineTool check|strict|release ROOT");
        }
        Path root = Path.of(args[1]).toAbsolutePath().normalize();
        Path baselineDir = root.resolve(BASELINE_DIR);
        List<String> problems = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        List<Path> bundles = bundleProjects(root);
        List<String> withApi = new ArrayList<>();
        for (Path bundle : bundles) {
            BundleExports exports = BundleExports.read(bundle.resolve("META-INF/MANIFEST.MF"));
            problems.addAll(exports.policyProblems(root.relativize(bundle) + "/META-INF/MANIFEST.MF"));
            if (!exports.api().isEmpty()) {
                withApi.add(exports.symbolicName());
            }
        }
        if (args[0].equals("release")) {
            if (!problems.isEmpty()) {
                throw new IllegalStateException("Not releasing a baseline that breaks the versioning policy:\n  "
                        + String.join("\n  ", problems));
            }
            release(root, bundles, baselineDir);
            return;
        }
        boolean strict = args[0].equals("strict");
        for (Path bundle : bundles) {
            BundleExports exports = BundleExports.read(bundle.resolve("META-INF/MANIFEST.MF"));
            Path baselineFile = ApiBaseline.baselineFile(baselineDir, exports.symbolicName());
            if (!Files.isRegularFile(baselineFile)) {
                if (!exports.api().isEmpty()) {
                    notes.add(exports.symbolicName() + " has no released baseline yet: its API is checked from the"
                            + " next release on");
                }
                continue;
            }
            // the built jar reduced like a released baseline, so that both sides are analysed alike (without the
            // jars a bundle embeds, whose classes would otherwise add inherited members on one side only)
            try (Jar built = new Jar(builtJar(root, bundle).toFile()); Jar current = ApiBaseline.baselineOf(built);
                    Jar baseline = new Jar(baselineFile.toFile())) {
                ApiBaseline.Outcome outcome = ApiBaseline.compare(current, baseline, strict);
                problems.addAll(outcome.problems());
                notes.addAll(outcome.notes());
            }
        }
        try (Stream<Path> files = Files.isDirectory(baselineDir) ? Files.list(baselineDir) : Stream.empty()) {
            files.map(f -> f.getFileName().toString()).filter(f -> f.endsWith(".jar"))
                    .map(f -> f.substring(0, f.length() - 4)).filter(bsn -> !withApi.contains(bsn)).sorted()
                    .forEach(bsn -> problems.add("bundle " + bsn + " has a released API (" + BASELINE_DIR + "/" + bsn
                            + ".jar) but no longer exists or exports it: that breaks every plug-in that uses it"));
        }
        notes.forEach(n -> System.out.println("[api-baseline] note: " + n));
        if (!problems.isEmpty()) {
            throw new IllegalStateException("API check failed (" + problems.size() + " problem"
                    + (problems.size() == 1 ? "" : "s") + ", see docs/api.md):\n  " + String.join("\n  ", problems));
        }
        System.out.println("[api-baseline] the API of " + withApi.size() + " bundles is compatible with "
                + BASELINE_DIR + (strict ? " (strict)" : ""));
    }

    private static void release(Path root, List<Path> bundles, Path baselineDir) throws Exception {
        Files.createDirectories(baselineDir);
        try (Stream<Path> old = Files.list(baselineDir)) {
            for (Path jar : old.filter(f -> f.toString().endsWith(".jar")).toList()) {
                Files.delete(jar);
            }
        }
        for (Path bundle : bundles) {
            BundleExports exports = BundleExports.read(bundle.resolve("META-INF/MANIFEST.MF"));
            if (exports.api().isEmpty()) {
                continue;
            }
            try (Jar built = new Jar(builtJar(root, bundle).toFile()); Jar baseline = ApiBaseline.baselineOf(built)) {
                Path file = ApiBaseline.baselineFile(baselineDir, exports.symbolicName());
                baseline.write(file.toFile());
                System.out.println("[api-baseline] released " + root.relativize(file) + " ("
                        + exports.api().size() + " packages)");
            }
        }
    }

    /** The bundle projects: folders under bundles/ with a META-INF/MANIFEST.MF, sorted. */
    static List<Path> bundleProjects(Path root) throws IOException {
        try (Stream<Path> dirs = Files.list(root.resolve("bundles"))) {
            return dirs.filter(d -> Files.isRegularFile(d.resolve("META-INF/MANIFEST.MF"))).sorted().toList();
        }
    }

    /** The jar Tycho built for a bundle project (target/ARTIFACT-VERSION.jar). */
    static Path builtJar(Path root, Path bundle) throws IOException {
        Path target = bundle.resolve("target");
        String prefix = bundle.getFileName() + "-";
        try (Stream<Path> files = Files.isDirectory(target) ? Files.list(target) : Stream.empty()) {
            return files.filter(f -> {
                String n = f.getFileName().toString();
                return n.startsWith(prefix) && n.endsWith(".jar") && !n.endsWith("-sources.jar");
            }).findFirst().orElseThrow(() -> new IOException(root.relativize(bundle) + " has not been built (no jar"
                    + " in its target/): the API check compares built bundles; run it in the full build"
                    + " (./mvnw verify) or list the bundle in -pl before releng/org.loupe.apitools"));
        }
    }
}

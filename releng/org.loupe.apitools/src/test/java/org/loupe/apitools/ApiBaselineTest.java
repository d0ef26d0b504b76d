package org.loupe.apitools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.Manifest;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import aQute.bnd.osgi.Jar;

/** bnd's baselining with Loupe's policy, on small bundles compiled in the test: planted breaks and additions. */
class ApiBaselineTest {

    private static final String GREETER = """
            package org.loupe.demo;
            /** A greeter. */
            public class Greeter {
                public String hello() { return "hello"; }
                public String bye() { return "bye"; }
            }
            """;
    private static final String PLUGIN_INTERFACE = """
            package org.loupe.demo;
            /** What plug-ins implement. */
            public interface Step {
                int run(int x);
            }
            """;
    private static final String HIDDEN = """
            package org.loupe.demo.internal;
            public class Hidden {
                public void secret() {}
            }
            """;
    private static final String EXPORTS = "org.loupe.demo;version=\"%s\",org.loupe.demo.internal;x-internal:=true";

    @TempDir
    Path dir;

    private int builds;

    /** Compiles the sources into a bundle jar with the given Export-Package. */
    private Jar bundle(String exportPackage, String... sources) throws Exception {
        Path build = Files.createDirectories(dir.resolve("build" + builds++));
        Path src = Files.createDirectories(build.resolve("src"));
        Path classes = Files.createDirectories(build.resolve("classes"));
        List<String> args = new ArrayList<>(List.of("-d", classes.toString(), "--release", "17"));
        for (String source : sources) {
            String pkg = source.substring(source.indexOf("package ") + 8, source.indexOf(';'));
            String name = source.replaceAll("(?s).*public (?:class|interface|record) (\\w+).*", "$1");
            Path file = Files.createDirectories(src.resolve(pkg.replace('.', '/'))).resolve(name + ".java");
            Files.writeString(file, source);
            args.add(file.toString());
        }
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        assertEquals(0, javac.run(null, null, null, args.toArray(String[]::new)), "test sources compile");
        Jar jar = new Jar("org.loupe.demo", classes.toFile());
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().putValue("Manifest-Version", "1.0");
        manifest.getMainAttributes().putValue("Bundle-ManifestVersion", "2");
        manifest.getMainAttributes().putValue("Bundle-SymbolicName", "org.loupe.demo;singleton:=true");
        manifest.getMainAttributes().putValue("Bundle-Version", "0.1.0.qualifier");
        manifest.getMainAttributes().putValue("Export-Package", exportPackage);
        jar.setManifest(manifest);
        return jar;
    }

    private ApiBaseline.Outcome compare(Jar current, Jar released, boolean strict) throws Exception {
        try (current; released) {
            return ApiBaseline.compare(current, released, strict);
        }
    }

    /** The one problem of an outcome (failing when there are none or several). */
    private static String onlyProblem(ApiBaseline.Outcome outcome) {
        assertEquals(1, outcome.problems().size(), outcome.toString());
        return outcome.problems().get(0);
    }

    @Test
    void removingAPublicMethodFailsAndNamesTheMethodAndTheVersionNeeded() throws Exception {
        Jar released = bundle(EXPORTS.formatted("1.0.0"), GREETER);
        Jar current = bundle(EXPORTS.formatted("1.0.0"), GREETER.replace("public String bye() { return \"bye\"; }", ""));
        String problem = onlyProblem(compare(current, released, false));
        assertTrue(problem.startsWith("incompatible change to API package org.loupe.demo (bundle org.loupe.demo):"
                + " its version 1.0.0 must be at least 2.0.0 (baseline 1.0.0)"), problem);
        assertTrue(problem.contains("REMOVED method bye() in class org.loupe.demo.Greeter"), problem);
        assertTrue(problem.contains("bump Export-Package org.loupe.demo;version=\"2.0.0\""), problem);
    }

    @Test
    void changingASignatureFailsAndNamesTheOldAndTheNewMethod() throws Exception {
        Jar released = bundle(EXPORTS.formatted("1.0.0"), GREETER);
        Jar current = bundle(EXPORTS.formatted("1.0.0"),
                GREETER.replace("hello() { return \"hello\"; }", "hello(String name) { return name; }"));
        String problem = onlyProblem(compare(current, released, false));
        assertTrue(problem.contains("REMOVED method hello() in class org.loupe.demo.Greeter"), problem);
        assertTrue(problem.contains("ADDED method hello(java.lang.String) in class org.loupe.demo.Greeter"), problem);
    }

    @Test
    void anIncompatibleChangeWithTheMajorBumpPasses() throws Exception {
        Jar released = bundle(EXPORTS.formatted("1.0.0"), GREETER);
        Jar current = bundle(EXPORTS.formatted("2.0.0"), GREETER.replace("public String bye() { return \"bye\"; }", ""));
        ApiBaseline.Outcome outcome = compare(current, released, true);
        assertEquals(List.of(), outcome.problems());
    }

    @Test
    void aCompatibleAdditionPassesWithANoteAndFailsOnlyInStrictMode() throws Exception {
        String added = GREETER.replace("public String bye()", "public String wave() { return \"o/\"; }\n"
                + "    public String bye()");
        ApiBaseline.Outcome lenient = compare(bundle(EXPORTS.formatted("1.0.0"), added),
                bundle(EXPORTS.formatted("1.0.0"), GREETER), false);
        assertEquals(List.of(), lenient.problems());
        assertEquals(1, lenient.notes().size(), lenient.toString());
        assertTrue(lenient.notes().get(0).contains("compatible change to API package org.loupe.demo"), lenient.notes()
                .get(0));
        assertTrue(lenient.notes().get(0).contains("must be at least 1.1.0"), lenient.notes().get(0));
        assertTrue(lenient.notes().get(0).contains("ADDED method wave()"), lenient.notes().get(0));

        String strict = onlyProblem(compare(bundle(EXPORTS.formatted("1.0.0"), added),
                bundle(EXPORTS.formatted("1.0.0"), GREETER), true));
        assertTrue(strict.contains("bump Export-Package org.loupe.demo;version=\"1.1.0\""), strict);

        ApiBaseline.Outcome bumped = compare(bundle(EXPORTS.formatted("1.1.0"), added),
                bundle(EXPORTS.formatted("1.0.0"), GREETER), true);
        assertEquals(List.of(), bumped.problems());
    }

    @Test
    void aMethodAddedToAnInterfacePlugInsImplementIsIncompatible() throws Exception {
        Jar released = bundle(EXPORTS.formatted("1.0.0"), PLUGIN_INTERFACE);
        Jar current = bundle(EXPORTS.formatted("1.0.0"),
                PLUGIN_INTERFACE.replace("int run(int x);", "int run(int x);\n    String name();"));
        String problem = onlyProblem(compare(current, released, false));
        assertTrue(problem.contains("must be at least 2.0.0"), problem);
        assertTrue(problem.contains("ADDED method name() in interface org.loupe.demo.Step"), problem);
    }

    @Test
    void internalPackagesMayChangeFreely() throws Exception {
        Jar released = bundle(EXPORTS.formatted("1.0.0"), GREETER, HIDDEN);
        Jar current = bundle(EXPORTS.formatted("1.0.0"), GREETER, HIDDEN.replace("public void secret() {}", ""));
        assertEquals(new ApiBaseline.Outcome(List.of(), List.of()), compare(current, released, true));
    }

    @Test
    void aRemovedApiPackageFails() throws Exception {
        Jar released = bundle(EXPORTS.formatted("1.0.0"), GREETER, HIDDEN);
        Jar current = bundle("org.loupe.demo.internal;x-internal:=true", GREETER, HIDDEN);
        String problem = onlyProblem(compare(current, released, false));
        assertTrue(problem.startsWith("API package org.loupe.demo 1.0.0 of org.loupe.demo was removed"), problem);
    }

    @Test
    void theReleasedBaselineHoldsOnlyTheApiAndComparesEqualToItsBundle() throws Exception {
        try (Jar built = bundle(EXPORTS.formatted("1.0.0") + ",org.eclipse.thirdparty;version=\"3.0.0\"", GREETER,
                HIDDEN); Jar baseline = ApiBaseline.baselineOf(built)) {
            assertNotNull(baseline.getResource("org/loupe/demo/Greeter.class"));
            assertNull(baseline.getResource("org/loupe/demo/internal/Hidden.class"));
            Manifest m = baseline.getManifest();
            assertEquals("org.loupe.demo;version=\"1.0.0\"", m.getMainAttributes().getValue("Export-Package"));
            assertEquals("0.1.0", m.getMainAttributes().getValue("Bundle-Version"));
            assertEquals("org.loupe.demo", m.getMainAttributes().getValue("Bundle-SymbolicName"));
            Path file = dir.resolve("baseline.jar");
            baseline.write(file.toFile());
            try (Jar reread = new Jar(file.toFile())) {
                assertEquals(new ApiBaseline.Outcome(List.of(), List.of()), ApiBaseline.compare(built, reread, true));
            }
        }
    }

    @Test
    void thePolicyWantsVersionedApiAndMarkedInternals() {
        Manifest m = new Manifest();
        m.getMainAttributes().putValue("Manifest-Version", "1.0");
        m.getMainAttributes().putValue("Bundle-SymbolicName", "org.loupe.x");
        m.getMainAttributes().putValue("Bundle-Version", "0.1.0.qualifier");
        m.getMainAttributes().putValue("Export-Package", "org.loupe.x;version=\"1.0.0\",org.loupe.x.util,"
                + "org.loupe.x.internal,org.loupe.x.internal.views;x-friends:=\"org.loupe.x.tests\","
                + "org.loupe.x.internal.more;x-internal:=true,ai.djl.ndarray;version=\"0.36.0\",com.other");
        BundleExports exports = BundleExports.of(m);
        assertEquals(List.of("org.loupe.x", "org.loupe.x.util"),
                exports.api().stream().map(BundleExports.Export::name).toList());
        assertEquals(List.of(
                "MF exports org.loupe.x.util without a version: add ;version=\"1.0.0\" (it is API) or"
                        + " ;x-internal:=true (it is not)",
                "MF exports org.loupe.x.internal as API: mark it ;x-internal:=true (or ;x-friends:=\"...\" for the"
                        + " bundles that may use it)"),
                exports.policyProblems("MF"));
    }
}

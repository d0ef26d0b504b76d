package org.loupe.cli.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.loupe.cli.tests.CliTest.contains;
import static org.loupe.cli.tests.CliTest.loupe;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.loupe.cli.tests.CliTest.Outcome;

/**
 * {@code loupe new-plugin}: what it writes, and what it refuses. That the written project builds and
 * passes its test is checked by releng/org.loupe.sdk.check, which builds it after the product.
 */
class NewPluginTest {

    @TempDir
    Path dir;

    @Test
    void writesTheProjectWithEveryPlaceholderReplaced() throws Exception {
        Path out = dir.resolve("hello");
        Outcome o = loupe("new-plugin", "com.example.hello", "--dir", out.toString(), "--loupe-repository", "https://example.org/loupe/site");
        assertEquals(0, o.code(), o.err());
        contains(o.out(), "Wrote the plug-in com.example.hello (Hello) to " + out, "./mvnw verify",
                "loupe plugins install " + out.resolve("com.example.hello.site/target/repository"));
        List<String> files;
        try (Stream<Path> s = Files.walk(out)) {
            files = s.filter(Files::isRegularFile).map(p -> out.relativize(p).toString()).sorted().toList();
        }
        assertEquals(List.of(".gitignore", ".mvn/wrapper/maven-wrapper.properties", "README.md",
                "com.example.hello.feature/build.properties", "com.example.hello.feature/feature.xml", "com.example.hello.feature/pom.xml",
                "com.example.hello.site/category.xml", "com.example.hello.site/pom.xml",
                "com.example.hello.tests/META-INF/MANIFEST.MF", "com.example.hello.tests/build.properties", "com.example.hello.tests/pom.xml",
                "com.example.hello.tests/src/com/example/hello/tests/MeanActivationTest.java",
                "com.example.hello.ui/META-INF/MANIFEST.MF", "com.example.hello.ui/build.properties", "com.example.hello.ui/plugin.xml",
                "com.example.hello.ui/pom.xml", "com.example.hello.ui/src/com/example/hello/ui/UnitMeansView.java",
                "com.example.hello/META-INF/MANIFEST.MF", "com.example.hello/build.properties", "com.example.hello/plugin.xml",
                "com.example.hello/pom.xml", "com.example.hello/src/com/example/hello/MeanActivation.java",
                "com.example.hello/src/com/example/hello/UnitMeans.java", "com.example.hello/src/com/example/hello/UnitMeansCodec.java",
                "mvnw", "pom.xml", "test-libraries.target"), files);
        for (String f : files) {
            String text = Files.readString(out.resolve(f));
            assertFalse(text.contains("__ID__") || text.contains("__NAME__") || text.contains("__PATH__") || text.contains("__LOUPE_REPOSITORY__"),
                    f + " still holds a placeholder");
        }
        assertTrue(Files.readString(out.resolve("pom.xml")).contains("<loupe.repository>https://example.org/loupe/site</loupe.repository>"));
        contains(Files.readString(out.resolve("com.example.hello/plugin.xml")), "id=\"com.example.hello.meanActivation\"",
                "name=\"Hello: mean activation\"", "class=\"com.example.hello.MeanActivation\"");
        contains(Files.readString(out.resolve("com.example.hello/src/com/example/hello/MeanActivation.java")), "package com.example.hello;");
        contains(Files.readString(out.resolve("com.example.hello.ui/META-INF/MANIFEST.MF")), "Bundle-SymbolicName: com.example.hello.ui;",
                "Require-Bundle: org.loupe.core,\n org.loupe.ui,\n com.example.hello,");
        assertTrue(Files.isExecutable(out.resolve("mvnw")));
    }

    @Test
    void theNameIsUsedWhereTheWorkbenchShowsIt() throws Exception {
        Path out = dir.resolve("p");
        assertEquals(0, loupe("new-plugin", "org.acme.units", "--dir", out.toString(), "--name", "Acme unit tools",
                "--loupe-repository", dir.toString()).code());
        contains(Files.readString(out.resolve("org.acme.units/plugin.xml")), "name=\"Acme unit tools: mean activation\"",
                "category=\"Acme unit tools\"");
        contains(Files.readString(out.resolve("pom.xml")), "<loupe.repository>" + dir.toUri());
    }

    @Test
    void theTemplateBuildsWithLoupesOwnTychoAndMavenWrapper() throws Exception {
        Path root = Path.of(System.getProperty("loupe.root"));
        Path out = dir.resolve("w");
        assertEquals(0, loupe("new-plugin", "org.acme.w", "--dir", out.toString(), "--loupe-repository", dir.toString()).code());
        assertEquals(tychoVersion(root.resolve("pom.xml")), tychoVersion(out.resolve("pom.xml")));
        assertEquals(Files.readString(root.resolve("mvnw")), Files.readString(out.resolve("mvnw")));
        assertEquals(Files.readString(root.resolve(".mvn/wrapper/maven-wrapper.properties")),
                Files.readString(out.resolve(".mvn/wrapper/maven-wrapper.properties")));
    }

    @Test
    void wrongIdsNamesAndFoldersAreRefusedWithTheReason() throws Exception {
        Outcome o = loupe("new-plugin", "hello", "--dir", dir.resolve("a").toString());
        assertEquals(2, o.code());
        contains(o.err(), "'hello' cannot be a plug-in id: it needs at least two parts separated by dots", "com.example.myplugin");
        o = loupe("new-plugin", "com.example.2fast", "--dir", dir.resolve("a").toString());
        assertEquals(2, o.code());
        contains(o.err(), "the part '2fast' may only hold letters, digits and underscores and must not start with a digit");
        o = loupe("new-plugin", "com.example.class", "--dir", dir.resolve("a").toString());
        contains(o.err(), "the part 'class' is a Java keyword");
        o = loupe("new-plugin", "com..example", "--dir", dir.resolve("a").toString());
        contains(o.err(), "it has an empty part");
        o = loupe("new-plugin", "com.example.x", "--dir", dir.resolve("a").toString(), "--name", "A <b>");
        assertEquals(2, o.code());
        contains(o.err(), "--name 'A <b>' must not contain '<'");
        assertFalse(Files.exists(dir.resolve("a")), "nothing written for a wrong command line");

        Files.createDirectories(dir.resolve("full"));
        Files.writeString(dir.resolve("full/keep.txt"), "mine");
        o = loupe("new-plugin", "com.example.x", "--dir", dir.resolve("full").toString(), "--loupe-repository", dir.toString());
        assertEquals(2, o.code());
        contains(o.err(), "--dir " + dir.resolve("full") + " is not empty; choose a new folder so nothing is overwritten");
        assertEquals(List.of(dir.resolve("full/keep.txt")), Files.list(dir.resolve("full")).toList());

        o = loupe("new-plugin", "com.example.x", "--dir", dir.resolve("b").toString(), "--loupe-repository", dir.resolve("nowhere").toString());
        assertEquals(2, o.code());
        contains(o.err(), "--loupe-repository " + dir.resolve("nowhere") + " is neither a URL nor a folder");
    }

    @Test
    void listedInTheHelp() {
        Outcome o = loupe("--help");
        contains(o.out(), "loupe new-plugin [-h] [--dir D] [--loupe-repository URL] [--name N] ID");
    }

    private static String tychoVersion(Path pom) throws Exception {
        Matcher m = Pattern.compile("<tycho.version>([^<]+)</tycho.version>").matcher(Files.readString(pom));
        assertTrue(m.find(), pom + " names no tycho.version");
        return m.group(1);
    }
}

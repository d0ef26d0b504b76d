package org.loupe.cli.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The start scripts. The product's: its malloc settings do what docs/architecture.md says
 * ("Memory within a pass"): a large block freed and allocated again reuses its pages instead of
 * faulting in fresh ones, on the main thread and on others. glibc ignores a tunable it does not
 * know, so a typo in the script would silently bring back a fresh page fault for every page of
 * every activation. The clone's ({@code ./loupe}): it starts a product that a build made without
 * building again, and builds when a source of the product changed.
 */
class StartScriptTest {

    /** Allocates, fills and frees 256 MB twice, on the main thread then on another; prints the second fill's minor faults. */
    private static final String PROBE = String.join("\n",
            "import ctypes, resource, threading",
            "libc = ctypes.CDLL(None)",
            "libc.malloc.restype = ctypes.c_void_p",
            "libc.malloc.argtypes = [ctypes.c_size_t]",
            "libc.free.argtypes = [ctypes.c_void_p]",
            "N = 256 << 20",
            "def fill():",
            "    p = libc.malloc(N)",
            "    ctypes.memset(p, 1, N)",
            "    libc.free(p)",
            "faults = []",
            "def measure():",
            "    fill()",
            "    before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt",
            "    fill()",
            "    faults.append(resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before)",
            "measure()",
            "t = threading.Thread(target=measure)",
            "t.start()",
            "t.join()",
            "print(*faults)");

    @Test
    void mallocSettingsReuseFreedMemoryOnEveryThread() throws Exception {
        String tunables = startScriptTunables();
        long[] tuned = secondFillFaults(tunables);
        long[] defaults = secondFillFaults("");
        // 256 MB of fresh memory is at least 128 faults even on 2 MB pages; reused memory takes none
        assertTrue(Arrays.stream(defaults).allMatch(f -> f >= 128),
                "the probe must see fresh pages under glibc's defaults, or it proves nothing: " + Arrays.toString(defaults));
        assertTrue(Arrays.stream(tuned).allMatch(f -> f < 16),
                "with GLIBC_TUNABLES=" + tunables + " a freed 256 MB block should be reused (main thread, other thread): "
                        + Arrays.toString(tuned) + " faults");
    }

    @Test
    void cloneScriptBuildsOnlyWhenAProductSourceChanged(@TempDir Path clone) throws Exception {
        Files.copy(Path.of(System.getProperty("loupe.root"), "loupe"), clone.resolve("loupe"));
        Path product = Files.createDirectories(clone.resolve("releng/org.loupe.product/target/products/org.loupe.product/linux/gtk/x86_64/loupe"));
        Path launcher = Files.writeString(product.resolve("loupe"), "#!/bin/sh\necho \"product $*\"\n");
        Path builds = clone.resolve("builds.log");
        // the build a developer runs (./mvnw verify) or the script runs: it materialises the product, writing config.ini anew
        Path mvnw = Files.writeString(clone.resolve("mvnw"), "#!/bin/sh\necho \"$*\" >> " + builds + "\nmkdir -p " + product
                + "/configuration && touch " + product + "/configuration/config.ini\n");
        Path source = Files.createDirectories(clone.resolve("bundles/org.loupe.cli/src")).resolve("A.java");
        Files.writeString(source, "class A {}");
        Path test = Files.createDirectories(clone.resolve("bundles/org.loupe.cli.tests/src")).resolve("ATest.java");
        Files.writeString(test, "class ATest {}");
        Files.writeString(clone.resolve("pom.xml"), "<project/>");
        for (Path p : List.of(clone.resolve("loupe"), launcher, mvnw)) {
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        }

        assertEquals("product list", startClone(clone, "list"), "no product yet: built, then started");
        assertEquals(List.of("-B -q -DskipTests verify"), Files.readAllLines(builds));

        Files.delete(builds);
        Files.writeString(product.resolve("configuration/config.ini"), "written by ./mvnw verify, after every source");
        ageSources(clone, 60);
        assertEquals("product list", startClone(clone, "list"));
        assertFalse(Files.exists(builds), "a product newer than its sources is started as it is");

        Files.setLastModifiedTime(test, FileTime.from(Instant.now().plusSeconds(5)));
        assertEquals("product run x", startClone(clone, "run", "x"));
        assertFalse(Files.exists(builds), "a test bundle is not part of the product");

        Files.setLastModifiedTime(source, FileTime.from(Instant.now().plusSeconds(5)));
        assertEquals("product list", startClone(clone, "list"));
        assertEquals(1, Files.readAllLines(builds).size(), "a changed source is built");
    }

    /** Sets every file but the product's back by {@code seconds}. */
    private static void ageSources(Path clone, int seconds) throws IOException {
        FileTime past = FileTime.from(Instant.now().minusSeconds(seconds));
        try (Stream<Path> files = Files.walk(clone)) {
            for (Path p : files.filter(Files::isRegularFile).filter(p -> !p.toString().contains("/target/")).toList()) {
                Files.setLastModifiedTime(p, past);
            }
        }
    }

    /** Runs the clone's ./loupe; returns its standard output, trimmed. */
    private static String startClone(Path clone, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(clone.resolve("loupe").toString()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertEquals(0, p.waitFor(), out);
        return out;
    }

    private static String startScriptTunables() throws IOException {
        Path script = Path.of(System.getProperty("loupe.root"), "features/org.loupe.feature/rootfiles/loupe");
        Matcher m = Pattern.compile("export GLIBC_TUNABLES=\"\\$\\{GLIBC_TUNABLES:-([^}]+)}\"").matcher(Files.readString(script));
        assertTrue(m.find(), "the start script sets no default GLIBC_TUNABLES");
        return m.group(1);
    }

    private static long[] secondFillFaults(String tunables) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(System.getProperty("loupe.python", "/usr/bin/python3"), "-c", PROBE).redirectErrorStream(true);
        pb.environment().put("GLIBC_TUNABLES", tunables);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertEquals(0, p.waitFor(), out);
        return Arrays.stream(out.split(" ")).mapToLong(Long::parseLong).toArray();
    }
}

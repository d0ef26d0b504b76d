package org.loupe.cli.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/**
 * The malloc settings of the start script do what docs/architecture.md says ("Memory within a
 * pass"): a large block freed and allocated again reuses its pages instead of faulting in fresh
 * ones, on the main thread and on others. glibc ignores a tunable it does not know, so a typo in
 * the script would silently bring back a fresh page fault for every page of every activation.
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

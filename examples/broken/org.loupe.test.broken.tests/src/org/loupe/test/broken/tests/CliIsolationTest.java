package org.loupe.test.broken.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.loupe.cli.Cli;
import org.loupe.core.result.CompositeResult;
import org.loupe.core.result.TableResult;
import org.loupe.core.run.AnalysisRunner;
import org.loupe.core.store.RunStore;
import org.loupe.core.store.RunSummary;


/**
 * The broken plug-ins through the command line, in-process as {@code loupe ...} runs: a named error
 * and exit code 1 for each, nothing written, and the other commands and analyses still work.
 */
class CliIsolationTest {

    @TempDir
    Path dir;

    record Outcome(int code, String out, String err) {
    }

    @BeforeEach
    void shortGracePeriod() {
        System.setProperty(AnalysisRunner.GRACE_PROPERTY, "0.3");
    }

    @AfterEach
    void defaultGracePeriod() {
        System.clearProperty(AnalysisRunner.GRACE_PROPERTY);
    }

    static Outcome loupe(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = new Cli(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8)).run(args);
        return new Outcome(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private Outcome run(String analysis, String... more) throws Exception {
        String[] base = {"run", analysis, "--model", Broken.plantedModel(dir).toString(), "--out", dir.resolve("out").toString(), "--runs",
                dir.resolve("runs").toString()};
        String[] all = java.util.Arrays.copyOf(base, base.length + more.length);
        System.arraycopy(more, 0, all, base.length, more.length);
        return loupe(all);
    }

    private void failsNamingThePlugin(Outcome o, String message) {
        assertEquals(1, o.code(), o.out() + o.err());
        assertTrue(o.err().contains("loupe: " + message), o.err());
        assertFalse(Files.exists(dir.resolve("out")), "nothing written to --out");
        assertFalse(o.err().contains("internal error"), o.err());
    }

    @Test
    void listNamesTheBrokenPluginsAndListsEverythingElse() {
        Outcome o = loupe("list");
        assertEquals(0, o.code(), o.err());
        assertTrue(o.out().contains("UNAVAILABLE: Plug-in 'Broken analyses (test fixture)' (org.loupe.test.broken) failed when Loupe created "
                + "its analysis 'Throws in its constructor' (class org.loupe.test.broken.ThrowsInConstructor): the fixture's constructor always "
                + "fails."), o.out());
        assertTrue(o.out().contains("Plug-ins with problems (what they declare is not available):\n  " + Broken.PLUGIN
                + ": its analysis 'org.loupe.test.broken.noClass' names no class in plugin.xml"), o.out());
        assertTrue(o.out().contains("  plug-in 'Unreadable plugin.xml (test fixture)' (org.loupe.test.broken.xml): its plugin.xml could not be "
                + "read, so none of its contributions are available (line 8: "), o.out());
        for (String working : new String[] {Broken.STATS, "noise", "org.loupe.models.seqcnn", Broken.THROWS + " (throws-in-run)"}) {
            assertTrue(o.out().contains(working), working + " in:\n" + o.out());
        }
    }

    @Test
    void eachBrokenAnalysisFailsWithExitCodeOneAndItsPluginNamed() throws Exception {
        failsNamingThePlugin(run(Broken.CONSTRUCTOR), "Plug-in 'Broken analyses (test fixture)' (org.loupe.test.broken) failed when Loupe "
                + "created its analysis 'Throws in its constructor' (class org.loupe.test.broken.ThrowsInConstructor): the fixture's constructor "
                + "always fails.");
        failsNamingThePlugin(run("throws-in-run"), "Plug-in 'Broken analyses (test fixture)' (org.loupe.test.broken) failed when its analysis "
                + "'Throws in run' ran: the fixture's run always fails.");
        failsNamingThePlugin(run("throws-in-run", "--param", "kind=linkage"), "Plug-in 'Broken analyses (test fixture)' (org.loupe.test.broken) "
                + "failed when its analysis 'Throws in run' ran: a class it needs is missing: org.loupe.test.broken.Gone.");
        failsNamingThePlugin(run("hangs", "--timeout", "0.2"), "cancelled; " + Broken.PLUGIN + " did not stop within 0.3 s and was abandoned "
                + "(restart Loupe to reclaim its thread)");
        failsNamingThePlugin(run(Broken.POLITE, "--timeout", "0.2"), "cancelled: Slow but stops when cancelled did not finish within --timeout "
                + "0.2 s; nothing was saved");
        RunStore store = new RunStore(dir.resolve("runs"));
        assertEquals(List.of(), store.list(), "nothing in the run store");

        // and afterwards, in the same process, a healthy analysis gives the planted numbers
        Outcome ok = run(Broken.STATS, "--layer", "relu1", "--image", "noise:count=3,size=8");
        assertEquals(0, ok.code(), ok.err());
        List<RunSummary> stored = store.list();
        assertEquals(1, stored.size());
        TableResult table = (TableResult) ((CompositeResult) store.load(stored.get(0).id()).result()).parts().get(3);
        for (int u = 0; u < Broken.PLANTED_MEANS.length; u++) {
            assertEquals(Broken.PLANTED_MEANS[u], (Double) table.rows().get(u).get(1), 1e-6, "mean of unit " + u);
        }
    }

    @Test
    void aWrongTimeoutIsAUsageError() throws Exception {
        Outcome o = run("hangs", "--timeout", "0");
        assertEquals(2, o.code(), o.err());
        assertTrue(o.err().contains("--timeout must be a number of seconds above 0"), o.err());
    }
}

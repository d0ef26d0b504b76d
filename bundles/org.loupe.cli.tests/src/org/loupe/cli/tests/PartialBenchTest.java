package org.loupe.cli.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.loupe.cli.tests.CliTest.contains;
import static org.loupe.cli.tests.CliTest.loupe;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.loupe.cli.tests.CliTest.Outcome;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/**
 * {@code loupe bench --stop-after / --from}: partial passes timed against the full pass; {@code
 * --paced}: passes on demand for the paired benchmark; {@code --profile}: libtorch's operator trace
 * (timings are not asserted).
 */
class PartialBenchTest {

    private static List<JsonObject> lines(Outcome o) {
        assertEquals(0, o.code(), o.err());
        return o.out().lines().map(l -> JsonParser.parseString(l).getAsJsonObject()).toList();
    }

    @Test
    void aPassStoppedAfterAHookPointTakesTurnsWithTheFullPassOnTheSameImages() {
        List<JsonObject> lines = lines(loupe("bench", "--model", "seq-cnn-seeded", "--stop-after", "relu1", "--batch", "2,3",
                "--warmup", "1", "--iterations", "3"));
        assertEquals(4, lines.size());
        for (int i = 0; i < 4; i++) {
            JsonObject l = lines.get(i);
            assertEquals("loupe", l.get("engine").getAsString());
            assertEquals(i % 2 == 0 ? "until relu1" : "all", l.get("part").getAsString());
            assertEquals("(" + (i < 2 ? 2 : 3) + ", 3, 32, 32)", l.get("input").getAsString());
            assertEquals(2, l.get("contestants").getAsInt());
            assertEquals(3, l.get("iterations").getAsInt());
            assertTrue(l.get("min_ms").getAsDouble() > 0 && l.get("min_ms").getAsDouble() <= l.get("median_ms").getAsDouble(), l.toString());
        }
    }

    @Test
    void aResumedPassTakesTheHookPointsActivationAtTheBatchSize() {
        List<JsonObject> lines = lines(loupe("bench", "--model", "seq-cnn-seeded", "--from", "relu1", "--batch", "2", "--warmup", "1",
                "--iterations", "2"));
        assertEquals(2, lines.size());
        assertEquals("from relu1", lines.get(0).get("part").getAsString());
        assertEquals("(2, 16, 32, 32)", lines.get(0).get("input").getAsString());
        assertEquals("all", lines.get(1).get("part").getAsString());
        assertEquals("(2, 3, 32, 32)", lines.get(1).get("input").getAsString());
    }

    @Test
    void aWrongRangeIsAUsageErrorThatSaysWhatToGive() {
        Outcome unknown = loupe("bench", "--model", "seq-cnn-seeded", "--stop-after", "relu9", "--iterations", "1");
        assertEquals(2, unknown.code(), unknown.err());
        contains(unknown.err(), "relu9", "relu1");
        Outcome backwards = loupe("bench", "--model", "seq-cnn-seeded", "--from", "fc", "--stop-after", "relu1", "--iterations", "1");
        assertEquals(2, backwards.code(), backwards.err());
        contains(backwards.err(), "comes before its start 'fc'");
        Outcome grad = loupe("bench", "--model", "seq-cnn-seeded", "--stop-after", "relu1", "--mode", "grad", "--iterations", "1");
        assertEquals(2, grad.code(), grad.err());
        contains(grad.err(), "--stop-after and --from time forward passes that record nothing: drop --mode and --cache");
    }

    @Test
    void aProfileIsAChromeTraceOfTheEnginesOperators() throws Exception {
        java.nio.file.Path trace = java.nio.file.Files.createTempDirectory("loupe-profile").resolve("trace.json");
        List<JsonObject> lines = lines(loupe("bench", "--model", "seq-cnn-seeded", "--batch", "2", "--warmup", "1", "--iterations", "2",
                "--profile", trace.toString()));
        assertEquals(1, lines.size());
        // libtorch writes the trace as a bare array of complete ("X") events
        var events = JsonParser.parseString(java.nio.file.Files.readString(trace)).getAsJsonArray();
        // seq-cnn-seeded has convolutions: 3 passes run at least 3 of them
        long convs = 0;
        for (var e : events) {
            if (e.getAsJsonObject().get("name").getAsString().equals("aten::convolution")) {
                convs++;
            }
        }
        assertTrue(convs >= 3, "convolutions in the trace: " + convs);
        Outcome paced = loupe("bench", "--model", "seq-cnn-seeded", "--paced", "--profile", trace.toString());
        assertEquals(2, paced.code(), paced.err());
        contains(paced.err(), "--profile goes with plain passes: drop --paced, --analysis, --stop-after and --from");
    }

    @Test
    void anAnchorThatIsNoTorchScriptArchiveSaysSo() {
        Outcome o = loupe("bench", "--model", "seq-cnn-seeded", "--stop-after", "relu1", "--anchor", "/nonexistent/prefix.pt",
                "--iterations", "1");
        assertEquals(1, o.code(), o.err());
        contains(o.err(), "/nonexistent/prefix.pt cannot be loaded as a TorchScript archive");
    }

    @Test
    void pacedBenchRunsOnePassPerLineItReadsUntilQuit() {
        InputStream stdin = System.in;
        Outcome o;
        try {
            System.setIn(new ByteArrayInputStream("pass\npass\npass\nquit\npass\n".getBytes(StandardCharsets.UTF_8)));
            o = loupe("bench", "--model", "seq-cnn-seeded", "--batch", "2", "--mode", "grad", "--paced");
        } finally {
            System.setIn(stdin);
        }
        assertEquals(0, o.code(), o.err());
        List<String> lines = o.out().lines().toList();
        assertEquals("ready", lines.get(0));
        assertEquals(4, lines.size(), "three passes, none after quit:\n" + o.out());
        for (String l : lines.subList(1, 4)) {
            assertTrue(JsonParser.parseString(l).getAsJsonObject().get("ms").getAsDouble() > 0, l);
        }
        Outcome two = loupe("bench", "--model", "seq-cnn-seeded", "--batch", "1,2", "--paced");
        assertEquals(2, two.code(), two.err());
        contains(two.err(), "--paced times one kind of pass: give one --batch, --mode and --cache");
    }
}

package org.loupe.core.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.loupe.core.analysis.Param;
import org.loupe.core.analysis.ParamSpec;
import org.loupe.core.analysis.ParameterBinder;
import org.loupe.core.analysis.Validating;

/** Parameters bind from text with defaults, ranges and validation, and describe themselves. */
class ParameterBinderTest {

    enum Fusion { MEAN, MAX, MIN }

    record P(@Param(value = "number of bins", min = 1, max = 1000) int bins,
            @Param(value = "learning rate", min = 0) float lr,
            @Param("head fusion") Fusion fusion,
            boolean normalize,
            String images,
            @Param(value = "lowest", min = 0, max = 1) double low,
            @Param(value = "highest", min = 0, max = 1) double high) implements Validating {
        @Override
        public void validate() {
            if (low >= high) {
                throw new IllegalArgumentException("low (" + low + ") must be below high (" + high + ")");
            }
        }
    }

    static final P DEFAULTS = new P(50, 0.05f, Fusion.MEAN, true, "noise", 0, 1);

    @Test
    void defaultsAndOverrides() {
        assertEquals(DEFAULTS, ParameterBinder.bind(P.class, DEFAULTS, Map.of()));
        P p = ParameterBinder.bind(P.class, DEFAULTS, Map.of("bins", "10", "fusion", "Max", "normalize", "false", "lr", "1e-3"));
        assertEquals(new P(10, 0.001f, Fusion.MAX, false, "noise", 0, 1), p);
    }

    @Test
    void errorsNameTheParameterAndWhatIsAllowed() {
        assertMessage("parameter 'bins' must be in [1, 1000], got 0", Map.of("bins", "0"));
        assertMessage("parameter 'bins' must be an integer, got 'ten'", Map.of("bins", "ten"));
        assertMessage("parameter 'fusion' must be one of [mean, max, min], got 'avg'", Map.of("fusion", "avg"));
        assertMessage("parameter 'normalize' must be true or false, got 'yes'", Map.of("normalize", "yes"));
        assertMessage("unknown parameter 'bin'; parameters are: bins, lr, fusion, normalize, images, low, high", Map.of("bin", "3"));
        assertMessage("low (0.9) must be below high (0.5)", Map.of("low", "0.9", "high", "0.5"));
        assertMessage("parameter 'lr' must be in [0, inf), got NaN", Map.of("lr", "NaN"));
    }

    private static void assertMessage(String expected, Map<String, String> overrides) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ParameterBinder.bind(P.class, DEFAULTS, overrides));
        assertEquals(expected, e.getMessage());
    }

    @Test
    void specsDescribeTheRecord() {
        List<ParamSpec> specs = ParameterBinder.specs(P.class, DEFAULTS);
        assertEquals(7, specs.size());
        assertEquals("bins (int, 1..1000, default 50): number of bins", specs.get(0).summary());
        assertEquals("fusion (mean|max|min, default mean): head fusion", specs.get(2).summary());
        assertEquals(List.of("mean", "max", "min"), specs.get(2).choices());
    }

    @Test
    void assignmentsParseAndRejectMalformedItems() {
        assertEquals(Map.of("a", "1", "b", "x=y"), ParameterBinder.parseAssignments(List.of("a=1", "b=x=y")));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ParameterBinder.parseAssignments(List.of("oops")));
        assertTrue(e.getMessage().contains("expected key=value, got 'oops'"));
    }

    @Test
    void toMapGivesJsonFriendlyValues() {
        Map<String, Object> m = ParameterBinder.toMap(DEFAULTS);
        assertEquals("mean", m.get("fusion"));
        assertEquals(50, m.get("bins"));
    }
}

package org.loupe.analysis.causal.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.loupe.core.model.HookPoint;
import org.loupe.core.model.Sites;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * The text form of a set of {@link Sites}, as given in an analysis parameter:
 * <pre>
 *   units:3,5,8-11        channels (conv), features (tokens), heads (attention), elements (vector)
 *   channels:3,5          the same as units
 *   neuron:C,Y,X          one neuron of a conv hook point: channel C at row Y, column X
 *   position:Y,X          one spatial position of a conv hook point, every channel
 *   region:Y0-Y1,X0-X1    a half-open spatial region of a conv hook point, every channel
 *   heads:0,2             heads of an attention hook point
 *   tokens:0,5-9          tokens of a token hook point (the query rows of an attention hook point)
 *   all                   every element
 * </pre>
 * Terms joined with {@code &} intersect ({@code units:3&tokens:0}); with {@code +} they add up
 * ({@code units:3+units:7}).
 */
public final class SiteSpec {

    /** The syntax, for error messages and parameter help. */
    public static final String SYNTAX = "units:3,5,8-11 | neuron:C,Y,X | position:Y,X | region:Y0-Y1,X0-X1 | heads:0,2 | tokens:0,5 | all;"
            + " join terms with & (both) or + (either)";

    private SiteSpec() {
    }

    /**
     * Parses {@code spec}.
     *
     * @throws IllegalArgumentException saying what is malformed and showing the syntax
     */
    public static Sites parse(String spec) {
        if (spec == null || spec.isBlank()) {
            throw new IllegalArgumentException("no sites given; write them as " + SYNTAX);
        }
        Sites union = null;
        for (String alternative : spec.split("\\+")) {
            Sites both = null;
            for (String term : alternative.split("&")) {
                Sites s = term(term.trim(), spec);
                both = both == null ? s : both.and(s);
            }
            union = union == null ? both : union.or(both);
        }
        return union;
    }

    /**
     * Parses {@code spec} and checks it against {@code point}: every index in range, every term of a
     * kind the hook point has.
     *
     * @throws IllegalArgumentException saying what does not fit
     */
    public static Sites parse(String spec, HookPoint point, NDManager manager) {
        Sites sites = parse(spec);
        try (NDManager m = manager.newSubManager(); NDArray probe = m.zeros(new Shape(1).addAll(point.shape()));
                NDArray mask = sites.mask(probe, point)) {
            if (mask.sum().getFloat() == 0) {
                throw new IllegalArgumentException("the sites '" + spec + "' select nothing at " + point.name());
            }
        }
        return sites;
    }

    private static Sites term(String term, String spec) {
        if (term.equalsIgnoreCase("all")) {
            return Sites.all();
        }
        int colon = term.indexOf(':');
        if (colon < 0) {
            throw malformed(spec, "'" + term + "' has no ':' after its kind");
        }
        String kind = term.substring(0, colon).trim().toLowerCase(Locale.ROOT);
        String args = term.substring(colon + 1).trim();
        return switch (kind) {
            case "units", "unit", "channels", "channel" -> Sites.units(indices(args, spec));
            case "heads", "head" -> Sites.heads(indices(args, spec));
            case "tokens", "token" -> Sites.tokens(indices(args, spec));
            case "neuron" -> {
                int[] v = exactly(3, args, spec, "neuron:C,Y,X");
                yield Sites.neuron(v[0], v[1], v[2]);
            }
            case "position" -> {
                int[] v = exactly(2, args, spec, "position:Y,X");
                yield Sites.position(v[0], v[1]);
            }
            case "region" -> {
                String[] yx = args.split(",");
                if (yx.length != 2) {
                    throw malformed(spec, "a region is region:Y0-Y1,X0-X1 (half-open rows and columns), got '" + term + "'");
                }
                int[] y = range(yx[0], spec);
                int[] x = range(yx[1], spec);
                yield Sites.region(y[0], y[1], x[0], x[1]);
            }
            default -> throw malformed(spec, "unknown kind of site '" + kind + "'");
        };
    }

    /** Indices {@code 3,5,8-11} (ranges inclusive). */
    public static int[] indices(String args, String spec) {
        List<Integer> out = new ArrayList<>();
        for (String part : args.split(",")) {
            String p = part.trim();
            if (p.isEmpty()) {
                throw malformed(spec, "an empty index in '" + args + "'");
            }
            int dash = p.indexOf('-', 1);
            if (dash > 0) {
                int from = number(p.substring(0, dash), spec);
                int to = number(p.substring(dash + 1), spec);
                if (to < from) {
                    throw malformed(spec, "the range " + p + " ends before it starts");
                }
                for (int i = from; i <= to; i++) {
                    out.add(i);
                }
            } else {
                out.add(number(p, spec));
            }
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    private static int[] exactly(int n, String args, String spec, String form) {
        String[] parts = args.split(",");
        if (parts.length != n) {
            throw malformed(spec, "write " + form + ", got '" + args + "'");
        }
        int[] v = new int[n];
        for (int i = 0; i < n; i++) {
            v[i] = number(parts[i], spec);
        }
        return v;
    }

    private static int[] range(String text, String spec) {
        String[] ab = text.trim().split("-");
        if (ab.length != 2) {
            throw malformed(spec, "a region's rows and columns are half-open ranges A-B, got '" + text + "'");
        }
        return new int[] {number(ab[0], spec), number(ab[1], spec)};
    }

    private static int number(String text, String spec) {
        try {
            return Integer.parseInt(text.trim());
        } catch (NumberFormatException e) {
            throw malformed(spec, "'" + text.trim() + "' is not a whole number");
        }
    }

    private static IllegalArgumentException malformed(String spec, String why) {
        return new IllegalArgumentException("cannot read the sites '" + spec + "': " + why + "; write them as " + SYNTAX);
    }
}

package org.loupe.analysis.featureviz;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import org.loupe.core.model.HookKind;
import org.loupe.core.model.HookPoint;
import org.loupe.core.model.HookedModel;

/**
 * Reads an objective's text form against a model. Terms combine with {@code + - *}, numbers and
 * parentheses; a term is
 * <ul>
 * <li>{@code layer:n}: the mean of unit {@code n} (Lucent's {@code "layer:n"} shorthand for
 * {@code channel(layer, n)});</li>
 * <li>{@code channel(layer, n)}, {@code neuron(layer, n)} (the centre, or the class token) or
 * {@code neuron(layer, n, x, y)};</li>
 * <li>{@code logit(n)} or {@code logit(label)}: a class logit;</li>
 * <li>{@code direction(layer, [v0, v1, ...])} (dot product) and {@code cosine(layer, [...])};</li>
 * <li>{@code diversity(layer)}, and the image penalties {@code tv} and {@code l2} / {@code l2(c)}.</li>
 * </ul>
 * For example {@code "relu3:5 - 0.5*relu3:7"} or {@code "mixed4a:97 + 100*diversity(mixed4a)"}.
 *
 * @since 0.1
 */
public final class ObjectiveParser {

    private final HookedModel model;
    private String text;
    private int pos;

    /** A parser for objectives on {@code model}'s hook points. */
    public ObjectiveParser(HookedModel model) {
        this.model = model;
    }

    /**
     * Parses {@code objective}.
     *
     * @throws IllegalArgumentException saying what is wrong and where: a syntax error, an unknown
     *                                  hook point (with the closest names), a unit out of range
     */
    public Objective parse(String objective) {
        if (objective == null || objective.isBlank()) {
            throw new IllegalArgumentException("the objective is empty; give one such as relu3:5 or \"relu3:5 - 0.5*relu3:7\"");
        }
        text = objective;
        pos = 0;
        Object v = expression();
        skipSpace();
        if (pos < text.length()) {
            throw error("unexpected '" + text.charAt(pos) + "'");
        }
        if (v instanceof Double) {
            throw new IllegalArgumentException("the objective '" + objective + "' is only a number; name a unit to maximise, such as relu3:5");
        }
        return (Objective) v;
    }

    private Object expression() {
        Object left = term();
        while (true) {
            skipSpace();
            if (peek('+') || peek('-')) {
                char op = text.charAt(pos++);
                Object right = term();
                left = op == '+' ? add(left, right, 1) : add(left, right, -1);
            } else {
                return left;
            }
        }
    }

    private Object add(Object a, Object b, double sign) {
        if (a instanceof Double x && b instanceof Double y) {
            return x + sign * y;
        }
        if (a instanceof Double || b instanceof Double) {
            throw error("a number cannot be added to an objective (it does not change what is maximised); multiply with it instead");
        }
        return sign > 0 ? ((Objective) a).plus((Objective) b) : ((Objective) a).minus((Objective) b);
    }

    private Object term() {
        Object left = unary();
        while (true) {
            skipSpace();
            if (peek('*')) {
                pos++;
                Object right = unary();
                left = multiply(left, right);
            } else {
                return left;
            }
        }
    }

    private static Object multiply(Object a, Object b) {
        if (a instanceof Double x && b instanceof Double y) {
            return x * y;
        }
        if (a instanceof Double x) {
            return ((Objective) b).times(x);
        }
        if (b instanceof Double y) {
            return ((Objective) a).times(y);
        }
        return ((Objective) a).times((Objective) b);
    }

    private Object unary() {
        skipSpace();
        if (peek('-')) {
            pos++;
            Object v = unary();
            return v instanceof Double d ? -d : ((Objective) v).times(-1);
        }
        return primary();
    }

    private Object primary() {
        skipSpace();
        if (pos >= text.length()) {
            throw error("the objective ends early; expected a unit such as relu3:5, a number or '('");
        }
        char c = text.charAt(pos);
        if (c == '(') {
            pos++;
            Object v = expression();
            expect(')');
            return v;
        }
        if (Character.isDigit(c) || c == '.') {
            return number();
        }
        if (Character.isLetter(c) || c == '_') {
            int start = pos;
            String name = identifier();
            skipSpace();
            if (peek(':')) {
                pos++;
                HookPoint p = hookPoint(name, start);
                return Objectives.channel(p, integer(), -1);
            }
            if (peek('(')) {
                pos++;
                Objective o = call(name, start);
                expect(')');
                return o;
            }
            return switch (name) {
                case "tv" -> Objectives.totalVariation();
                case "l2" -> Objectives.l2(0);
                default -> throw error(start, "'" + name + "' alone is not an objective: write " + name + ":N for unit N of a hook point, or "
                        + "one of channel(layer, n), neuron(layer, n), logit(n), direction(layer, [..]), cosine(layer, [..]), "
                        + "diversity(layer), tv, l2");
            };
        }
        throw error("unexpected '" + c + "'; expected a unit such as relu3:5, a number or '('");
    }

    private Objective call(String name, int start) {
        switch (name) {
            case "channel" -> {
                HookPoint p = layerArg();
                comma();
                return Objectives.channel(p, integer(), -1);
            }
            case "neuron" -> {
                HookPoint p = layerArg();
                comma();
                int unit = integer();
                skipSpace();
                if (peek(',')) {
                    pos++;
                    int x = integer();
                    comma();
                    int y = integer();
                    return Objectives.neuron(p, unit, x, y, -1);
                }
                return Objectives.neuron(p, unit, -1, -1, -1);
            }
            case "logit", "class" -> {
                HookPoint p = logits();
                skipSpace();
                if (pos < text.length() && Character.isLetter(text.charAt(pos))) {
                    int at = pos;
                    String label = identifier();
                    int i = model.labels().indexOf(label);
                    if (i < 0) {
                        throw error(at, "'" + label + "' is not a class of " + model.info().name() + "; its classes are "
                                + String.join(", ", model.labels()));
                    }
                    return Objectives.channel(p, i, -1);
                }
                return Objectives.channel(p, integer(), -1);
            }
            case "direction", "cosine" -> {
                HookPoint p = layerArg();
                comma();
                return Objectives.direction(p, vector(), name.equals("cosine"), -1);
            }
            case "diversity" -> {
                return Objectives.diversity(layerArg());
            }
            case "tv" -> {
                return Objectives.totalVariation();
            }
            case "l2" -> {
                skipSpace();
                return Objectives.l2(peek(')') ? 0 : signedNumber());
            }
            default -> throw error(start, "unknown objective '" + name + "'; known: channel, neuron, logit, direction, cosine, diversity, tv, l2");
        }
    }

    private HookPoint logits() {
        List<HookPoint> l = model.hookPoints().stream().filter(h -> h.kind() == HookKind.LOGITS).toList();
        if (l.isEmpty()) {
            throw new IllegalArgumentException(model.info().name() + " has no logits hook point, so logit(...) cannot be read; name a unit instead");
        }
        return l.get(l.size() - 1);
    }

    private HookPoint layerArg() {
        skipSpace();
        int start = pos;
        if (pos >= text.length() || !(Character.isLetter(text.charAt(pos)) || text.charAt(pos) == '_')) {
            throw error("expected a hook point name");
        }
        return hookPoint(identifier(), start);
    }

    private HookPoint hookPoint(String name, int start) {
        return model.findHookPoint(name).orElseThrow(() -> {
            String known = model.hookPoints().stream().map(HookPoint::name).collect(Collectors.joining(", "));
            String close = org.loupe.core.model.UnknownHookPointException.of(name, model).getMessage();
            return new IllegalArgumentException("in the objective '" + text + "': " + close + (known.length() < 400 ? " (hook points: " + known + ")" : ""));
        });
    }

    private float[] vector() {
        expect('[');
        List<Double> v = new ArrayList<>();
        skipSpace();
        if (!peek(']')) {
            v.add(signedNumber());
            skipSpace();
            while (peek(',')) {
                pos++;
                v.add(signedNumber());
                skipSpace();
            }
        }
        expect(']');
        float[] f = new float[v.size()];
        for (int i = 0; i < f.length; i++) {
            f[i] = v.get(i).floatValue();
        }
        return f;
    }

    private String identifier() {
        int start = pos;
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (Character.isLetterOrDigit(c) || c == '_' || c == '.' || c == '/') {
                pos++;
            } else {
                break;
            }
        }
        return text.substring(start, pos);
    }

    private double signedNumber() {
        skipSpace();
        if (peek('-')) {
            pos++;
            return -number();
        }
        return number();
    }

    private double number() {
        skipSpace();
        int start = pos;
        while (pos < text.length() && (Character.isDigit(text.charAt(pos)) || text.charAt(pos) == '.' || text.charAt(pos) == 'e'
                || text.charAt(pos) == 'E' || ((text.charAt(pos) == '-' || text.charAt(pos) == '+') && pos > start
                        && Character.toLowerCase(text.charAt(pos - 1)) == 'e'))) {
            pos++;
        }
        try {
            return Double.parseDouble(text.substring(start, pos));
        } catch (NumberFormatException e) {
            throw error(start, "expected a number");
        }
    }

    private int integer() {
        skipSpace();
        int start = pos;
        while (pos < text.length() && Character.isDigit(text.charAt(pos))) {
            pos++;
        }
        if (start == pos) {
            throw error("expected a whole number (a unit index or position)");
        }
        try {
            return Integer.parseInt(text.substring(start, pos));
        } catch (NumberFormatException e) {
            throw error(start, "the number is too large");
        }
    }

    private void comma() {
        expect(',');
    }

    private void expect(char c) {
        skipSpace();
        if (!peek(c)) {
            throw error("expected '" + c + "'");
        }
        pos++;
    }

    private boolean peek(char c) {
        return pos < text.length() && text.charAt(pos) == c;
    }

    private void skipSpace() {
        while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
            pos++;
        }
    }

    private IllegalArgumentException error(String what) {
        return error(pos, what);
    }

    private IllegalArgumentException error(int at, String what) {
        return new IllegalArgumentException("in the objective '" + text + "' at character " + (at + 1) + ": " + what);
    }
}

package org.loupe.core.model;

import java.util.Comparator;
import java.util.List;

/**
 * Thrown when a hook point is named that the model does not have; the message suggests close names.
 *
 * @since 0.1
 */
public class UnknownHookPointException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    /** Creates the exception with its full message. */
    public UnknownHookPointException(String message) {
        super(message);
    }

    /**
     * Builds the exception for {@code name} on {@code model}: when {@code name} is a block whose hook
     * points are named under it ({@code blocks.3} of a ViT), those and its output; otherwise up to
     * five similar hook points.
     */
    public static UnknownHookPointException of(String name, HookedModel model) {
        List<String> names = model.hookPoints().stream().map(HookPoint::name).toList();
        if (names.isEmpty()) {
            return new UnknownHookPointException("Model '" + model.info().name() + "' has no hook points (it is a black box), so '"
                    + name + "' cannot be used. Open a model Loupe has an architecture for to look inside.");
        }
        List<String> inside = names.stream().filter(n -> n.startsWith(name + ".")).toList();
        if (!inside.isEmpty()) {
            String shown = inside.size() <= 8 ? String.join(", ", inside)
                    : String.join(", ", inside.subList(0, 7)) + ", ... (" + inside.size() + " in all)";
            return new UnknownHookPointException("Model '" + model.info().name() + "' has no hook point '" + name + "': it is a block, "
                    + "whose hook points are " + shown + " in forward order; the last, " + inside.get(inside.size() - 1) + ", is its output");
        }
        List<String> close = names.stream()
                .sorted(Comparator.comparingInt((String n) -> editDistance(name.toLowerCase(), n.toLowerCase())))
                .limit(5).toList();
        return new UnknownHookPointException("Model '" + model.info().name() + "' has no hook point '" + name
                + "'. Did you mean: " + String.join(", ", close) + "? (" + names.size()
                + " hook points; `loupe list --model ...` shows them all)");
    }

    static int editDistance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int sub = prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                cur[j] = Math.min(sub, Math.min(prev[j] + 1, cur[j - 1] + 1));
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}

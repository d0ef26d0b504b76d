package org.loupe.stimuli.render;

import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Colours as stimulus parameters: parsed from {@code #rrggbb}, {@code rrggbb}, {@code #rgb} or a
 * name ({@code black}, {@code white}, {@code gray}, {@code red}, ...), formatted as {@code #rrggbb},
 * and mixed. Colours are packed {@code 0xRRGGBB} ints.
 *
 * @since 0.1
 */
public final class Colors {

    private static final Map<String, Integer> NAMES = names();

    private Colors() {
    }

    private static Map<String, Integer> names() {
        Map<String, Integer> m = new TreeMap<>();
        m.put("black", 0x000000);
        m.put("white", 0xFFFFFF);
        m.put("gray", 0x808080);
        m.put("grey", 0x808080);
        m.put("red", 0xFF0000);
        m.put("green", 0x00FF00);
        m.put("blue", 0x0000FF);
        m.put("yellow", 0xFFFF00);
        m.put("cyan", 0x00FFFF);
        m.put("magenta", 0xFF00FF);
        m.put("orange", 0xFF8000);
        m.put("purple", 0x800080);
        return Map.copyOf(m);
    }

    /**
     * Parses a colour.
     *
     * @param parameter the parameter's name, for the error message
     * @throws IllegalArgumentException naming the parameter and the accepted forms
     */
    public static int parse(String text, String parameter) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        Integer named = NAMES.get(t);
        if (named != null) {
            return named;
        }
        String hex = t.startsWith("#") ? t.substring(1) : t;
        if (hex.length() == 3 && hex.chars().allMatch(Colors::isHex)) {
            StringBuilder b = new StringBuilder();
            for (char c : hex.toCharArray()) {
                b.append(c).append(c);
            }
            hex = b.toString();
        }
        if (hex.length() == 6 && hex.chars().allMatch(Colors::isHex)) {
            return Integer.parseInt(hex, 16);
        }
        throw new IllegalArgumentException("parameter '" + parameter + "' must be a colour (#rrggbb, rrggbb, #rgb or one of "
                + String.join(", ", new TreeMap<>(NAMES).keySet()) + "), got '" + text + "'");
    }

    private static boolean isHex(int c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
    }

    /** {@code #rrggbb}. */
    public static String format(int rgb) {
        return String.format(Locale.ROOT, "#%06x", rgb & 0xFFFFFF);
    }

    /** The gray with value {@code v} in [0, 1] (clipped), rounded to 8 bits. */
    public static int gray(double v) {
        int b = toByte(v);
        return (b << 16) | (b << 8) | b;
    }

    /** Rounds {@code v} in [0, 1] (clipped) to 0..255. */
    public static int toByte(double v) {
        return (int) Math.round(Math.max(0, Math.min(1, v)) * 255);
    }

    /** The colour {@code (1 - t) * a + t * b}, per channel, rounded. */
    public static int mix(int a, int b, double t) {
        int r = (int) Math.round(channel(a, 16) * (1 - t) + channel(b, 16) * t);
        int g = (int) Math.round(channel(a, 8) * (1 - t) + channel(b, 8) * t);
        int bl = (int) Math.round(channel(a, 0) * (1 - t) + channel(b, 0) * t);
        return (clamp(r) << 16) | (clamp(g) << 8) | clamp(bl);
    }

    /** Channel value 0..255 of a packed colour ({@code shift} 16 red, 8 green, 0 blue). */
    public static int channel(int rgb, int shift) {
        return (rgb >> shift) & 0xFF;
    }

    /** Rec. 601 luma in [0, 1] (the weights {@code ImageTensors} uses for one channel). */
    public static double luminance(int rgb) {
        return (0.299 * channel(rgb, 16) + 0.587 * channel(rgb, 8) + 0.114 * channel(rgb, 0)) / 255.0;
    }

    static int clamp(int v) {
        return Math.max(0, Math.min(255, v));
    }
}

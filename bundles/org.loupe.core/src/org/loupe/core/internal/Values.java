package org.loupe.core.internal;

/** Normalises numbers kept in results and provenance so they survive a JSON round trip unchanged. */
public final class Values {

    private Values() {
    }

    /** Integral numbers become Long, floating ones Double (floats by their shortest decimal text). */
    public static Object normalize(Object v) {
        if (v instanceof Integer || v instanceof Short || v instanceof Byte) {
            return ((Number) v).longValue();
        }
        if (v instanceof Float f) {
            return Double.parseDouble(Float.toString(f));
        }
        return v;
    }
}

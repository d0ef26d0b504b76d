package org.loupe.analysis.attention;

/** The k-th smallest value of an array in linear expected time (quickselect), for the discard ratio. */
final class Select {

    private Select() {
    }

    /** The {@code k}-th smallest value (0-based) of {@code a}, which is reordered. */
    static double kth(double[] a, int k) {
        int lo = 0;
        int hi = a.length - 1;
        while (lo < hi) {
            double pivot = a[(lo + hi) >>> 1];
            int i = lo;
            int j = hi;
            while (i <= j) {
                while (a[i] < pivot) {
                    i++;
                }
                while (a[j] > pivot) {
                    j--;
                }
                if (i <= j) {
                    double x = a[i];
                    a[i] = a[j];
                    a[j] = x;
                    i++;
                    j--;
                }
            }
            if (k <= j) {
                hi = j;
            } else if (k >= i) {
                lo = i;
            } else {
                return a[k];
            }
        }
        return a[k];
    }
}

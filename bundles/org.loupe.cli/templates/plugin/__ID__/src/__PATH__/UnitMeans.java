package __ID__;

import java.util.Arrays;

import org.loupe.core.result.Result;

/**
 * The plug-in's own result type: the mean and the peak activation of each unit of one hook point.
 * Stored by {@link UnitMeansCodec} (declared with it in {@code plugin.xml}) and shown by the view
 * of the {@code __ID__.ui} bundle.
 *
 * @param title     the title
 * @param hookPoint the hook point's name
 * @param mean      the mean activation of each unit
 * @param peak      the largest activation of each unit
 */
public record UnitMeans(String title, String hookPoint, double[] mean, double[] peak) implements Result {

    /** Validates and copies. */
    public UnitMeans {
        if (mean.length != peak.length) {
            throw new IllegalArgumentException("unit means need as many means as peaks, got " + mean.length + " and " + peak.length);
        }
        mean = mean.clone();
        peak = peak.clone();
    }

    /** The number of units. */
    public int units() {
        return mean.length;
    }

    @Override
    public double[] mean() {
        return mean.clone();
    }

    @Override
    public double[] peak() {
        return peak.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof UnitMeans m && m.title.equals(title) && m.hookPoint.equals(hookPoint) && Arrays.equals(m.mean, mean)
                && Arrays.equals(m.peak, peak);
    }

    @Override
    public int hashCode() {
        return (title.hashCode() * 31 + hookPoint.hashCode()) * 31 + Arrays.hashCode(mean);
    }

    @Override
    public String toString() {
        return "UnitMeans[" + hookPoint + ", " + mean.length + " units]";
    }
}

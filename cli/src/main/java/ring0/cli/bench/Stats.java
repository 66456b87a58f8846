package ring0.cli.bench;

import java.util.Arrays;
import java.util.Collection;

/** Order statistics of measurements. */
final class Stats {
    private Stats() {}

    /** The median (the mean of the two middle values for an even count). */
    static double median(Collection<Double> values) {
        return quantile(values, 0.5);
    }

    /**
     * The {@code q}-quantile by linear interpolation between order statistics
     * (q = 0.25 is the lower quartile).
     *
     * @throws IllegalArgumentException if there are no values or q is outside 0..1
     */
    static double quantile(Collection<Double> values, double q) {
        if (values.isEmpty()) throw new IllegalArgumentException("no values");
        if (!(q >= 0 && q <= 1)) throw new IllegalArgumentException("quantile " + q);
        double[] v = values.stream().mapToDouble(Double::doubleValue).toArray();
        Arrays.sort(v);
        double pos = q * (v.length - 1);
        int lo = (int) Math.floor(pos), hi = (int) Math.ceil(pos);
        return v[lo] + (v[hi] - v[lo]) * (pos - lo);
    }
}

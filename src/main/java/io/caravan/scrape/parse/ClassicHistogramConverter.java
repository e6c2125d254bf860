package io.caravan.scrape.parse;

import io.caravan.model.NativeHistogram;
import io.caravan.model.NativeHistogram.ResetHint;
import java.util.Arrays;

/**
 * One classic histogram's buckets, count and sum, gathered series by series, made into a native histogram with
 * custom buckets (NHCB) as Prometheus' convertnhcb.TempHistogram makes it.
 *
 * <p>The rules: buckets are cumulative counts by upper bound, kept sorted (a bound seen twice keeps its first count);
 * a NaN bound, a negative count, or a bucket count below the one of a lower bound or above the one of a higher bound
 * spoils the histogram. Without a {@code _count} the count is the highest bucket's; without a {@code +Inf} bucket
 * one holding the count is added. The result has integer counts when every bucket count and the count are whole
 * numbers, else float counts; its custom bounds are the finite bounds in order ({@code +Inf} is implied); a count
 * that differs from the {@code +Inf} bucket's spoils it, and so does a negative bucket (a count below the last finite
 * bucket's, which Prometheus' Validate refuses). Empty buckets are compacted away as Prometheus' {@code Compact(2)}
 * (integer) and {@code Compact(0)} (float) do.
 */
final class ClassicHistogramConverter {

    /** Doubles from 2^63 on are no int64: Go's conversion (on amd64) makes them unequal to themselves. */
    private static final double TWO_TO_63 = 0x1p63;
    private static final double TWO_TO_64 = 0x1p64;

    private double[] bounds = new double[16];
    private double[] counts = new double[16];
    private int n;
    private double count;
    private boolean hasCount;
    private double sum;
    private String error;
    private double[] absolute = new double[16];
    private final int[] oneSpan = new int[2]; // the buckets before compaction: one span from index 0
    private final NativeBucketCompaction compaction = new NativeBucketCompaction();

    void reset() {
        n = 0;
        count = 0;
        hasCount = false;
        sum = 0;
        error = null;
    }

    /** Why the histogram cannot be converted, or null. */
    String error() {
        return error;
    }

    void bucket(double upperBound, double cumulativeCount) {
        if (error != null) {
            return;
        }
        if (Double.isNaN(upperBound)) {
            error = "bucket boundary must not be NaN";
            return;
        }
        if (cumulativeCount < 0) {
            error = "bucket count must be non-negative: le=" + upperBound + ", count=" + cumulativeCount;
            return;
        }
        // bounds usually come in ascending order: append; else insert in place
        int i = n;
        while (i > 0 && bounds[i - 1] > upperBound) {
            i--;
        }
        if (i > 0 && bounds[i - 1] == upperBound) {
            return; // a duplicate sample
        }
        if (i > 0 && cumulativeCount < counts[i - 1]) {
            error = "count is not cumulative: " + cumulativeCount + " < " + counts[i - 1];
            return;
        }
        if (i < n && cumulativeCount > counts[i]) {
            error = "count is not cumulative: " + cumulativeCount + " > " + counts[i];
            return;
        }
        if (n == bounds.length) {
            bounds = Arrays.copyOf(bounds, n * 2);
            counts = Arrays.copyOf(counts, n * 2);
        }
        System.arraycopy(bounds, i, bounds, i + 1, n - i);
        System.arraycopy(counts, i, counts, i + 1, n - i);
        bounds[i] = upperBound;
        counts[i] = cumulativeCount;
        n++;
    }

    void count(double value) {
        if (error != null) {
            return;
        }
        if (value < 0) {
            error = "count must be non-negative: count=" + value;
            return;
        }
        count = value;
        hasCount = true;
    }

    void sum(double value) {
        if (error == null) {
            sum = value;
        }
    }

    /** The NHCB of what was gathered, or null when it cannot be one ({@link #error()} then says why). */
    NativeHistogram convert(ResetHint hint) {
        if (error != null) {
            return null;
        }
        double total = hasCount || n == 0 ? count : counts[n - 1];
        int buckets = n;
        boolean addInf = n == 0 || bounds[n - 1] != Double.POSITIVE_INFINITY;
        if (addInf) {
            buckets++;
        }
        double last = addInf ? total : counts[n - 1];
        if (total != last) {
            error = "count mismatch: count=" + total + " != le=+Inf count=" + last;
            return null;
        }
        boolean integer = total >= 0 && total < TWO_TO_64 && total == Math.rint(total);
        for (int i = 0; i < n && integer; i++) {
            integer = isInt64(counts[i]);
        }
        integer &= isInt64(last);
        if (absolute.length < buckets) {
            absolute = new double[Math.max(buckets, absolute.length * 2)];
        }
        double previous = 0;
        for (int i = 0; i < buckets; i++) {
            double c = i < n ? counts[i] : last;
            // integer: Go subtracts as int64, exact where doubles would round
            double own = integer ? (double) ((long) c - (long) previous) : c - previous;
            if (own < 0) {
                error = "bucket " + (i + 1) + " has observation count of " + own;
                return null;
            }
            absolute[i] = own;
            previous = c;
        }
        oneSpan[1] = buckets;
        compaction.compact(oneSpan, 1, absolute, integer ? 2 : 0);
        double[] customValues = Arrays.copyOf(bounds, buckets - 1); // all but the +Inf bucket's
        return new NativeHistogram(!integer, hint, NativeHistogram.CUSTOM_BUCKETS_SCHEMA, 0, 0, total, sum, null, null,
                compaction.spans(), compaction.counts(), customValues);
    }

    private static boolean isInt64(double v) {
        return v >= -TWO_TO_63 && v < TWO_TO_63 && v == Math.rint(v);
    }
}

package io.caravan.model;

import java.util.Arrays;

/**
 * A native histogram's value at one instant, as remote_write's {@code prometheus.Histogram} carries it: the
 * count, sum and zero bucket, and the populated buckets as spans ({@code offset, length} pairs: a span's
 * first bucket index is the previous span's end plus its offset) with one absolute count per bucket.
 * Exponential buckets have a schema from -4 to 8 (bucket i's upper bound is 2^(i * 2^-schema)); custom buckets
 * (schema {@link #CUSTOM_BUCKETS_SCHEMA}) have their upper bounds in {@code customValues}, indexed from 0.
 *
 * @param floatCounts whether the counts are floats (Prometheus' FloatHistogram); else they are whole numbers,
 *                    sent as integers and bucket deltas
 */
public record NativeHistogram(boolean floatCounts, ResetHint resetHint, int schema, double zeroThreshold, double zeroCount,
                              double count, double sum, int[] negativeSpans, double[] negativeCounts, int[] positiveSpans,
                              double[] positiveCounts, double[] customValues) {

    /** The schema of custom bucket histograms (NHCB). */
    public static final int CUSTOM_BUCKETS_SCHEMA = -53;

    private static final int[] NO_SPANS = new int[0];
    private static final double[] NO_COUNTS = new double[0];

    /** remote_write's reset hint: what a receiver may assume about counter resets. */
    public enum ResetHint { UNKNOWN, YES, NO, GAUGE }

    public NativeHistogram {
        negativeSpans = negativeSpans == null ? NO_SPANS : negativeSpans;
        negativeCounts = negativeCounts == null ? NO_COUNTS : negativeCounts;
        positiveSpans = positiveSpans == null ? NO_SPANS : positiveSpans;
        positiveCounts = positiveCounts == null ? NO_COUNTS : positiveCounts;
        customValues = customValues == null ? NO_COUNTS : customValues;
        if (negativeSpans.length % 2 != 0 || positiveSpans.length % 2 != 0) {
            throw new IllegalArgumentException("spans are offset, length pairs");
        }
        if (bucketCount(negativeSpans) != negativeCounts.length || bucketCount(positiveSpans) != positiveCounts.length) {
            throw new IllegalArgumentException("the spans cover " + bucketCount(negativeSpans) + " negative and "
                    + bucketCount(positiveSpans) + " positive buckets, the counts " + negativeCounts.length + " and "
                    + positiveCounts.length);
        }
        if (schema == CUSTOM_BUCKETS_SCHEMA ? negativeCounts.length > 0 : customValues.length > 0) {
            throw new IllegalArgumentException(schema == CUSTOM_BUCKETS_SCHEMA
                    ? "a custom buckets histogram has no negative buckets" : "custom bounds belong to schema " + CUSTOM_BUCKETS_SCHEMA);
        }
    }

    /** The lowest exponential schema: each bucket 2^16 times as wide as the last. */
    public static final int MIN_EXPONENTIAL_SCHEMA = -4;

    /**
     * This histogram at a lower exponential schema, as Prometheus' ReduceResolution: bucket i at schema s falls in
     * bucket ((i - 1) >> (s - target)) + 1 at the target, the counts of buckets that meet are added, and the spans
     * follow the buckets that remain. Only for exponential schemas, and only to a lower one.
     */
    public NativeHistogram reduceResolution(int targetSchema) {
        if (customBuckets() || targetSchema >= schema || targetSchema < MIN_EXPONENTIAL_SCHEMA) {
            throw new IllegalArgumentException("cannot reduce schema " + schema + " to " + targetSchema);
        }
        Buckets negative = Buckets.reduce(negativeSpans, negativeCounts, schema - targetSchema);
        Buckets positive = Buckets.reduce(positiveSpans, positiveCounts, schema - targetSchema);
        return new NativeHistogram(floatCounts, resetHint, targetSchema, zeroThreshold, zeroCount, count, sum,
                negative.spans, negative.counts, positive.spans, positive.counts, customValues);
    }

    /** One side's spans and counts. */
    private record Buckets(int[] spans, double[] counts) {

        /** The buckets merged by 2^delta, in order: index i goes to ((i - 1) >> delta) + 1. */
        static Buckets reduce(int[] spans, double[] counts, int delta) {
            int[] outSpans = new int[spans.length];
            double[] outCounts = new double[counts.length];
            int spanCount = 0;
            int n = 0;
            int lastTarget = 0;
            int index = 0;
            int c = 0;
            for (int s = 0; s < spans.length; s += 2) {
                index += spans[s];
                for (int k = 0; k < spans[s + 1]; k++, index++, c++) {
                    int target = ((index - 1) >> delta) + 1;
                    if (n > 0 && target == lastTarget) {
                        outCounts[n - 1] += counts[c];
                        continue;
                    }
                    if (n > 0 && target == lastTarget + 1) {
                        outSpans[spanCount - 1]++; // the next bucket: the span grows
                    } else {
                        outSpans[spanCount] = n == 0 ? target : target - lastTarget - 1;
                        outSpans[spanCount + 1] = 1;
                        spanCount += 2;
                    }
                    outCounts[n++] = counts[c];
                    lastTarget = target;
                }
            }
            return new Buckets(java.util.Arrays.copyOf(outSpans, spanCount), java.util.Arrays.copyOf(outCounts, n));
        }
    }

    public boolean customBuckets() {
        return schema == CUSTOM_BUCKETS_SCHEMA;
    }

    /** Populated buckets, the zero bucket not counted. */
    public int bucketCount() {
        return negativeCounts.length + positiveCounts.length;
    }

    private static int bucketCount(int[] spans) {
        int n = 0;
        for (int i = 1; i < spans.length; i += 2) {
            if (spans[i] < 0) {
                throw new IllegalArgumentException("a span's length is negative: " + spans[i]);
            }
            n += spans[i];
        }
        return n;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NativeHistogram h && floatCounts == h.floatCounts && resetHint == h.resetHint && schema == h.schema
                && Double.compare(zeroThreshold, h.zeroThreshold) == 0 && Double.compare(zeroCount, h.zeroCount) == 0
                && Double.compare(count, h.count) == 0 && Double.doubleToRawLongBits(sum) == Double.doubleToRawLongBits(h.sum)
                && Arrays.equals(negativeSpans, h.negativeSpans) && Arrays.equals(negativeCounts, h.negativeCounts)
                && Arrays.equals(positiveSpans, h.positiveSpans) && Arrays.equals(positiveCounts, h.positiveCounts)
                && Arrays.equals(customValues, h.customValues);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(new Object[]{floatCounts, resetHint, schema, zeroThreshold, zeroCount, count, sum,
                Arrays.hashCode(negativeSpans), Arrays.hashCode(negativeCounts), Arrays.hashCode(positiveSpans),
                Arrays.hashCode(positiveCounts), Arrays.hashCode(customValues)});
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("{count:").append(count).append(", sum:").append(sum).append(", schema:").append(schema);
        if (zeroCount != 0 || zeroThreshold != 0) {
            sb.append(", zero:").append(zeroCount).append("@").append(zeroThreshold);
        }
        if (negativeCounts.length > 0) {
            sb.append(", negative:").append(Arrays.toString(negativeSpans)).append(Arrays.toString(negativeCounts));
        }
        if (positiveCounts.length > 0) {
            sb.append(", positive:").append(Arrays.toString(positiveSpans)).append(Arrays.toString(positiveCounts));
        }
        if (customValues.length > 0) {
            sb.append(", bounds:").append(Arrays.toString(customValues));
        }
        if (floatCounts) {
            sb.append(", float");
        }
        if (resetHint != ResetHint.UNKNOWN) {
            sb.append(", hint:").append(resetHint);
        }
        return sb.append('}').toString();
    }
}

package io.caravan.scrape.parse;

import java.util.Arrays;

/**
 * Prometheus' {@code Compact(0)}, which its protobuf parser applies to every native histogram it returns: spans of
 * length 0 go (their offset carried to the next span), a span at offset 0 joins the one before it, and every empty
 * bucket (absolute count 0) is cut out, splitting its span. The exposition's no-op span {@code (0, 0)} of an empty
 * histogram thus leaves no span at all. Counts are absolute; the result arrays are new, as the histogram keeps them.
 *
 * <p>{@code Compact(n)} for n above 0 (a classic histogram converted to custom buckets with integer counts gets
 * {@code Compact(2)}) differs in one way: a run of at most n empty or missing buckets between two populated ones is
 * kept, as zero counts inside one span, rather than cut. Empty buckets at either end still go.
 */
final class NativeBucketCompaction {

    private int[] spans = new int[16];
    private double[] counts = new double[32];
    private int spanCount;
    private int bucketCount;

    /**
     * Compacts {@code inSpanCount} spans ({@code offset, length} pairs) over {@code absolute}'s buckets, whose number
     * the caller has checked against the spans.
     */
    void compact(int[] inSpans, int inSpanCount, double[] absolute) {
        compact(inSpans, inSpanCount, absolute, 0);
    }

    /** As {@link #compact(int[], int, double[])}, keeping gaps of up to {@code maxEmptyBuckets} between populated buckets. */
    void compact(int[] inSpans, int inSpanCount, double[] absolute, int maxEmptyBuckets) {
        spanCount = 0;
        bucketCount = 0;
        long gap = 0; // buckets between the end of the last span written and the next bucket
        boolean open = false; // whether the next bucket would extend the last span written
        int b = 0;
        for (int s = 0; s < inSpanCount; s++) {
            int offset = inSpans[2 * s];
            long length = Integer.toUnsignedLong(inSpans[2 * s + 1]);
            if (offset != 0) {
                open = false;
                gap += offset;
            }
            for (long k = 0; k < length; k++) {
                double c = absolute[b++];
                if (c == 0) {
                    open = false;
                    gap++;
                } else if (open) {
                    spans[2 * spanCount - 1]++;
                    addCount(c);
                } else if (bucketCount > 0 && gap > 0 && gap <= maxEmptyBuckets) {
                    // a short gap: filled with zeros, the span goes on
                    for (long z = 0; z < gap; z++) {
                        addCount(0);
                    }
                    spans[2 * spanCount - 1] += (int) gap + 1;
                    addCount(c);
                    gap = 0;
                    open = true;
                } else {
                    addSpan((int) gap);
                    addCount(c);
                    gap = 0;
                    open = true;
                }
            }
        }
    }

    int[] spans() {
        return Arrays.copyOf(spans, 2 * spanCount);
    }

    double[] counts() {
        return Arrays.copyOf(counts, bucketCount);
    }

    private void addSpan(int offset) {
        if (2 * spanCount + 2 > spans.length) {
            spans = Arrays.copyOf(spans, spans.length * 2);
        }
        spans[2 * spanCount] = offset;
        spans[2 * spanCount + 1] = 1;
        spanCount++;
    }

    private void addCount(double c) {
        if (bucketCount == counts.length) {
            counts = Arrays.copyOf(counts, bucketCount * 2);
        }
        counts[bucketCount++] = c;
    }
}

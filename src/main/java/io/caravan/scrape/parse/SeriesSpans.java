package io.caravan.scrape.parse;

import io.caravan.model.Labels;
import io.caravan.scrape.parse.ExpositionParser.MetricType;
import java.util.Arrays;

/**
 * Where the metric name and each label name and value of the current series lie in the buffer, recorded
 * while next() scans the line so that labels() can build Strings later, and only if asked.
 */
final class SeriesSpans {

    static final String METRIC_NAME_LABEL = "__name__";

    // per label: nameStart, nameEnd, valueStart, valueEnd, flags
    private static final int STRIDE = 5;
    private static final int NAME_ESCAPED = 1;
    private static final int VALUE_ESCAPED = 2;

    private int nameStart = -1;
    private int nameEnd;
    private boolean nameEscaped;
    private int[] spans = new int[STRIDE * 32];
    private int count;

    void clear() {
        nameStart = -1;
        count = 0;
    }

    boolean hasName() {
        return nameStart >= 0;
    }

    void setName(int start, int end, boolean escaped) {
        nameStart = start;
        nameEnd = end;
        nameEscaped = escaped;
    }

    void addLabel(int nStart, int nEnd, boolean nEscaped, int vStart, int vEnd, boolean vEscaped) {
        int at = count * STRIDE;
        if (at + STRIDE > spans.length) {
            spans = Arrays.copyOf(spans, spans.length * 2);
        }
        spans[at] = nStart;
        spans[at + 1] = nEnd;
        spans[at + 2] = vStart;
        spans[at + 3] = vEnd;
        spans[at + 4] = (nEscaped ? NAME_ESCAPED : 0) | (vEscaped ? VALUE_ESCAPED : 0);
        count++;
    }

    int labelCount() {
        return count;
    }

    int labelNameStart(int i) {
        return spans[i * STRIDE];
    }

    int nameStart() {
        return nameStart;
    }

    int nameEnd() {
        return nameEnd;
    }

    /**
     * Whether this series and other (both in b) have the same label pairs in the same order, compared as raw bytes,
     * leaving out the label named skip (null: none) on both sides.
     */
    boolean sameLabels(byte[] b, SeriesSpans other, String skip) {
        int i = 0;
        int j = 0;
        while (true) {
            i = nextLabel(b, i, skip);
            j = other.nextLabel(b, j, skip);
            if (i == count || j == other.count) {
                return i == count && j == other.count;
            }
            int a = i * STRIDE;
            int o = j * STRIDE;
            if (!Arrays.equals(b, spans[a], spans[a + 1], b, other.spans[o], other.spans[o + 1])
                    || !Arrays.equals(b, spans[a + 2], spans[a + 3], b, other.spans[o + 2], other.spans[o + 3])) {
                return false;
            }
            i++;
            j++;
        }
    }

    /** The first label from i on whose raw name is not skip; count when none. */
    private int nextLabel(byte[] b, int i, String skip) {
        while (i < count && skip != null && ByteScanning.equalsAscii(b, spans[i * STRIDE], spans[i * STRIDE + 1], skip)) {
            i++;
        }
        return i;
    }

    /**
     * Index of the first label whose raw name repeats an earlier one or is {@code __name__} (the name is
     * always given outside the braces or quoted), or -1. Label sets are small: pairwise is cheapest.
     */
    int duplicateLabel(byte[] b) {
        for (int i = 0; i < count; i++) {
            int s = spans[i * STRIDE];
            int e = spans[i * STRIDE + 1];
            if (ByteScanning.equalsAscii(b, s, e, METRIC_NAME_LABEL)) {
                return i;
            }
            int len = e - s;
            for (int j = 0; j < i; j++) {
                int s2 = spans[j * STRIDE];
                int e2 = spans[j * STRIDE + 1];
                if (e2 - s2 == len && b[s] == b[s2] && Arrays.equals(b, s, e, b, s2, e2)) {
                    return i;
                }
            }
        }
        return -1;
    }

    String labelName(byte[] b, int i, StringCache names) {
        int at = i * STRIDE;
        if ((spans[at + 4] & NAME_ESCAPED) != 0) {
            return ByteScanning.unescape(b, spans[at], spans[at + 1], true);
        }
        return names.get(b, spans[at], spans[at + 1]);
    }

    String metricName(byte[] b, StringCache names) {
        return nameEscaped ? ByteScanning.unescape(b, nameStart, nameEnd, true) : names.get(b, nameStart, nameEnd);
    }

    /** Adds __name__ and the labels, unescaped, with le/quantile normalised under the given TYPE. */
    void writeTo(byte[] b, Labels.Builder into, MetricType type, StringCache names, StringCache values,
                 ClassicBucketLabels buckets) {
        into.set(METRIC_NAME_LABEL, metricName(b, names));
        writeLabelsTo(b, into, type, names, values, buckets);
    }

    /** The label pairs only (an exemplar's: no metric name), le and quantile normalised by the type's rule. */
    void writeLabelsTo(byte[] b, Labels.Builder into, MetricType type, StringCache names, StringCache values,
                       ClassicBucketLabels buckets) {
        for (int i = 0; i < count; i++) {
            int at = i * STRIDE;
            String name = labelName(b, i, names);
            String value = (spans[at + 4] & VALUE_ESCAPED) != 0
                    ? ByteScanning.unescape(b, spans[at + 2], spans[at + 3], true)
                    : values.get(b, spans[at + 2], spans[at + 3]);
            if (ClassicBucketLabels.applies(type, name)) {
                value = buckets.normalize(value);
            }
            into.set(name, value);
        }
    }
}

package io.caravan.scrape.parse;

import io.caravan.wire.ProtoReader;
import java.util.Arrays;

/**
 * One {@code io.prometheus.client.Metric} message decoded in place: its labels as offsets into the body, and the
 * fields of every value it carries (gauge, counter, summary, untyped, histogram) in arrays reused from metric to
 * metric. Nested messages that appear twice merge, as in the Go decoder Prometheus uses (later scalars win, repeated
 * fields append). Exemplars are checked here and kept as offsets; {@link #readExemplar} builds one on demand.
 *
 * <p>Malformed input throws {@link IllegalArgumentException}, which the parser turns into its parse error.
 */
final class ProtobufMetric {

    // Metric
    static final int LABEL = 1;
    static final int GAUGE = 2;
    static final int COUNTER = 3;
    static final int SUMMARY = 4;
    static final int UNTYPED = 5;
    static final int TIMESTAMP_MS = 6;
    static final int HISTOGRAM = 7;

    private static final int NO_EXEMPLAR = -1;

    // labels: nameStart, nameEnd, valueStart, valueEnd per label; order sorts them by name
    int[] labels = new int[4 * 16];
    int labelCount;
    int[] order = new int[16];

    boolean hasGauge;
    boolean hasCounter;
    boolean hasSummary;
    boolean hasUntyped;
    boolean hasHistogram;
    long timestampMs;

    double gaugeValue;
    double untypedValue;
    double counterValue;
    long counterStartMs;
    int counterExemplarStart;
    int counterExemplarEnd;

    long summaryCount; // uint64
    double summarySum;
    long summaryStartMs;
    double[] quantiles = new double[8];
    double[] quantileValues = new double[8];
    int quantileCount;

    long sampleCount; // uint64
    double sampleCountFloat;
    double sampleSum;
    long histogramStartMs;
    int schema;
    double zeroThreshold;
    long zeroCount; // uint64
    double zeroCountFloat;
    long[] cumulativeCounts = new long[16];
    double[] cumulativeCountsFloat = new double[16];
    double[] upperBounds = new double[16];
    int[] bucketExemplars = new int[3 * 16]; // start, end, has timestamp
    int bucketCount;
    final Side positive = new Side();
    final Side negative = new Side();
    int[] exemplars = new int[3 * 4]; // start, end, has timestamp
    int exemplarCount;

    /** One side of a native histogram: spans (offset, length pairs) and deltas or float counts. */
    static final class Side {
        int[] spans = new int[8];
        int spanCount;
        long[] deltas = new long[16];
        int deltaCount;
        double[] counts = new double[16];
        int countCount;

        void clear() {
            spanCount = 0;
            deltaCount = 0;
            countCount = 0;
        }

        /** What the spans' lengths add up to (a length is a uint32). */
        long spannedBuckets() {
            long n = 0;
            for (int i = 0; i < spanCount; i++) {
                n += Integer.toUnsignedLong(spans[2 * i + 1]);
            }
            return n;
        }
    }

    /** Decodes the metric in {@code r}'s current range (all of it). */
    void decode(ProtoReader r) {
        clear();
        byte[] b = r.buffer();
        while (r.hasRemaining()) {
            int tag = r.readTag();
            switch (ProtoReader.fieldNumber(tag)) {
                case LABEL -> {
                    expect(tag, ProtoReader.LEN, "Metric.label");
                    int outer = r.enter();
                    labelPair(r, b);
                    r.exit(outer);
                }
                case GAUGE -> {
                    expect(tag, ProtoReader.LEN, "Metric.gauge");
                    hasGauge = true;
                    int outer = r.enter();
                    gaugeValue = singleValue(r, "Gauge.value", gaugeValue);
                    r.exit(outer);
                }
                case UNTYPED -> {
                    expect(tag, ProtoReader.LEN, "Metric.untyped");
                    hasUntyped = true;
                    int outer = r.enter();
                    untypedValue = singleValue(r, "Untyped.value", untypedValue);
                    r.exit(outer);
                }
                case COUNTER -> {
                    expect(tag, ProtoReader.LEN, "Metric.counter");
                    hasCounter = true;
                    int outer = r.enter();
                    counter(r);
                    r.exit(outer);
                }
                case SUMMARY -> {
                    expect(tag, ProtoReader.LEN, "Metric.summary");
                    hasSummary = true;
                    int outer = r.enter();
                    summary(r);
                    r.exit(outer);
                }
                case HISTOGRAM -> {
                    expect(tag, ProtoReader.LEN, "Metric.histogram");
                    hasHistogram = true;
                    int outer = r.enter();
                    histogram(r);
                    r.exit(outer);
                }
                case TIMESTAMP_MS -> {
                    expect(tag, ProtoReader.VARINT, "Metric.timestamp_ms");
                    timestampMs = r.readVarint();
                }
                default -> r.skipField(tag);
            }
        }
        sortLabels(b);
    }

    private void clear() {
        labelCount = 0;
        hasGauge = hasCounter = hasSummary = hasUntyped = hasHistogram = false;
        timestampMs = 0;
        gaugeValue = untypedValue = counterValue = 0;
        counterStartMs = 0;
        counterExemplarStart = NO_EXEMPLAR;
        summaryCount = 0;
        summarySum = 0;
        summaryStartMs = 0;
        quantileCount = 0;
        sampleCount = 0;
        sampleCountFloat = 0;
        sampleSum = 0;
        histogramStartMs = 0;
        schema = 0;
        zeroThreshold = 0;
        zeroCount = 0;
        zeroCountFloat = 0;
        bucketCount = 0;
        positive.clear();
        negative.clear();
        exemplarCount = 0;
    }

    // labels

    private void labelPair(ProtoReader r, byte[] b) {
        int nameStart = r.position();
        int nameEnd = nameStart;
        int valueStart = nameStart;
        int valueEnd = nameStart;
        while (r.hasRemaining()) {
            int tag = r.readTag();
            switch (ProtoReader.fieldNumber(tag)) {
                case 1 -> {
                    expect(tag, ProtoReader.LEN, "LabelPair.name");
                    int len = r.readLength();
                    nameStart = r.position();
                    nameEnd = nameStart + len;
                    r.skipBytes(len);
                }
                case 2 -> {
                    expect(tag, ProtoReader.LEN, "LabelPair.value");
                    int len = r.readLength();
                    valueStart = r.position();
                    valueEnd = valueStart + len;
                    r.skipBytes(len);
                    if (!ByteScanning.isValidUtf8(b, valueStart, valueEnd)) {
                        throw new IllegalArgumentException("invalid label value: not valid UTF-8");
                    }
                }
                default -> r.skipField(tag);
            }
        }
        // Prometheus' UTF-8 name validation: any non-empty valid UTF-8
        if (nameStart == nameEnd || !ByteScanning.isValidUtf8(b, nameStart, nameEnd)) {
            throw new IllegalArgumentException("invalid label name \"" + ByteScanning.token(b, nameStart, nameEnd) + "\"");
        }
        int at = labelCount * 4;
        if (at + 4 > labels.length) {
            labels = Arrays.copyOf(labels, labels.length * 2);
        }
        labels[at] = nameStart;
        labels[at + 1] = nameEnd;
        labels[at + 2] = valueStart;
        labels[at + 3] = valueEnd;
        labelCount++;
    }

    /** Sorts the labels by name, as Prometheus orders a label set, and rejects a repeated name or {@code __name__}. */
    private void sortLabels(byte[] b) {
        if (order.length < labelCount) {
            order = new int[Math.max(labelCount, order.length * 2)];
        }
        for (int i = 0; i < labelCount; i++) {
            int j = i;
            while (j > 0 && compareNames(b, order[j - 1], i) > 0) {
                order[j] = order[j - 1];
                j--;
            }
            order[j] = i;
        }
        for (int i = 0; i < labelCount; i++) {
            int l = order[i];
            if (ByteScanning.equalsAscii(b, labels[4 * l], labels[4 * l + 1], SeriesSpans.METRIC_NAME_LABEL)
                    || (i > 0 && compareNames(b, order[i - 1], l) == 0)) {
                throw new IllegalArgumentException("duplicate label name \"" + ByteScanning.token(b, labels[4 * l], labels[4 * l + 1]) + "\"");
            }
        }
    }

    private int compareNames(byte[] b, int x, int y) {
        return Arrays.compareUnsigned(b, labels[4 * x], labels[4 * x + 1], b, labels[4 * y], labels[4 * y + 1]);
    }

    int labelNameStart(int sorted) {
        return labels[4 * order[sorted]];
    }

    int labelNameEnd(int sorted) {
        return labels[4 * order[sorted] + 1];
    }

    int labelValueStart(int sorted) {
        return labels[4 * order[sorted] + 2];
    }

    int labelValueEnd(int sorted) {
        return labels[4 * order[sorted] + 3];
    }

    // values

    private static double singleValue(ProtoReader r, String field, double value) {
        while (r.hasRemaining()) {
            int tag = r.readTag();
            if (ProtoReader.fieldNumber(tag) == 1) {
                expect(tag, ProtoReader.FIXED64, field);
                value = r.readDouble();
            } else {
                r.skipField(tag);
            }
        }
        return value;
    }

    private void counter(ProtoReader r) {
        while (r.hasRemaining()) {
            int tag = r.readTag();
            switch (ProtoReader.fieldNumber(tag)) {
                case 1 -> {
                    expect(tag, ProtoReader.FIXED64, "Counter.value");
                    counterValue = r.readDouble();
                }
                case 2 -> {
                    expect(tag, ProtoReader.LEN, "Counter.exemplar");
                    int outer = r.enter();
                    int start = r.position();
                    checkExemplar(r);
                    r.exit(outer);
                    counterExemplarStart = start;
                    counterExemplarEnd = r.position();
                }
                case 3 -> {
                    expect(tag, ProtoReader.LEN, "Counter.start_timestamp");
                    counterStartMs = timestampMs(r);
                }
                default -> r.skipField(tag);
            }
        }
    }

    boolean hasCounterExemplar() {
        return counterExemplarStart != NO_EXEMPLAR;
    }

    private void summary(ProtoReader r) {
        while (r.hasRemaining()) {
            int tag = r.readTag();
            switch (ProtoReader.fieldNumber(tag)) {
                case 1 -> {
                    expect(tag, ProtoReader.VARINT, "Summary.sample_count");
                    summaryCount = r.readVarint();
                }
                case 2 -> {
                    expect(tag, ProtoReader.FIXED64, "Summary.sample_sum");
                    summarySum = r.readDouble();
                }
                case 3 -> {
                    expect(tag, ProtoReader.LEN, "Summary.quantile");
                    int outer = r.enter();
                    quantile(r);
                    r.exit(outer);
                }
                case 4 -> {
                    expect(tag, ProtoReader.LEN, "Summary.start_timestamp");
                    summaryStartMs = timestampMs(r);
                }
                default -> r.skipField(tag);
            }
        }
    }

    private void quantile(ProtoReader r) {
        double q = 0;
        double v = 0;
        while (r.hasRemaining()) {
            int tag = r.readTag();
            switch (ProtoReader.fieldNumber(tag)) {
                case 1 -> {
                    expect(tag, ProtoReader.FIXED64, "Quantile.quantile");
                    q = r.readDouble();
                }
                case 2 -> {
                    expect(tag, ProtoReader.FIXED64, "Quantile.value");
                    v = r.readDouble();
                }
                default -> r.skipField(tag);
            }
        }
        if (quantileCount == quantiles.length) {
            quantiles = Arrays.copyOf(quantiles, quantileCount * 2);
            quantileValues = Arrays.copyOf(quantileValues, quantileCount * 2);
        }
        quantiles[quantileCount] = q;
        quantileValues[quantileCount] = v;
        quantileCount++;
    }

    private void histogram(ProtoReader r) {
        while (r.hasRemaining()) {
            int tag = r.readTag();
            switch (ProtoReader.fieldNumber(tag)) {
                case 1 -> {
                    expect(tag, ProtoReader.VARINT, "Histogram.sample_count");
                    sampleCount = r.readVarint();
                }
                case 2 -> {
                    expect(tag, ProtoReader.FIXED64, "Histogram.sample_sum");
                    sampleSum = r.readDouble();
                }
                case 3 -> {
                    expect(tag, ProtoReader.LEN, "Histogram.bucket");
                    int outer = r.enter();
                    bucket(r);
                    r.exit(outer);
                }
                case 4 -> {
                    expect(tag, ProtoReader.FIXED64, "Histogram.sample_count_float");
                    sampleCountFloat = r.readDouble();
                }
                case 5 -> {
                    expect(tag, ProtoReader.VARINT, "Histogram.schema");
                    schema = r.readSint32();
                }
                case 6 -> {
                    expect(tag, ProtoReader.FIXED64, "Histogram.zero_threshold");
                    zeroThreshold = r.readDouble();
                }
                case 7 -> {
                    expect(tag, ProtoReader.VARINT, "Histogram.zero_count");
                    zeroCount = r.readVarint();
                }
                case 8 -> {
                    expect(tag, ProtoReader.FIXED64, "Histogram.zero_count_float");
                    zeroCountFloat = r.readDouble();
                }
                case 9 -> span(r, tag, negative, "Histogram.negative_span");
                case 10 -> deltas(r, tag, negative, "Histogram.negative_delta");
                case 11 -> counts(r, tag, negative, "Histogram.negative_count");
                case 12 -> span(r, tag, positive, "Histogram.positive_span");
                case 13 -> deltas(r, tag, positive, "Histogram.positive_delta");
                case 14 -> counts(r, tag, positive, "Histogram.positive_count");
                case 15 -> {
                    expect(tag, ProtoReader.LEN, "Histogram.start_timestamp");
                    histogramStartMs = timestampMs(r);
                }
                case 16 -> {
                    expect(tag, ProtoReader.LEN, "Histogram.exemplars");
                    int outer = r.enter();
                    int start = r.position();
                    boolean hasTs = checkExemplar(r);
                    r.exit(outer);
                    if (3 * exemplarCount + 3 > exemplars.length) {
                        exemplars = Arrays.copyOf(exemplars, exemplars.length * 2);
                    }
                    exemplars[3 * exemplarCount] = start;
                    exemplars[3 * exemplarCount + 1] = r.position();
                    exemplars[3 * exemplarCount + 2] = hasTs ? 1 : 0;
                    exemplarCount++;
                }
                default -> r.skipField(tag);
            }
        }
    }

    private void bucket(ProtoReader r) {
        if (bucketCount == upperBounds.length) {
            int n = bucketCount * 2;
            cumulativeCounts = Arrays.copyOf(cumulativeCounts, n);
            cumulativeCountsFloat = Arrays.copyOf(cumulativeCountsFloat, n);
            upperBounds = Arrays.copyOf(upperBounds, n);
            bucketExemplars = Arrays.copyOf(bucketExemplars, 3 * n);
        }
        int i = bucketCount;
        cumulativeCounts[i] = 0;
        cumulativeCountsFloat[i] = 0;
        upperBounds[i] = 0;
        bucketExemplars[3 * i] = NO_EXEMPLAR;
        while (r.hasRemaining()) {
            int tag = r.readTag();
            switch (ProtoReader.fieldNumber(tag)) {
                case 1 -> {
                    expect(tag, ProtoReader.VARINT, "Bucket.cumulative_count");
                    cumulativeCounts[i] = r.readVarint();
                }
                case 2 -> {
                    expect(tag, ProtoReader.FIXED64, "Bucket.upper_bound");
                    upperBounds[i] = r.readDouble();
                }
                case 3 -> {
                    expect(tag, ProtoReader.LEN, "Bucket.exemplar");
                    int outer = r.enter();
                    int start = r.position();
                    boolean hasTs = checkExemplar(r);
                    r.exit(outer);
                    bucketExemplars[3 * i] = start;
                    bucketExemplars[3 * i + 1] = r.position();
                    bucketExemplars[3 * i + 2] = hasTs ? 1 : 0;
                }
                case 4 -> {
                    expect(tag, ProtoReader.FIXED64, "Bucket.cumulative_count_float");
                    cumulativeCountsFloat[i] = r.readDouble();
                }
                default -> r.skipField(tag);
            }
        }
        bucketCount++;
    }

    boolean hasBucketExemplar(int bucket) {
        return bucketExemplars[3 * bucket] != NO_EXEMPLAR;
    }

    int bucketExemplarStart(int bucket) {
        return bucketExemplars[3 * bucket];
    }

    int bucketExemplarEnd(int bucket) {
        return bucketExemplars[3 * bucket + 1];
    }

    boolean bucketExemplarHasTimestamp(int bucket) {
        return bucketExemplars[3 * bucket + 2] != 0;
    }

    int exemplarStart(int i) {
        return exemplars[3 * i];
    }

    int exemplarEnd(int i) {
        return exemplars[3 * i + 1];
    }

    boolean exemplarHasTimestamp(int i) {
        return exemplars[3 * i + 2] != 0;
    }

    private static void span(ProtoReader r, int tag, Side side, String field) {
        expect(tag, ProtoReader.LEN, field);
        int outer = r.enter();
        int offset = 0;
        int length = 0;
        while (r.hasRemaining()) {
            int t = r.readTag();
            switch (ProtoReader.fieldNumber(t)) {
                case 1 -> {
                    expect(t, ProtoReader.VARINT, "BucketSpan.offset");
                    offset = r.readSint32();
                }
                case 2 -> {
                    expect(t, ProtoReader.VARINT, "BucketSpan.length");
                    length = r.readVarint32();
                }
                default -> r.skipField(t);
            }
        }
        r.exit(outer);
        if (2 * side.spanCount + 2 > side.spans.length) {
            side.spans = Arrays.copyOf(side.spans, side.spans.length * 2);
        }
        side.spans[2 * side.spanCount] = offset;
        side.spans[2 * side.spanCount + 1] = length;
        side.spanCount++;
    }

    /** Repeated sint64, packed or not (a decoder must take both). */
    private static void deltas(ProtoReader r, int tag, Side side, String field) {
        if (ProtoReader.wireType(tag) == ProtoReader.VARINT) {
            addDelta(side, r.readSint64());
            return;
        }
        expect(tag, ProtoReader.LEN, field);
        int outer = r.enter();
        while (r.hasRemaining()) {
            addDelta(side, r.readSint64());
        }
        r.exit(outer);
    }

    private static void addDelta(Side side, long delta) {
        if (side.deltaCount == side.deltas.length) {
            side.deltas = Arrays.copyOf(side.deltas, side.deltaCount * 2);
        }
        side.deltas[side.deltaCount++] = delta;
    }

    /** Repeated double, packed or not. */
    private static void counts(ProtoReader r, int tag, Side side, String field) {
        if (ProtoReader.wireType(tag) == ProtoReader.FIXED64) {
            addCount(side, r.readDouble());
            return;
        }
        expect(tag, ProtoReader.LEN, field);
        int outer = r.enter();
        while (r.hasRemaining()) {
            addCount(side, r.readDouble());
        }
        r.exit(outer);
    }

    private static void addCount(Side side, double count) {
        if (side.countCount == side.counts.length) {
            side.counts = Arrays.copyOf(side.counts, side.countCount * 2);
        }
        side.counts[side.countCount++] = count;
    }

    // exemplars and timestamps

    /** Checks an Exemplar message's structure; returns whether it has a timestamp. */
    private static boolean checkExemplar(ProtoReader r) {
        boolean hasTs = false;
        while (r.hasRemaining()) {
            int tag = r.readTag();
            switch (ProtoReader.fieldNumber(tag)) {
                case 1 -> {
                    expect(tag, ProtoReader.LEN, "Exemplar.label");
                    int outer = r.enter();
                    while (r.hasRemaining()) {
                        int t = r.readTag();
                        int f = ProtoReader.fieldNumber(t);
                        if (f == 1 || f == 2) {
                            expect(t, ProtoReader.LEN, f == 1 ? "LabelPair.name" : "LabelPair.value");
                        }
                        r.skipField(t);
                    }
                    r.exit(outer);
                }
                case 2 -> {
                    expect(tag, ProtoReader.FIXED64, "Exemplar.value");
                    r.readDouble();
                }
                case 3 -> {
                    expect(tag, ProtoReader.LEN, "Exemplar.timestamp");
                    timestampMs(r);
                    hasTs = true;
                }
                default -> r.skipField(tag);
            }
        }
        return hasTs;
    }

    /**
     * A google.protobuf.Timestamp (after its tag) in milliseconds: seconds * 1000 plus whole milliseconds of the
     * nanos, truncated, as Prometheus computes it (without range checks).
     */
    static long timestampMs(ProtoReader r) {
        int outer = r.enter();
        long seconds = 0;
        int nanos = 0;
        while (r.hasRemaining()) {
            int tag = r.readTag();
            switch (ProtoReader.fieldNumber(tag)) {
                case 1 -> {
                    expect(tag, ProtoReader.VARINT, "Timestamp.seconds");
                    seconds = r.readVarint();
                }
                case 2 -> {
                    expect(tag, ProtoReader.VARINT, "Timestamp.nanos");
                    nanos = r.readVarint32();
                }
                default -> r.skipField(tag);
            }
        }
        r.exit(outer);
        return seconds * 1000 + nanos / 1_000_000;
    }

    static void expect(int tag, int wireType, String field) {
        if (ProtoReader.wireType(tag) != wireType) {
            throw new IllegalArgumentException("wrong wire type " + ProtoReader.wireType(tag) + " for field " + field);
        }
    }

    /** A uint64 as the float Go's float64(uint64) gives. */
    static double unsigned(long v) {
        if (v >= 0) {
            return v;
        }
        double half = (double) ((v >>> 1) | (v & 1));
        return half * 2.0;
    }
}

package io.caravan.remotewrite;

import io.caravan.model.Exemplar;
import io.caravan.model.Labels;
import io.caravan.model.MetricMetadata;
import io.caravan.model.NativeHistogram;
import io.caravan.model.Sample;
import io.caravan.wire.ProtoWriter;

import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * Encodes samples as a remote_write 1.0 {@code prometheus.WriteRequest}:
 * <pre>
 * WriteRequest { repeated TimeSeries timeseries = 1; repeated MetricMetadata metadata = 3; }
 * TimeSeries   { repeated Label labels = 1; repeated Sample samples = 2; repeated Exemplar exemplars = 3;
 *                repeated Histogram histograms = 4; }
 * Label        { string name = 1; string value = 2; }
 * Sample       { double value = 1; int64 timestamp = 2; }
 * Exemplar     { repeated Label labels = 1; double value = 2; int64 timestamp = 3; }
 * Histogram    { oneof count { uint64 count_int = 1; double count_float = 2; } double sum = 3; sint32 schema = 4;
 *                double zero_threshold = 5; oneof zero_count { uint64 zero_count_int = 6; double zero_count_float = 7; }
 *                repeated BucketSpan negative_spans = 8; repeated sint64 negative_deltas = 9;
 *                repeated double negative_counts = 10; repeated BucketSpan positive_spans = 11;
 *                repeated sint64 positive_deltas = 12; repeated double positive_counts = 13; ResetHint reset_hint = 14;
 *                int64 timestamp = 15; repeated double custom_values = 16; }
 * BucketSpan   { sint32 offset = 1; uint32 length = 2; }
 * </pre>
 * Consecutive float samples of the same series share one TimeSeries; a histogram or a sample with exemplars has
 * one of its own, as Prometheus' queue sends them. An integer histogram goes as bucket deltas, a float one as
 * absolute counts, and the count oneofs are always set (a receiver tells the two kinds apart by them). External
 * labels are merged in name order and only where the series does not carry that label already (Prometheus' rule);
 * an exemplar's own labels go as they are.
 */
public final class WriteRequestEncoder {

    private final Labels externalLabels;
    private final ProtoWriter out = new ProtoWriter(64 * 1024);
    private final Object memoKey; // encodings made with other external labels are not these
    private final BooleanSupplier startTimestamps;

    public WriteRequestEncoder(Labels externalLabels) {
        this(externalLabels, () -> false);
    }

    /**
     * @param startTimestamps whether a sample's created timestamp goes with it, as remote_write 2.0's start_timestamp
     *                        (Sample field 3, Histogram field 17, which 2.0 adds to 1.0's messages): for a sink that
     *                        sends 2.0, whose requests are transcoded from these bytes; a 1.0 receiver skips the field
     */
    public WriteRequestEncoder(Labels externalLabels, BooleanSupplier startTimestamps) {
        this.externalLabels = externalLabels;
        this.memoKey = new MemoKey(externalLabels);
        this.startTimestamps = startTimestamps;
    }

    private record MemoKey(Labels externalLabels) {
    }

    /** Encodes the batch; the returned array is valid until the next call, up to {@link #size()}. */
    public byte[] encode(List<Sample> samples) {
        out.reset();
        int i = 0;
        while (i < samples.size()) {
            Sample first = samples.get(i);
            if (!isPlain(first)) {
                writeRichSeries(first, null);
                i++;
                continue;
            }
            Labels series = first.labels();
            int end = i + 1;
            while (end < samples.size() && isPlain(samples.get(end)) && samples.get(end).labels().equals(series)) {
                end++;
            }
            writeSeries(series, samples, i, end);
            i = end;
        }
        return out.array();
    }

    /** A float sample without exemplars (or a start timestamp to send): the common case, encoded with sizes computed first. */
    private boolean isPlain(Sample s) {
        return s.histogram() == null && s.exemplars().isEmpty() && (s.createdTimestampMs() == 0 || !startTimestamps.getAsBoolean());
    }

    public int size() {
        return out.size();
    }

    /**
     * A WriteRequest of metadata only ({@code repeated MetricMetadata metadata = 3}: type = 1, metric_family_name = 2,
     * help = 4, unit = 5), as Prometheus sends it apart from the samples; valid until the next call, up to {@link #size()}.
     */
    public byte[] encodeMetadata(List<MetricMetadata> metadata) {
        out.reset();
        for (MetricMetadata m : metadata) {
            int field = out.beginNested(3);
            if (m.type() != MetricMetadata.Type.UNKNOWN) {
                out.tag(1, ProtoWriter.VARINT);
                out.varint(m.type().ordinal());
            }
            out.string(2, m.family());
            if (!m.help().isEmpty()) {
                out.string(4, m.help());
            }
            if (!m.unit().isEmpty()) {
                out.string(5, m.unit());
            }
            out.endNested(field);
        }
        return out.array();
    }

    /** Starts an empty run of TimeSeries fields, to be filled with {@link #add}. */
    public void reset() {
        out.reset();
    }

    /**
     * Appends the sample as a TimeSeries of its own (the write-ahead log keeps one per sample). The series'
     * encoded labels are kept with its label set (see {@link Labels#memo}), so a series seen before costs a
     * copy, not an encoding.
     */
    public void add(Sample sample) {
        byte[] labels = sample.labels().memo(memoKey, this::encodeLabels);
        if (!isPlain(sample)) {
            writeRichSeries(sample, labels);
            return;
        }
        int s = sampleSize(sample);
        out.tag(1, ProtoWriter.LEN);
        out.varint(labels.length + 1 + ProtoWriter.varintSize(s) + s);
        out.raw(labels, 0, labels.length);
        writeSample(sample, s);
    }

    /** The Label fields of a series with the external labels merged in, as a TimeSeries carries them. */
    private byte[] encodeLabels(Labels series) {
        int start = out.size();
        writeLabels(series);
        byte[] bytes = java.util.Arrays.copyOfRange(out.array(), start, out.size());
        out.truncate(start);
        return bytes;
    }

    public byte[] array() {
        return out.array();
    }

    private void writeSeries(Labels series, List<Sample> samples, int from, int to) {
        int len = labelsSize(series);
        for (int i = from; i < to; i++) {
            int s = sampleSize(samples.get(i));
            len += 1 + ProtoWriter.varintSize(s) + s;
        }
        out.tag(1, ProtoWriter.LEN);
        out.varint(len);
        writeLabels(series);
        for (int i = from; i < to; i++) {
            Sample s = samples.get(i);
            writeSample(s, sampleSize(s));
        }
    }

    private void writeSample(Sample s, int size) {
        out.tag(2, ProtoWriter.LEN);
        out.varint(size);
        out.tag(1, ProtoWriter.FIXED64);
        out.fixed64(Double.doubleToRawLongBits(s.value()));
        if (s.timestampMs() != 0) {
            out.tag(2, ProtoWriter.VARINT);
            out.varint(s.timestampMs());
        }
    }

    /** A TimeSeries of one histogram or float sample and its exemplars; labels already encoded, or null. */
    private void writeRichSeries(Sample s, byte[] labels) {
        int series = out.beginNested(1);
        if (labels != null) {
            out.raw(labels, 0, labels.length);
        } else {
            writeLabels(s.labels());
        }
        long start = startTimestamps.getAsBoolean() ? s.createdTimestampMs() : 0;
        if (s.histogram() != null) {
            int h = out.beginNested(4);
            writeHistogram(s.histogram(), s.timestampMs());
            if (start != 0) {
                out.tag(17, ProtoWriter.VARINT);
                out.varint(start);
            }
            out.endNested(h);
        } else if (start != 0) {
            int sample = out.beginNested(2);
            out.doubleField(1, s.value());
            if (s.timestampMs() != 0) {
                out.tag(2, ProtoWriter.VARINT);
                out.varint(s.timestampMs());
            }
            out.tag(3, ProtoWriter.VARINT);
            out.varint(start);
            out.endNested(sample);
        } else {
            writeSample(s, sampleSize(s));
        }
        for (Exemplar e : s.exemplars()) {
            int x = out.beginNested(3);
            for (int i = 0; i < e.labels().size(); i++) {
                writeLabel(e.labels().name(i), e.labels().value(i));
            }
            out.doubleField(2, e.value());
            long ts = e.hasTimestamp() ? e.timestampMs() : s.timestampMs();
            if (ts != 0) {
                out.tag(3, ProtoWriter.VARINT);
                out.varint(ts);
            }
            out.endNested(x);
        }
        out.endNested(series);
    }

    private void writeHistogram(NativeHistogram h, long timestampMs) {
        if (h.floatCounts()) {
            out.doubleField(2, h.count());
        } else {
            out.tag(1, ProtoWriter.VARINT);
            out.varint((long) h.count());
        }
        if (Double.doubleToRawLongBits(h.sum()) != 0) {
            out.doubleField(3, h.sum());
        }
        if (h.schema() != 0) {
            out.tag(4, ProtoWriter.VARINT);
            out.sint(h.schema());
        }
        if (h.zeroThreshold() != 0) {
            out.doubleField(5, h.zeroThreshold());
        }
        if (h.floatCounts()) {
            out.doubleField(7, h.zeroCount());
        } else {
            out.tag(6, ProtoWriter.VARINT);
            out.varint((long) h.zeroCount());
        }
        writeBuckets(h.negativeSpans(), h.negativeCounts(), h.floatCounts(), 8);
        writeBuckets(h.positiveSpans(), h.positiveCounts(), h.floatCounts(), 11);
        if (h.resetHint() != NativeHistogram.ResetHint.UNKNOWN) {
            out.tag(14, ProtoWriter.VARINT);
            out.varint(h.resetHint().ordinal()); // UNKNOWN 0, YES 1, NO 2, GAUGE 3: the enum's order is the wire's
        }
        if (timestampMs != 0) {
            out.tag(15, ProtoWriter.VARINT);
            out.varint(timestampMs);
        }
        writePackedDoubles(16, h.customValues());
    }

    /** Spans at spanField, then the counts: deltas (spanField + 1) for an integer histogram, else absolute (+ 2). */
    private void writeBuckets(int[] spans, double[] counts, boolean floatCounts, int spanField) {
        for (int i = 0; i < spans.length; i += 2) {
            int span = out.beginNested(spanField);
            if (spans[i] != 0) {
                out.tag(1, ProtoWriter.VARINT);
                out.sint(spans[i]);
            }
            if (spans[i + 1] != 0) {
                out.tag(2, ProtoWriter.VARINT);
                out.varint(spans[i + 1]);
            }
            out.endNested(span);
        }
        if (counts.length == 0) {
            return;
        }
        if (floatCounts) {
            writePackedDoubles(spanField + 2, counts);
            return;
        }
        int packed = out.beginNested(spanField + 1);
        long previous = 0;
        for (double c : counts) {
            long count = (long) c;
            out.sint(count - previous);
            previous = count;
        }
        out.endNested(packed);
    }

    private void writePackedDoubles(int field, double[] values) {
        if (values.length == 0) {
            return;
        }
        out.tag(field, ProtoWriter.LEN);
        out.varint(8L * values.length);
        for (double v : values) {
            out.fixed64(Double.doubleToRawLongBits(v));
        }
    }

    private static int sampleSize(Sample s) {
        return 9 + (s.timestampMs() == 0 ? 0 : 1 + ProtoWriter.varintSize(s.timestampMs()));
    }

    private static int labelSize(String name, String value) {
        int l = ProtoWriter.stringFieldSize(name) + ProtoWriter.stringFieldSize(value);
        return 1 + ProtoWriter.varintSize(l) + l;
    }

    /** Walks series and external labels together in name order; series labels win on a clash. */
    private int labelsSize(Labels series) {
        int size = 0;
        int i = 0;
        int e = 0;
        while (i < series.size() || e < externalLabels.size()) {
            int c = compareNext(series, i, e);
            if (c <= 0) {
                size += labelSize(series.name(i), series.value(i));
                if (c == 0) {
                    e++;
                }
                i++;
            } else {
                size += labelSize(externalLabels.name(e), externalLabels.value(e));
                e++;
            }
        }
        return size;
    }

    private void writeLabels(Labels series) {
        int i = 0;
        int e = 0;
        while (i < series.size() || e < externalLabels.size()) {
            int c = compareNext(series, i, e);
            if (c <= 0) {
                writeLabel(series.name(i), series.value(i));
                if (c == 0) {
                    e++;
                }
                i++;
            } else {
                writeLabel(externalLabels.name(e), externalLabels.value(e));
                e++;
            }
        }
    }

    private int compareNext(Labels series, int i, int e) {
        if (i >= series.size()) {
            return 1;
        }
        if (e >= externalLabels.size()) {
            return -1;
        }
        return series.name(i).compareTo(externalLabels.name(e));
    }

    private void writeLabel(String name, String value) {
        out.tag(1, ProtoWriter.LEN);
        out.varint(ProtoWriter.stringFieldSize(name) + ProtoWriter.stringFieldSize(value));
        out.string(1, name);
        out.string(2, value);
    }
}

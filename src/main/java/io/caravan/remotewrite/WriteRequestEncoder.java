package io.caravan.remotewrite;

import io.caravan.model.Labels;
import io.caravan.model.Sample;
import io.caravan.wire.ProtoWriter;

import java.util.List;

/**
 * Encodes samples as a remote_write 1.0 {@code prometheus.WriteRequest}:
 * <pre>
 * WriteRequest { repeated TimeSeries timeseries = 1; }
 * TimeSeries   { repeated Label labels = 1; repeated Sample samples = 2; }
 * Label        { string name = 1; string value = 2; }
 * Sample       { double value = 1; int64 timestamp = 2; }
 * </pre>
 * Consecutive samples of the same series share one TimeSeries. External labels are merged in name order
 * and only where the series does not carry that label already (Prometheus' rule).
 */
public final class WriteRequestEncoder {

    private final Labels externalLabels;
    private final ProtoWriter out = new ProtoWriter(64 * 1024);
    private final Object memoKey; // encodings made with other external labels are not these

    public WriteRequestEncoder(Labels externalLabels) {
        this.externalLabels = externalLabels;
        this.memoKey = new MemoKey(externalLabels);
    }

    private record MemoKey(Labels externalLabels) {
    }

    /** Encodes the batch; the returned array is valid until the next call, up to {@link #size()}. */
    public byte[] encode(List<Sample> samples) {
        out.reset();
        int i = 0;
        while (i < samples.size()) {
            Labels series = samples.get(i).labels();
            int end = i + 1;
            while (end < samples.size() && samples.get(end).labels().equals(series)) {
                end++;
            }
            writeSeries(series, samples, i, end);
            i = end;
        }
        return out.array();
    }

    public int size() {
        return out.size();
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

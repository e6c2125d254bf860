package io.caravan.remotewrite;

import io.caravan.model.MetricMetadata;
import io.caravan.wire.ProtoReader;
import io.caravan.wire.ProtoWriter;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Encodes WAL series as a remote_write 2.0 {@code io.prometheus.write.v2.Request} (prompb/io/prometheus/write/v2):
 * <pre>
 * Request    { repeated string symbols = 4; repeated TimeSeries timeseries = 5; }
 * TimeSeries { repeated uint32 labels_refs = 1; repeated Sample samples = 2; repeated Histogram histograms = 3;
 *              repeated Exemplar exemplars = 4; Metadata metadata = 5; }
 * Exemplar   { repeated uint32 labels_refs = 1; double value = 2; int64 timestamp = 3; }
 * Metadata   { MetricType type = 1; uint32 help_ref = 3; uint32 unit_ref = 4; }
 * </pre>
 * Transcoded at send time from the 1.0 TimeSeries the WAL holds: a Sample and a Histogram have the same fields in
 * both versions, so their bytes are copied; labels become references into the request's symbol table (its first
 * symbol the empty string, as the spec requires), exemplar labels too; each series carries its family's metadata
 * when the sink knows it. One instance per shard: the buffers are reused.
 */
final class RequestV2Encoder {

    private final ProtoWriter out = new ProtoWriter(64 * 1024);
    private final ProtoWriter series = new ProtoWriter(64 * 1024);
    private final ProtoReader in = new ProtoReader();
    private final Map<String, Integer> refs = new HashMap<>();
    private final List<String> symbols = new ArrayList<>();
    private final String[] label = new String[2];
    private int[] labelRefs = new int[64];
    private int[] exemplarRefs = new int[8];
    private int[] fieldRanges = new int[48]; // (field, offset, length) of each sample, histogram and exemplar
    private int samples;
    private int histograms;

    /** The request for these series; valid until the next call, up to {@link #size()}. */
    byte[] encode(List<WalRecord.Series> batch, Function<String, MetricMetadata> metadata) {
        refs.clear();
        symbols.clear();
        symbol("");
        series.reset();
        samples = 0;
        histograms = 0;
        for (WalRecord.Series s : batch) {
            s.chunk().readSeries(s.index(), in);
            transcode(metadata);
        }
        out.reset();
        for (String sym : symbols) {
            out.string(4, sym);
        }
        out.raw(series.array(), 0, series.size());
        return out.array();
    }

    int size() {
        return out.size();
    }

    int samples() {
        return samples;
    }

    int histograms() {
        return histograms;
    }

    /** One 1.0 TimeSeries at the reader (tag and length first) into a 2.0 TimeSeries in {@link #series}. */
    private void transcode(Function<String, MetricMetadata> metadata) {
        in.readTag();
        in.enter();
        int labels = 0;
        int fields = 0;
        String name = null;
        while (in.hasRemaining()) {
            int tag = in.readTag();
            int field = ProtoReader.fieldNumber(tag);
            ProtoReader.expectWireType(tag, ProtoReader.LEN);
            if (field == 1) {
                WalRecord.readLabel(in, label);
                labelRefs = refs(labelRefs, labels);
                labelRefs[labels++] = symbol(label[0]);
                labelRefs[labels++] = symbol(label[1]);
                if (label[0].equals("__name__")) {
                    name = label[1];
                }
            } else {
                int len = in.readLength();
                if (fields + 3 > fieldRanges.length) {
                    fieldRanges = java.util.Arrays.copyOf(fieldRanges, fieldRanges.length * 2);
                }
                fieldRanges[fields++] = field;
                fieldRanges[fields++] = in.position();
                fieldRanges[fields++] = len;
                in.skipBytes(len);
            }
        }
        int mark = series.beginNested(5);
        writeRefs(1, labelRefs, labels);
        for (int f = 0; f < fields; f += 3) {
            int field = fieldRanges[f];
            int at = fieldRanges[f + 1];
            int len = fieldRanges[f + 2];
            switch (field) {
                case 2 -> { // Sample: the same fields in 2.0
                    series.tag(2, ProtoWriter.LEN);
                    series.varint(len);
                    series.raw(in.buffer(), at, len);
                    samples++;
                }
                case 4 -> { // Histogram: fields 1 to 16 are 1.0's; it goes as field 3
                    series.tag(3, ProtoWriter.LEN);
                    series.varint(len);
                    series.raw(in.buffer(), at, len);
                    histograms++;
                }
                case 3 -> exemplar(at, len); // the series is read through: the reader may go back to it
                default -> {
                    // nothing else is in a WAL series
                }
            }
        }
        MetricMetadata m = name == null ? null : metadata.apply(name);
        if (m != null) {
            int md = series.beginNested(5);
            if (m.type() != MetricMetadata.Type.UNKNOWN) {
                series.tag(1, ProtoWriter.VARINT);
                series.varint(m.type().ordinal()); // 2.0's enum has 1.0's order, METRIC_TYPE_UNSPECIFIED first
            }
            if (!m.help().isEmpty()) {
                series.tag(3, ProtoWriter.VARINT);
                series.varint(symbol(m.help()));
            }
            if (!m.unit().isEmpty()) {
                series.tag(4, ProtoWriter.VARINT);
                series.varint(symbol(m.unit()));
            }
            series.endNested(md);
        }
        series.endNested(mark);
    }

    /** A 1.0 Exemplar { repeated Label labels = 1; double value = 2; int64 timestamp = 3; } as a 2.0 one. */
    private void exemplar(int at, int len) {
        in.reset(in.buffer(), at, len);
        int n = 0;
        double value = 0;
        long timestamp = 0;
        while (in.hasRemaining()) {
            int tag = in.readTag();
            switch (ProtoReader.fieldNumber(tag)) {
                case 1 -> {
                    WalRecord.readLabel(in, label);
                    exemplarRefs = refs(exemplarRefs, n);
                    exemplarRefs[n++] = symbol(label[0]);
                    exemplarRefs[n++] = symbol(label[1]);
                }
                case 2 -> value = in.readDouble();
                case 3 -> timestamp = in.readVarint();
                default -> in.skipField(tag);
            }
        }
        int mark = series.beginNested(4);
        writeRefs(1, exemplarRefs, n);
        series.doubleField(2, value);
        if (timestamp != 0) {
            series.tag(3, ProtoWriter.VARINT);
            series.varint(timestamp);
        }
        series.endNested(mark);
    }

    /** refs with room for two more after its first n. */
    private static int[] refs(int[] refs, int n) {
        return n + 2 <= refs.length ? refs : java.util.Arrays.copyOf(refs, refs.length * 2);
    }

    private void writeRefs(int field, int[] values, int n) {
        if (n == 0) {
            return;
        }
        int mark = series.beginNested(field);
        for (int i = 0; i < n; i++) {
            series.varint(values[i]);
        }
        series.endNested(mark);
    }

    private int symbol(String s) {
        Integer ref = refs.get(s);
        if (ref == null) {
            ref = symbols.size();
            refs.put(s, ref);
            symbols.add(s);
        }
        return ref;
    }
}

package io.caravan.loki;

import io.caravan.model.Labels;
import io.caravan.model.LogEntry;
import io.caravan.wire.ProtoWriter;
import org.xerial.snappy.Snappy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Encodes a batch as Loki's {@code logproto.PushRequest} (pkg/push/push.proto) and snappy-compresses it:
 * <pre>
 * PushRequest   { repeated StreamAdapter streams = 1; }
 * StreamAdapter { string labels = 1; repeated EntryAdapter entries = 2; }
 * EntryAdapter  { google.protobuf.Timestamp timestamp = 1; string line = 2;
 *                 repeated LabelPairAdapter structuredMetadata = 3; }
 * Timestamp     { int64 seconds = 1; int32 nanos = 2; }   LabelPairAdapter { string name = 1; string value = 2; }
 * </pre>
 * Entries are grouped by stream (external labels added, the entry's own labels win, as in Alloy's
 * loki.write) and each stream's entries are sorted by time (stable), since Loki refuses out-of-order
 * entries in a stream. The StreamAdapter fields of one append are what the sink stores on disk
 * ({@link #writeStreams}), so a push request is stored records one after the other: each entry is encoded
 * once. One instance per thread (or per lock): the buffers and caches are reused.
 */
public final class PushEncoder {

    private final Labels external;
    private final ProtoWriter out = new ProtoWriter(1 << 16);
    private final Map<Labels, Labels> merged = new HashMap<>();
    private final Map<Labels, String> formatted = new HashMap<>();
    private byte[][] lineBytes = new byte[1024][];
    private int[] entrySize = new int[1024];
    private byte[] compressed = new byte[0];
    private int compressedSize;

    public PushEncoder(Labels external) {
        this.external = external;
    }

    /** The stream labels an entry is sent under. */
    Labels streamLabels(Labels own) {
        if (external.isEmpty()) {
            return own;
        }
        Labels m = merged.get(own);
        if (m == null) {
            Labels.Builder b = external.toBuilder();
            own.forEach(b::set);
            m = b.build();
            if (merged.size() > 100_000) {
                merged.clear(); // bounded: label sets churn with pods
            }
            merged.put(own, m);
        }
        return m;
    }

    /** Groups by stream, in first-seen order, each stream sorted by time. */
    Map<Labels, List<LogEntry>> streams(List<LogEntry> batch) {
        Map<Labels, List<LogEntry>> streams = new LinkedHashMap<>();
        for (LogEntry e : batch) {
            streams.computeIfAbsent(streamLabels(e.labels()), k -> new ArrayList<>()).add(e);
        }
        for (List<LogEntry> s : streams.values()) {
            s.sort(Comparator.comparingLong(LogEntry::timestampNanos));
        }
        return streams;
    }

    /** Snappy block-compressed PushRequest; valid until the next call. */
    public byte[] encode(List<LogEntry> batch) throws IOException {
        encodeRaw(batch);
        int max = Snappy.maxCompressedLength(out.size());
        if (compressed.length < max) {
            compressed = new byte[max + (max >> 2)];
        }
        compressedSize = Snappy.rawCompress(out.array(), 0, out.size(), compressed, 0);
        return compressed;
    }

    public int compressedSize() {
        return compressedSize;
    }

    public byte[] compressedCopy() {
        return Arrays.copyOf(compressed, compressedSize);
    }

    /** The uncompressed PushRequest bytes. */
    byte[] encodeRaw(List<LogEntry> batch) {
        out.reset();
        writeStreams(batch, out);
        return out.array();
    }

    /** Appends the batch's streams to out as PushRequest fields (StreamAdapters): a PushRequest, or part of one. */
    void writeStreams(List<LogEntry> batch, ProtoWriter out) {
        if (lineBytes.length < batch.size()) {
            lineBytes = new byte[batch.size() * 2][];
            entrySize = new int[batch.size() * 2];
        }
        for (Map.Entry<Labels, List<LogEntry>> s : streams(batch).entrySet()) {
            String labels = formatted.computeIfAbsent(s.getKey(), LokiLabels::format);
            if (formatted.size() > 100_000) {
                formatted.clear();
            }
            List<LogEntry> entries = s.getValue();
            int labelsLen = ProtoWriter.utf8Length(labels);
            int streamSize = ProtoWriter.lenFieldSize(labelsLen);
            for (int i = 0; i < entries.size(); i++) {
                LogEntry e = entries.get(i);
                // the line's UTF-8 once, by the JDK's vectorised encoder: hot path (in the JFR profile of the pod-logs
                // run, walking each line char by char twice, for its length and its copy, was ~10% of all CPU)
                lineBytes[i] = e.line().getBytes(StandardCharsets.UTF_8);
                entrySize[i] = entrySize(e, lineBytes[i].length);
                streamSize += ProtoWriter.lenFieldSize(entrySize[i]);
            }
            out.tag(1, ProtoWriter.LEN);
            out.varint(streamSize);
            out.tag(1, ProtoWriter.LEN);
            out.string(labels, labelsLen);
            for (int i = 0; i < entries.size(); i++) {
                LogEntry e = entries.get(i);
                out.tag(2, ProtoWriter.LEN);
                out.varint(entrySize[i]);
                long secs = Math.floorDiv(e.timestampNanos(), 1_000_000_000L);
                int nanos = (int) Math.floorMod(e.timestampNanos(), 1_000_000_000L);
                out.tag(1, ProtoWriter.LEN);
                out.varint(timestampSize(secs, nanos));
                if (secs != 0) {
                    out.tag(1, ProtoWriter.VARINT);
                    out.varint(secs);
                }
                if (nanos != 0) {
                    out.tag(2, ProtoWriter.VARINT);
                    out.varint(nanos);
                }
                out.tag(2, ProtoWriter.LEN);
                out.varint(lineBytes[i].length);
                out.raw(lineBytes[i], 0, lineBytes[i].length);
                lineBytes[i] = null; // let the line's bytes go with the batch
                Labels md = e.metadata();
                for (int m = 0; m < md.size(); m++) {
                    out.tag(3, ProtoWriter.LEN);
                    out.varint(ProtoWriter.lenFieldSize(ProtoWriter.utf8Length(md.name(m)))
                            + ProtoWriter.lenFieldSize(ProtoWriter.utf8Length(md.value(m))));
                    out.string(1, md.name(m));
                    out.string(2, md.value(m));
                }
            }
        }
    }

    private static int timestampSize(long secs, int nanos) {
        return (secs != 0 ? 1 + ProtoWriter.varintSize(secs) : 0) + (nanos != 0 ? 1 + ProtoWriter.varintSize(nanos) : 0);
    }

    private static int entrySize(LogEntry e, int lineLen) {
        long secs = Math.floorDiv(e.timestampNanos(), 1_000_000_000L);
        int nanos = (int) Math.floorMod(e.timestampNanos(), 1_000_000_000L);
        int size = ProtoWriter.lenFieldSize(timestampSize(secs, nanos)) + ProtoWriter.lenFieldSize(lineLen);
        Labels md = e.metadata();
        for (int m = 0; m < md.size(); m++) {
            size += ProtoWriter.lenFieldSize(ProtoWriter.lenFieldSize(ProtoWriter.utf8Length(md.name(m)))
                    + ProtoWriter.lenFieldSize(ProtoWriter.utf8Length(md.value(m))));
        }
        return size;
    }
}

package io.caravan.loki;

import io.caravan.model.Labels;
import io.caravan.model.LogEntry;
import io.caravan.wal.SegmentLog;
import io.caravan.wire.ProtoWriter;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The payload of one spill record: a list of entries. Per entry: a flag (0 = same labels as the previous
 * entry, 1 = labels follow), the labels (count, then name/value strings), the time (fixed 8 bytes),
 * the line, and the structured metadata (count, name/value strings). Strings are varint length + UTF-8.
 */
final class SpillCodec {

    static final SegmentLog.Codec<LogEntry> CODEC = SpillCodec::decode;

    private SpillCodec() {
    }

    /** Appends the entries to the sink's log as one record. */
    static void append(SegmentLog<LogEntry> log, List<LogEntry> entries) throws IOException {
        log.append(entries.size(), out -> encode(entries, out));
    }

    static void encode(List<LogEntry> entries, ProtoWriter out) {
        Labels prev = null;
        for (LogEntry e : entries) {
            if (e.labels() == prev || e.labels().equals(prev)) {
                out.varint(0);
            } else {
                out.varint(1);
                labels(e.labels(), out);
                prev = e.labels();
            }
            out.fixed64(e.timestampNanos());
            out.string(e.line(), ProtoWriter.utf8Length(e.line()));
            labels(e.metadata(), out);
        }
    }

    private static void labels(Labels l, ProtoWriter out) {
        out.varint(l.size());
        for (int i = 0; i < l.size(); i++) {
            out.string(l.name(i), ProtoWriter.utf8Length(l.name(i)));
            out.string(l.value(i), ProtoWriter.utf8Length(l.value(i)));
        }
    }

    /** Decodes count entries; IllegalArgumentException when the bytes do not hold them. */
    static List<LogEntry> decode(byte[] b, int off, int len, int count) {
        Reader r = new Reader(b, off, off + len);
        List<LogEntry> out = new ArrayList<>(count);
        Labels labels = null;
        for (int i = 0; i < count; i++) {
            long flag = r.varint();
            if (flag == 1) {
                labels = r.labels();
            } else if (flag != 0 || labels == null) {
                throw new IllegalArgumentException("bad labels flag " + flag);
            }
            long ts = r.fixed64();
            String line = r.string();
            Labels md = r.labels();
            out.add(new LogEntry(labels, ts, line, md));
        }
        if (r.pos != r.end) {
            throw new IllegalArgumentException("trailing bytes in record");
        }
        return out;
    }

    private static final class Reader {
        final byte[] b;
        int pos;
        final int end;

        Reader(byte[] b, int pos, int end) {
            this.b = b;
            this.pos = pos;
            this.end = end;
        }

        long varint() {
            long v = 0;
            for (int shift = 0; shift < 64; shift += 7) {
                if (pos >= end) {
                    throw new IllegalArgumentException("truncated varint");
                }
                byte x = b[pos++];
                v |= (long) (x & 0x7F) << shift;
                if (x >= 0) {
                    return v;
                }
            }
            throw new IllegalArgumentException("varint too long");
        }

        long fixed64() {
            if (pos + 8 > end) {
                throw new IllegalArgumentException("truncated time");
            }
            long v = 0;
            for (int i = 0; i < 8; i++) {
                v |= (b[pos++] & 0xFFL) << (8 * i);
            }
            return v;
        }

        String string() {
            long n = varint();
            if (n < 0 || pos + n > end) {
                throw new IllegalArgumentException("truncated string");
            }
            String s = new String(b, pos, (int) n, StandardCharsets.UTF_8);
            pos += (int) n;
            return s;
        }

        Labels labels() {
            long n = varint();
            if (n == 0) {
                return Labels.EMPTY;
            }
            if (n > 10_000) {
                throw new IllegalArgumentException("implausible label count " + n);
            }
            String[] kv = new String[(int) n * 2];
            for (int i = 0; i < kv.length; i++) {
                kv[i] = string();
            }
            return Labels.of(kv);
        }
    }
}

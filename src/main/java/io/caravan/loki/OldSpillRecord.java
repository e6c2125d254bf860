package io.caravan.loki;

import io.caravan.model.Labels;
import io.caravan.model.LogEntry;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Only for an upgrade: a spill record as Caravan wrote it before the spill stored wire-ready records
 * ({@link LokiRecords}), read once so that nothing an older agent left on disk is lost. Nothing writes this
 * format any more. Per entry: a flag (0 = same labels as the previous entry, 1 = labels follow), the labels
 * (count, then name/value strings), the time (fixed 8 bytes), the line, and the structured metadata (count,
 * name/value strings). Strings are varint length + UTF-8. The first entry always has flag 1, so a record of
 * this format starts with the byte 0x01, where a wire-ready one starts with 0x0A.
 */
final class OldSpillRecord {

    static final byte FIRST_BYTE = 0x01;

    private OldSpillRecord() {
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

package io.caravan.loki.testing;

import org.xerial.snappy.Snappy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Decodes a snappy-compressed logproto.PushRequest with its own protobuf reader (independent of the
 * encoder under test): streams (labels string, entries with Timestamp, line, structuredMetadata).
 * Unknown fields are skipped by wire type, as any protobuf reader does.
 */
public final class LokiPushDecoder {

    public record Entry(long timestampNanos, String line, Map<String, String> metadata) {
    }

    public record Stream(String labels, List<Entry> entries) {
    }

    private LokiPushDecoder() {
    }

    public static List<Stream> decode(byte[] snappyBody) throws IOException {
        byte[] raw = Snappy.uncompress(snappyBody);
        List<Stream> out = new ArrayList<>();
        Reader r = new Reader(raw, 0, raw.length);
        while (r.more()) {
            int tag = (int) r.varint();
            if (tag >>> 3 == 1 && (tag & 7) == 2) {
                out.add(stream(r.sub()));
            } else {
                r.skip(tag & 7);
            }
        }
        return out;
    }

    private static Stream stream(Reader r) throws IOException {
        String labels = "";
        List<Entry> entries = new ArrayList<>();
        while (r.more()) {
            int tag = (int) r.varint();
            switch (tag) {
                case (1 << 3) | 2 -> labels = r.string();
                case (2 << 3) | 2 -> entries.add(entry(r.sub()));
                default -> r.skip(tag & 7);
            }
        }
        return new Stream(labels, entries);
    }

    private static Entry entry(Reader r) throws IOException {
        long secs = 0;
        long nanos = 0;
        String line = "";
        Map<String, String> md = new LinkedHashMap<>();
        while (r.more()) {
            int tag = (int) r.varint();
            switch (tag) {
                case (1 << 3) | 2 -> {
                    Reader ts = r.sub();
                    while (ts.more()) {
                        int t = (int) ts.varint();
                        if (t == (1 << 3)) {
                            secs = ts.varint();
                        } else if (t == (2 << 3)) {
                            nanos = ts.varint();
                        } else {
                            ts.skip(t & 7);
                        }
                    }
                }
                case (2 << 3) | 2 -> line = r.string();
                case (3 << 3) | 2 -> {
                    Reader p = r.sub();
                    String name = "";
                    String value = "";
                    while (p.more()) {
                        int t = (int) p.varint();
                        if (t == ((1 << 3) | 2)) {
                            name = p.string();
                        } else if (t == ((2 << 3) | 2)) {
                            value = p.string();
                        } else {
                            p.skip(t & 7);
                        }
                    }
                    md.put(name, value);
                }
                default -> r.skip(tag & 7);
            }
        }
        return new Entry(secs * 1_000_000_000L + nanos, line, md);
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

        boolean more() {
            return pos < end;
        }

        long varint() throws IOException {
            long v = 0;
            for (int shift = 0; shift < 64; shift += 7) {
                if (pos >= end) {
                    throw new IOException("truncated varint");
                }
                byte x = b[pos++];
                v |= (long) (x & 0x7F) << shift;
                if ((x & 0x80) == 0) {
                    return v;
                }
            }
            throw new IOException("varint too long");
        }

        Reader sub() throws IOException {
            int len = (int) varint();
            if (len < 0 || pos + len > end) {
                throw new IOException("truncated message");
            }
            Reader r = new Reader(b, pos, pos + len);
            pos += len;
            return r;
        }

        String string() throws IOException {
            Reader s = sub();
            return new String(b, s.pos, s.end - s.pos, StandardCharsets.UTF_8);
        }

        void skip(int wire) throws IOException {
            switch (wire) {
                case 0 -> varint();
                case 1 -> pos += 8;
                case 2 -> sub();
                case 5 -> pos += 4;
                default -> throw new IOException("bad wire type " + wire);
            }
        }
    }
}

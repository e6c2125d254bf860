package io.caravan.remotewrite;

import io.caravan.model.Labels;
import io.caravan.wal.SegmentLog;
import io.caravan.wire.ProtoReader;
import io.caravan.wire.ProtoWriter;
import org.xerial.snappy.Snappy;

import java.io.IOException;
import java.util.AbstractList;
import java.util.List;

/**
 * The payload of one write-ahead-log record: the samples of one append for one shard, already encoded as
 * the remote_write {@code TimeSeries} fields they will be sent as (one per sample), snappy-compressed:
 * <pre>  append time (fixed64 ms) | raw length (varint) | snappy block of TimeSeries fields</pre>
 * A run of field-1 TimeSeries is a whole WriteRequest, so the compressed block of a big enough record is
 * sent as it is, with no second encoding or compression; smaller ones are decompressed (only then) and
 * merged into one request. Compression also keeps an outage's worth of samples small on disk.
 */
final class WalRecord {

    static final SegmentLog.Codec<Series> CODEC = WalRecord::decode;

    private WalRecord() {
    }

    /** One record as read back: the compressed block, and its series once someone needs them one by one. */
    static final class Chunk {
        private final byte[] block;
        private final int blockOff;
        private final int blockLen;
        private final int rawLen;
        private final int count;
        private final long appendedMs;
        private byte[] raw;
        private int[] starts;

        Chunk(byte[] block, int blockOff, int blockLen, int rawLen, int count, long appendedMs) {
            this.block = block;
            this.blockOff = blockOff;
            this.blockLen = blockLen;
            this.rawLen = rawLen;
            this.count = count;
            this.appendedMs = appendedMs;
        }

        int count() {
            return count;
        }

        long appendedMs() {
            return appendedMs;
        }

        byte[] block() {
            return block;
        }

        int blockOff() {
            return blockOff;
        }

        int blockLen() {
            return blockLen;
        }

        /** Copies series i (its whole TimeSeries field) into out. IllegalStateException when the block is bad. */
        void writeSeries(int i, ProtoWriter out) {
            index();
            int end = i + 1 < count ? starts[i + 1] : rawLen;
            out.raw(raw, starts[i], end - starts[i]);
        }

        /** Points r at series i (its whole TimeSeries field). IllegalStateException when the block is bad. */
        void readSeries(int i, ProtoReader r) {
            index();
            int end = i + 1 < count ? starts[i + 1] : rawLen;
            r.reset(raw, starts[i], end - starts[i]);
        }

        /** Every series of the record, one by one (a whole record a receiver refused is split). */
        List<Series> series() {
            return new AbstractList<>() {
                @Override
                public Series get(int i) {
                    return new Series(Chunk.this, i);
                }

                @Override
                public int size() {
                    return count;
                }
            };
        }

        /**
         * What a log line says of series i: its labels and its sample's or histogram's time (the first, where the
         * series holds more); IllegalStateException when the block is bad.
         */
        Head head(int i) {
            index();
            int end = i + 1 < count ? starts[i + 1] : rawLen;
            ProtoReader r = new ProtoReader().reset(raw, starts[i], end - starts[i]);
            r.readTag(); // field 1 of the request: this TimeSeries
            r.enter();
            Labels.Builder labels = new Labels.Builder();
            String[] nameValue = new String[2];
            long timestamp = 0;
            boolean timed = false;
            while (r.hasRemaining()) {
                int tag = r.readTag();
                int field = ProtoReader.fieldNumber(tag);
                if (field == 1) {
                    readLabel(r, nameValue);
                    labels.set(nameValue[0], nameValue[1]);
                } else if ((field == 2 || field == 4) && !timed) { // Sample: timestamp = 2; Histogram: timestamp = 15
                    int wanted = field == 2 ? 2 : 15;
                    int outer = r.enter();
                    while (r.hasRemaining()) {
                        int t = r.readTag();
                        if (ProtoReader.fieldNumber(t) == wanted && ProtoReader.wireType(t) == ProtoReader.VARINT) {
                            timestamp = r.readVarint();
                        } else {
                            r.skipField(t);
                        }
                    }
                    r.exit(outer);
                    timed = true;
                } else {
                    r.skipField(tag);
                }
            }
            return new Head(labels.build(), timestamp);
        }

        private void index() {
            if (starts != null) {
                return;
            }
            byte[] r = new byte[rawLen];
            try {
                if (Snappy.uncompressedLength(block, blockOff, blockLen) != rawLen) {
                    throw new IllegalStateException("the snappy block does not hold " + rawLen + " bytes");
                }
                Snappy.rawUncompress(block, blockOff, blockLen, r, 0);
            } catch (IOException e) {
                throw new IllegalStateException("bad snappy block: " + e.getMessage(), e);
            }
            int[] s = new int[count];
            int pos = 0;
            int[] at = new int[1];
            for (int n = 0; n < count; n++) {
                if (pos >= rawLen || r[pos] != 0x0A) { // field 1, length-delimited: a TimeSeries
                    throw new IllegalStateException("no TimeSeries field at byte " + pos + " for series " + n + " of " + count);
                }
                s[n] = pos++;
                at[0] = pos;
                long len = varint(r, at, rawLen);
                if (len > rawLen - at[0]) {
                    throw new IllegalStateException("series " + n + " runs past the record's end");
                }
                pos = at[0] + (int) len;
            }
            if (pos != rawLen) {
                throw new IllegalStateException("the record holds more than its " + count + " series");
            }
            raw = r;
            starts = s;
        }
    }

    /** The varint at b[pos[0]], which moves past it; IllegalStateException when it runs to end or is over 64 bits. */
    private static long varint(byte[] b, int[] pos, int end) {
        long v = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            if (pos[0] >= end) {
                break;
            }
            byte x = b[pos[0]++];
            v |= (long) (x & 0x7F) << shift;
            if (x >= 0) {
                return v;
            }
        }
        throw new IllegalStateException("bad varint before byte " + pos[0]);
    }

    private static long fixed64(byte[] b, int at) {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v |= (b[at + i] & 0xFFL) << (8 * i);
        }
        return v;
    }

    /**
     * A {@code Label { string name = 1; string value = 2; }} (a series' or an exemplar's) at r, its tag read: its name
     * and value into nameValue.
     */
    static void readLabel(ProtoReader r, String[] nameValue) {
        int outer = r.enter();
        nameValue[0] = "";
        nameValue[1] = "";
        while (r.hasRemaining()) {
            int t = r.readTag();
            nameValue[ProtoReader.fieldNumber(t) == 1 ? 0 : 1] = r.readString();
        }
        r.exit(outer);
    }

    /** A series' labels and time, for a log line about it. */
    record Head(Labels labels, long timestampMs) {
    }

    /** Series i of a chunk: what the log hands out one by one. */
    record Series(Chunk chunk, int index) {
        long appendedMs() {
            return chunk.appendedMs();
        }
    }

    /** Writes the payload: rawLen bytes of TimeSeries fields, compressed into compressed[0, compressedLen). */
    static void write(ProtoWriter out, long appendedMs, int rawLen, byte[] compressed, int compressedLen) {
        out.fixed64(appendedMs);
        out.varint(rawLen);
        out.raw(compressed, 0, compressedLen);
    }

    static byte[] compressBuffer(byte[] current, int rawLen) {
        int need = Snappy.maxCompressedLength(rawLen);
        return current != null && current.length >= need ? current : new byte[need];
    }

    static int compress(byte[] raw, int rawLen, byte[] into) throws IOException {
        return Snappy.rawCompress(raw, 0, rawLen, into, 0);
    }

    /**
     * The count series of a payload, without decompressing it (the segment's CRC already vouches for the
     * bytes); IllegalArgumentException when the header does not make sense.
     */
    static List<Series> decode(byte[] b, int off, int len, int count) {
        if (len < 10) {
            throw new IllegalArgumentException("record too short");
        }
        long appendedMs = fixed64(b, off);
        int[] at = {off + 8};
        long rawLen;
        try {
            rawLen = varint(b, at, off + len);
        } catch (IllegalStateException e) {
            throw new IllegalArgumentException("bad raw length");
        }
        int pos = at[0];
        if (rawLen < count * 2L || rawLen > 256L << 20) {
            throw new IllegalArgumentException("implausible raw length " + rawLen + " for " + count + " series");
        }
        return new Chunk(b, pos, off + len - pos, (int) rawLen, count, appendedMs).series();
    }
}

package io.caravan.remotewrite;

import io.caravan.wal.SegmentLog;
import io.caravan.wire.ProtoWriter;
import org.xerial.snappy.Snappy;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The payload of one write-ahead-log record: the samples of one append for one shard, already encoded as
 * the remote_write {@code TimeSeries} fields they will be sent as (one per sample), snappy-compressed:
 * <pre>  append time (fixed64 ms) | raw length (varint) | snappy block of TimeSeries fields</pre>
 * Storing the wire form means the sender only concatenates and compresses: a WriteRequest is nothing but
 * a run of field-1 TimeSeries, so slices from several records make one request. Compression keeps an
 * outage's worth of samples small on disk (series labels repeat from scrape to scrape).
 */
final class WalRecord {

    /** One sample as a TimeSeries field (tag, length, message) at b[off, off+len), and when it was appended. */
    record Series(byte[] b, int off, int len, long appendedMs) {
    }

    static final SegmentLog.Codec<Series> CODEC = WalRecord::decode;

    private WalRecord() {
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

    /** The count series in the payload; IllegalArgumentException when the bytes do not hold exactly them. */
    static List<Series> decode(byte[] b, int off, int len, int count) {
        int end = off + len;
        if (len < 9) {
            throw new IllegalArgumentException("record too short");
        }
        long appendedMs = 0;
        for (int i = 0; i < 8; i++) {
            appendedMs |= (b[off + i] & 0xFFL) << (8 * i);
        }
        int[] pos = {off + 8};
        long rawLen = varint(b, pos, end);
        if (rawLen < 0 || rawLen > 256L << 20) {
            throw new IllegalArgumentException("implausible raw length " + rawLen);
        }
        byte[] raw = new byte[(int) rawLen];
        try {
            if (!Snappy.isValidCompressedBuffer(b, pos[0], end - pos[0])
                    || Snappy.uncompressedLength(b, pos[0], end - pos[0]) != rawLen) {
                throw new IllegalArgumentException("bad snappy block");
            }
            Snappy.rawUncompress(b, pos[0], end - pos[0], raw, 0);
        } catch (IOException e) {
            throw new IllegalArgumentException("bad snappy block: " + e.getMessage());
        }
        List<Series> out = new ArrayList<>(count);
        int[] p = {0};
        while (p[0] < raw.length) {
            int start = p[0];
            if (raw[p[0]++] != 0x0A) { // field 1, length-delimited: a TimeSeries
                throw new IllegalArgumentException("not a TimeSeries field at " + start);
            }
            long n = varint(raw, p, raw.length);
            if (n < 0 || p[0] + n > raw.length) {
                throw new IllegalArgumentException("truncated TimeSeries at " + start);
            }
            p[0] += (int) n;
            out.add(new Series(raw, start, p[0] - start, appendedMs));
        }
        if (out.size() != count) {
            throw new IllegalArgumentException("record holds " + out.size() + " series, header says " + count);
        }
        return out;
    }

    private static long varint(byte[] b, int[] pos, int end) {
        long v = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            if (pos[0] >= end) {
                throw new IllegalArgumentException("truncated varint");
            }
            byte x = b[pos[0]++];
            v |= (long) (x & 0x7F) << shift;
            if (x >= 0) {
                return v;
            }
        }
        throw new IllegalArgumentException("varint too long");
    }
}

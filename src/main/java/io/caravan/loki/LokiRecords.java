package io.caravan.loki;

import io.caravan.model.LogEntry;
import io.caravan.wal.SegmentLog;
import io.caravan.wire.ProtoWriter;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * The Loki spill's records, wire-ready: one append's entries as the PushRequest fields they are sent as
 * (one StreamAdapter per stream, external labels applied, each stream in time order), so a push request is
 * records one after the other, compressed once: each entry is encoded once, when it is appended. A record
 * of n entries reads back as n references to one {@link Piece}; the sender takes a record whole.
 * A record holds one tenant's entries: one of another tenant than the sink's own starts with that tenant (a
 * PushRequest-style field 2 that the sender leaves out of the body and sends as X-Scope-OrgID); a record without
 * it, as the previous version wrote them all, goes as the sink's own tenant. Records an older Caravan spilled
 * ({@link OldSpillRecord}) read back as one piece per entry, encoded then.
 */
final class LokiRecords implements SegmentLog.Codec<LokiRecords.Piece> {

    /** PushRequest field 1 (StreamAdapter), length-delimited: how every wire-ready record starts. */
    private static final byte STREAM_FIELD = 0x0A;
    /** Field 2, length-delimited: the tenant, before the StreamAdapters of a record of another tenant than the sink's own. */
    private static final byte TENANT_FIELD = 0x12;
    /** The drop reason of entries that could not be written to the spill (disk full or broken, the sink stopped). */
    static final String SPILL_WRITE_ERROR = "spill_write_error";

    /**
     * Bytes to send as they are, holding the record's entries firstIndex .. firstIndex + entries - 1, for tenant
     * (null: the sink's own). Sent whole, so bytes() may be shared by every entry of its record.
     */
    record Piece(byte[] bytes, int offset, int length, int firstIndex, int entries, String tenant) {
    }

    private final PushEncoder upgradeEncoder;

    /** @param upgradeEncoder encodes what an older agent left on disk, with this sink's external labels */
    LokiRecords(PushEncoder upgradeEncoder) {
        this.upgradeEncoder = upgradeEncoder;
    }

    /**
     * Appends the entries as records of at most about batchBytes each, so that no request grows past it (Loki
     * refuses a push over its rate-limit burst for good). The encoder is the calling thread's own: it runs
     * outside the log's lock. When a record cannot be written, it and the rest are counted as dropped
     * (spill_write_error) and the failure is thrown: the source may hand them over again.
     */
    static void append(SegmentLog<Piece> log, PushEncoder encoder, List<LogEntry> entries, long batchBytes, LokiMetrics metrics)
            throws IOException {
        int written = 0;
        try {
            for (Map.Entry<String, List<LogEntry>> tenant : Tenants.split(entries).entrySet()) {
                List<LogEntry> of = tenant.getValue();
                int from = 0;
                long bytes = 0;
                for (int i = 0; i < of.size(); i++) {
                    long size = sizeEstimate(of.get(i));
                    if (i > from && bytes + size > batchBytes) {
                        appendRecord(log, encoder, tenant.getKey(), of.subList(from, i));
                        written += i - from;
                        from = i;
                        bytes = 0;
                    }
                    bytes += size;
                }
                appendRecord(log, encoder, tenant.getKey(), of.subList(from, of.size()));
                written += of.size() - from;
            }
        } catch (IOException | RuntimeException e) {
            metrics.dropped(SPILL_WRITE_ERROR, entries.size() - written);
            throw e;
        }
    }

    private static void appendRecord(SegmentLog<Piece> log, PushEncoder encoder, String tenant, List<LogEntry> entries) throws IOException {
        log.append(entries.size(), out -> {
            if (!tenant.equals(Tenants.SINKS_OWN)) {
                out.string(2, tenant);
            }
            encoder.writeStreams(entries, out);
        });
    }

    /** About what an entry costs in a request, without encoding it: its line and a few bytes per label. */
    private static long sizeEstimate(LogEntry e) {
        return e.line().length() + 16L * (e.labels().size() + e.metadata().size());
    }

    @Override
    public List<Piece> decode(byte[] b, int off, int len, int count) {
        if (len > 0 && b[off] == STREAM_FIELD) {
            checkFields(b, off, off + len);
            return Collections.nCopies(count, new Piece(b, off, len, 0, count, null));
        }
        if (len > 0 && b[off] == TENANT_FIELD) {
            int end = off + len;
            int[] at = {off + 1};
            int tenantLen = length(b, at, end);
            int pos = at[0];
            if (tenantLen == 0 || tenantLen >= end - pos || b[pos + tenantLen] != STREAM_FIELD) {
                throw new IllegalArgumentException("a tenant record without its tenant or its streams");
            }
            String tenant = new String(b, pos, tenantLen, StandardCharsets.UTF_8);
            pos += tenantLen;
            checkFields(b, pos, end);
            return Collections.nCopies(count, new Piece(b, pos, end - pos, 0, count, tenant));
        }
        if (len > 0 && b[off] == OldSpillRecord.FIRST_BYTE) {
            return upgrade(OldSpillRecord.decode(b, off, len, count));
        }
        throw new IllegalArgumentException("neither a push record nor a spill record of an older version");
    }

    /** A wire-ready record is whole StreamAdapter fields, end to end. */
    private static void checkFields(byte[] b, int pos, int end) {
        int[] at = {pos};
        while (at[0] < end) {
            if (b[at[0]++] != STREAM_FIELD) {
                throw new IllegalArgumentException("no StreamAdapter field at byte " + (at[0] - 1));
            }
            int len = length(b, at, end);
            if (len > end - at[0]) {
                throw new IllegalArgumentException("a StreamAdapter runs past the record's end");
            }
            at[0] += len;
        }
    }

    /** The varint length at at[0], which moves past it. */
    private static int length(byte[] b, int[] at, int end) {
        long len = 0;
        for (int shift = 0; ; shift += 7) {
            if (at[0] >= end || shift > 28) {
                throw new IllegalArgumentException("bad length before byte " + at[0]);
            }
            byte x = b[at[0]++];
            len |= (long) (x & 0x7F) << shift;
            if (x >= 0) {
                return len > Integer.MAX_VALUE ? Integer.MAX_VALUE : (int) len;
            }
        }
    }

    private List<Piece> upgrade(List<LogEntry> entries) {
        List<Piece> out = new ArrayList<>(entries.size());
        ProtoWriter w = new ProtoWriter(256);
        for (int i = 0; i < entries.size(); i++) {
            w.reset();
            LogEntry e = entries.get(i);
            upgradeEncoder.writeStreams(List.of(Tenants.withoutLabel(e)), w);
            out.add(new Piece(Arrays.copyOf(w.array(), w.size()), 0, w.size(), i, 1, e.labels().get(LogEntry.TENANT_LABEL)));
        }
        return out;
    }
}

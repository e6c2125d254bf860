package io.caravan.loki;

import io.caravan.sink.PushClient;
import io.caravan.sink.Sender;
import io.caravan.wal.SegmentLog;
import io.caravan.wire.ProtoWriter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xerial.snappy.Snappy;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Loki's batches: whole spill records of one tenant up to batchBytes, or what has come within batchWait after the
 * first (a record of another tenant ends the batch); the push body is those records end to end, snappy-compressed,
 * sent with X-Scope-OrgID of their tenant (the sink's own tenant for records without one). A receiver's 4xx drops the batch (counted
 * by status): Loki refuses a request for its content only when every entry in it is refused.
 */
final class LokiBatches implements Sender.Batches<LokiRecords.Piece, LokiBatches.Batch> {

    private static final Logger LOG = LoggerFactory.getLogger(LokiBatches.class);

    record Batch(List<LokiRecords.Piece> pieces, int entries, SegmentLog.Position end, String tenant) implements Sender.Batch {
        @Override
        public int skipped() {
            return 0;
        }
    }

    private final long batchBytes;
    private final long batchWaitMs;
    private final String sinksTenant;
    private final ProtoWriter body = new ProtoWriter(1 << 16);
    private byte[] compressed = new byte[0];

    /** @param sinksTenant the tenant of entries without their own (the endpoint's tenant option; null or blank: none) */
    LokiBatches(long batchBytes, long batchWaitMs, String sinksTenant) {
        this.batchBytes = batchBytes;
        this.batchWaitMs = batchWaitMs;
        this.sinksTenant = sinksTenant;
    }

    @Override
    public Batch fill(SegmentLog<LokiRecords.Piece> log, boolean inherited, Sender<LokiRecords.Piece, Batch> sender)
            throws IOException, InterruptedException {
        List<LokiRecords.Piece> pieces = new ArrayList<>();
        int entries = 0;
        long bytes = 0;
        long firstAt = 0;
        while (sender.running()) {
            log.syncIfDue();
            long trims = log.readerTrims();
            LokiRecords.Piece p = log.peek();
            if (p == null) {
                if (inherited && pieces.isEmpty()) {
                    break;
                }
                if (pieces.isEmpty()) {
                    log.awaitAppend(100);
                    continue;
                }
                long wait = sender.draining() ? 0 : firstAt + batchWaitMs - System.currentTimeMillis();
                if (wait <= 0) {
                    break;
                }
                log.awaitAppend(Math.min(wait, 100));
                continue;
            }
            if (!pieces.isEmpty() && (bytes + p.length() > batchBytes || !Objects.equals(p.tenant(), pieces.get(0).tenant()))) {
                break;
            }
            int taken = p.firstIndex() + p.entries() - log.position().index();
            if (!log.advance(taken, trims)) {
                continue; // the bound deleted its segment meanwhile: counted as spill_full, not sent
            }
            pieces.add(p);
            entries += taken;
            bytes += p.length();
            if (firstAt == 0) {
                firstAt = System.currentTimeMillis();
            }
        }
        return new Batch(pieces, entries, log.position(), pieces.isEmpty() ? null : pieces.get(0).tenant());
    }

    @Override
    public int send(Batch batch, Sender<LokiRecords.Piece, Batch> sender) throws InterruptedException {
        int length;
        try {
            body.reset();
            for (LokiRecords.Piece p : batch.pieces()) {
                body.raw(p.bytes(), p.offset(), p.length());
            }
            int max = Snappy.maxCompressedLength(body.size());
            if (compressed.length < max) {
                compressed = new byte[max + (max >> 2)];
            }
            length = Snappy.rawCompress(body.array(), 0, body.size(), compressed, 0);
        } catch (IOException | RuntimeException e) {
            sender.dropped("encode_error", batch.entries());
            LOG.error("{}: cannot compress a batch of {} entries, dropped", sender.who(), batch.entries(), e);
            return 0;
        }
        PushClient.Outcome outcome = sender.deliver(compressed, 0, length, batch.entries(), Tenants.header(batch.tenant(), sinksTenant));
        if (outcome == null) {
            return batch.entries();
        }
        sender.settle(batch.entries(), outcome);
        return 0;
    }
}

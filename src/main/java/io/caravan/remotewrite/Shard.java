package io.caravan.remotewrite;

import io.caravan.sink.PushClient;
import io.caravan.sink.Sender;
import io.caravan.wal.SegmentLog;
import io.caravan.wire.ProtoWriter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * How one shard's {@link Sender} cuts and sends batches: up to maxSamplesPerSend samples (a partial batch at
 * most once per batchSendDeadline), a big WAL record sent as it is stored, never a batch across two
 * segments; samples older than maxWalAge skipped, counted as too_old; a batch the receiver refuses for its
 * content split until the refused series are alone (see {@link #send}).
 */
final class Shard implements Sender.Batches<WalRecord.Series, Shard.Batch> {

    private static final Logger LOG = LoggerFactory.getLogger(Shard.class);

    private final int index;
    private final RemoteWriteSettings settings;
    private final Refusals refusals;
    private final String sink;
    private final WriteProtocol protocol;
    private final ProtoWriter body = new ProtoWriter(64 * 1024);
    private final RequestV2Encoder v2 = new RequestV2Encoder();
    private byte[] compressed;
    /** Samples and histograms in the last 2.0 request, which its written counts answer for. */
    private int lastV2Series = -1;

    /** The outcome of a part whose WAL record cannot be read back: counted as wal_corrupt, nothing sent. */
    private static final PushClient.Outcome UNREADABLE = new PushClient.Outcome(PushClient.Outcome.Kind.DROP, 0, 0, "unreadable", "");

    Shard(int index, RemoteWriteSettings settings, Refusals refusals, String sink, WriteProtocol protocol) {
        this.index = index;
        this.settings = settings;
        this.refusals = refusals;
        this.sink = sink;
        this.protocol = protocol;
    }

    /** What one request carries: a whole WAL record sent as it is, or series merged from several. */
    record Batch(WalRecord.Chunk whole, List<WalRecord.Series> series, int skipped, SegmentLog.Position end) implements Sender.Batch {
        @Override
        public int entries() {
            return whole != null ? whole.count() : series.size();
        }

        List<WalRecord.Series> all() {
            return whole != null ? whole.series() : series;
        }
    }

    /**
     * A record of at least this many samples is a request of its own: sent as it is in the WAL, with no
     * decompression and no second compression (the common case under load: one record per scrape and shard).
     */
    private int wholeRecordMinimum() {
        return Math.max(1, settings.maxSamplesPerSend() / 8);
    }

    /** Up to maxSamplesPerSend, waiting at most batchSendDeadline after the first one for more. */
    @Override
    public Batch fill(SegmentLog<WalRecord.Series> source, boolean inherited, Sender<WalRecord.Series, Batch> sender)
            throws IOException, InterruptedException {
        List<WalRecord.Series> batch = new ArrayList<>(Math.min(settings.maxSamplesPerSend(), 4096));
        int tooOld = 0;
        long firstAt = 0;
        long batchSegment = -1;
        long oldest = System.currentTimeMillis() - settings.maxWalAgeMs();
        while (sender.running() && batch.size() < settings.maxSamplesPerSend()) {
            source.syncIfDue();
            long trims = source.readerTrims();
            WalRecord.Series s = source.peek();
            if (s == null) {
                if (inherited || tooOld > 0) {
                    break; // an inherited log is done, or skipped samples need acknowledging
                }
                if (batch.isEmpty()) {
                    source.awaitAppend(100);
                    oldest = System.currentTimeMillis() - settings.maxWalAgeMs();
                    continue;
                }
                // a partial batch goes batchSendDeadline after its first sample or after the last send,
                // whichever is earlier: at most one partial request per deadline, and no wait after a quiet spell
                long due = Math.min(firstAt, sender.lastSendMs()) + settings.batchSendDeadlineMs();
                long wait = sender.draining() ? 0 : due - System.currentTimeMillis();
                if (wait <= 0) {
                    break;
                }
                source.awaitAppend(Math.min(wait, 100));
                continue;
            }
            if (batch.isEmpty() && tooOld == 0 && s.index() == 0 && s.appendedMs() >= oldest
                    && s.chunk().count() >= wholeRecordMinimum() && s.chunk().count() <= settings.maxSamplesPerSend()) {
                if (!source.advance(s.chunk().count(), trims)) {
                    continue; // the bound deleted its segment meanwhile: counted as wal_full, not sent
                }
                return new Batch(s.chunk(), List.of(), 0, source.position());
            }
            long segment = source.position().segment();
            if (batch.isEmpty() && tooOld == 0) {
                batchSegment = segment;
            } else if (segment != batchSegment) {
                break; // a batch never spans segments: if the bound deletes one, exactly its batches are lost
            }
            if (!source.advance(1, trims)) {
                continue;
            }
            if (s.appendedMs() < oldest) {
                tooOld++;
                continue;
            }
            batch.add(s);
            if (firstAt == 0) {
                firstAt = System.currentTimeMillis();
            }
        }
        if (tooOld > 0) {
            sender.dropped("too_old", tooOld);
            LOG.warn("remote-write {} shard {}: skipped {} samples that waited in the WAL longer than maxWalAge ({} ms)",
                    sink, index, tooOld, settings.maxWalAgeMs());
        }
        return new Batch(null, batch, tooOld, source.position());
    }

    /**
     * Sends the batch: how many of its samples are neither delivered nor counted as dropped because the shard
     * stopped first, so 0 when the batch is done with (and may be acknowledged). A batch the receiver refuses
     * for what it holds is sent again in parts ({@link RefusedBatch}) until only the refused samples are
     * dropped. A receiver that took part of a refused request (Mimir does) gets those samples again, which it
     * accepts as the duplicates they are.
     */
    @Override
    public int send(Batch batch, Sender<WalRecord.Series, Batch> sender) throws InterruptedException {
        PushClient.Outcome outcome = deliver(batch.whole(), batch.all(), sender);
        if (outcome == null) {
            return batch.entries();
        }
        if (outcome == UNREADABLE) {
            return 0;
        }
        if (outcome.kind() != PushClient.Outcome.Kind.REFUSED) {
            settle(batch.entries(), outcome, sender);
            return 0;
        }
        RefusedBatch refused = new RefusedBatch(batch.all());
        if (!refused.split(refused.whole())) { // one series: the refused one
            refusals.rejected(outcome, batch.all(), sender);
            return 0;
        }
        int unsettled = batch.entries();
        for (RefusedBatch.Part part; (part = refused.next()) != null; ) {
            List<WalRecord.Series> samples = part.samples();
            outcome = deliver(null, samples, sender);
            if (outcome == null) {
                return unsettled;
            }
            if (outcome != UNREADABLE) {
                if (outcome.kind() != PushClient.Outcome.Kind.REFUSED) {
                    settle(samples.size(), outcome, sender);
                } else if (refused.split(part)) {
                    continue; // its parts settle it
                } else {
                    refusals.rejected(outcome, samples, sender);
                }
            }
            unsettled -= samples.size();
        }
        return unsettled;
    }

    /**
     * The series as one request in the sink's message, a whole 1.0 record as it is stored; a 2.0 request the
     * receiver shows it cannot take goes again as 1.0 (see {@link WriteProtocol}). Null when the shard stopped first;
     * UNREADABLE when the WAL record cannot be read back (counted).
     */
    private PushClient.Outcome deliver(WalRecord.Chunk whole, List<WalRecord.Series> series, Sender<WalRecord.Series, Batch> sender)
            throws InterruptedException {
        while (true) {
            boolean asV2 = protocol.v2();
            PushClient.Outcome outcome;
            lastV2Series = -1;
            if (!asV2 && whole != null) {
                outcome = sender.deliver(whole.block(), whole.blockOff(), whole.blockLen(), whole.count());
            } else {
                int length = asV2 ? encodeV2(series) : encode(series);
                if (length < 0) {
                    sender.dropped("wal_corrupt", series.size());
                    return UNREADABLE;
                }
                outcome = sender.deliver(compressed, 0, length, series.size(), asV2 ? WriteProtocol.V2_HEADERS : Map.of());
            }
            if (outcome != null && asV2 && protocol.fallsBack(outcome)) {
                continue;
            }
            return outcome;
        }
    }

    /** A delivered part settled: what a 2.0 receiver says it did not write is dropped, counted as partial_write. */
    private void settle(int n, PushClient.Outcome outcome, Sender<WalRecord.Series, Batch> sender) {
        if (outcome.kind() == PushClient.Outcome.Kind.SENT && lastV2Series >= 0 && outcome.written() != null) {
            long written = outcome.written().samples() + outcome.written().histograms();
            int missing = (int) Math.max(0, Math.min(n, lastV2Series - written));
            if (missing > 0) {
                sender.dropped("partial_write", missing);
                LOG.warn("remote-write {} shard {}: the receiver wrote {} of the {} samples and histograms of a request; the rest "
                        + "is dropped (counted as partial_write)", sink, index, written, lastV2Series);
                sender.settle(n - missing, outcome);
                return;
            }
        }
        sender.settle(n, outcome);
    }

    /** The series as one compressed 2.0 Request in {@link #compressed}: its length, or -1 when unreadable (logged). */
    private int encodeV2(List<WalRecord.Series> series) {
        try {
            byte[] raw = v2.encode(series, protocol::metadata);
            compressed = WalRecord.compressBuffer(compressed, v2.size());
            int length = WalRecord.compress(raw, v2.size(), compressed);
            lastV2Series = v2.samples() + v2.histograms();
            return length;
        } catch (IOException | RuntimeException e) {
            LOG.error("remote-write {} shard {}: a WAL record of these {} samples cannot be read back ({}); dropped",
                    sink, index, series.size(), e.getMessage());
            return -1;
        }
    }

    /** The samples as one compressed WriteRequest in {@link #compressed}: its length, or -1 when unreadable (logged). */
    private int encode(List<WalRecord.Series> series) {
        try {
            body.reset();
            for (WalRecord.Series s : series) {
                s.chunk().writeSeries(s.index(), body);
            }
            compressed = WalRecord.compressBuffer(compressed, body.size());
            return WalRecord.compress(body.array(), body.size(), compressed);
        } catch (IOException | RuntimeException e) {
            LOG.error("remote-write {} shard {}: a WAL record of these {} samples cannot be read back ({}); dropped",
                    sink, index, series.size(), e.getMessage());
            return -1;
        }
    }
}

package io.caravan.remotewrite;

import io.caravan.http.RetryBackoff;
import io.caravan.wal.SegmentLog;
import io.caravan.wire.ProtoWriter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * One shard's sender: reads its WAL (logs inherited from a run with more shards first), cuts batches of up
 * to maxSamplesPerSend (a partial batch at most once per batchSendDeadline), sends one request at a time, retries 5xx,
 * 429 and connection failures with exponential backoff (honouring Retry-After) until they succeed, splits
 * a batch the receiver refuses for its content until the refused series are alone (see {@link #send}),
 * drops what it refuses with another 4xx (counted by status), and acknowledges the batch only once each of
 * its samples is sent or counted as dropped. Samples older than maxWalAge are skipped, counted as too_old.
 */
final class Shard implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(Shard.class);

    private final int index;
    private final SegmentLog<WalRecord.Series> log;
    private final Deque<SegmentLog<WalRecord.Series>> inherited = new ArrayDeque<>();
    private final RemoteWriteClient client;
    private final RemoteWriteSettings settings;
    private final RemoteWriteMetrics metrics;
    private final Refusals refusals;
    private final String sink;
    private final ProtoWriter body = new ProtoWriter(64 * 1024);
    private final CountDownLatch done = new CountDownLatch(1);
    private final RetryBackoff backoff;
    private byte[] compressed;

    private volatile boolean running = true;
    private volatile boolean draining;
    private long lastSendMs;

    Shard(int index, SegmentLog<WalRecord.Series> log, RemoteWriteClient client, RemoteWriteSettings settings,
          RemoteWriteMetrics metrics, Refusals refusals, String sink) {
        this.index = index;
        this.log = log;
        this.client = client;
        this.settings = settings;
        this.metrics = metrics;
        this.refusals = refusals;
        this.sink = sink;
        this.backoff = new RetryBackoff(settings.minBackoffMs(), settings.maxBackoffMs());
    }

    int index() {
        return index;
    }

    SegmentLog<WalRecord.Series> log() {
        return log;
    }

    synchronized void inherit(SegmentLog<WalRecord.Series> other) {
        inherited.add(other);
    }

    @Override
    public void run() {
        Thread.currentThread().setName("remote-write-" + sink + "-" + index);
        try {
            while (running) {
                SegmentLog<WalRecord.Series> source = source();
                Batch batch = fill(source);
                if (batch.size() == 0) {
                    if (batch.tooOld > 0) {
                        source.ack(batch.end, batch.tooOld);
                    }
                    retireIfDrained(source);
                    continue;
                }
                int unsettled = send(batch);
                if (unsettled == 0) {
                    source.ack(batch.end, batch.size() + batch.tooOld);
                } else if (!source.retains(batch.end.segment())) {
                    // stopped while the receiver failed, and the WAL bound already deleted this batch's segment
                    metrics.dropped("wal_full", unsettled);
                    LOG.warn("remote-write {} shard {}: {} unsent samples were in a WAL segment deleted for maxWalBytes; dropped",
                            sink, index, unsettled);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException | RuntimeException e) {
            LOG.error("remote-write {} shard {}: the sender stopped on an unexpected error; samples stay in the WAL for the next start",
                    sink, index, e);
        } finally {
            done.countDown();
        }
    }

    private synchronized SegmentLog<WalRecord.Series> source() {
        return inherited.isEmpty() ? log : inherited.peekFirst();
    }

    /** An inherited log that has been sent in full is closed and its directory removed. */
    private void retireIfDrained(SegmentLog<WalRecord.Series> source) throws IOException {
        if (source == log || source.peek() != null) {
            return;
        }
        synchronized (this) {
            inherited.pollFirst();
        }
        Path dir = source.dir();
        source.close();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
        LOG.info("remote-write {}: sent everything left in {}; removed it", sink, dir);
    }

    /** What one request carries: a whole WAL record sent as it is, or series merged from several. */
    private record Batch(WalRecord.Chunk whole, List<WalRecord.Series> series, int tooOld, SegmentLog.Position end) {
        int size() {
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
    private Batch fill(SegmentLog<WalRecord.Series> source) throws IOException, InterruptedException {
        List<WalRecord.Series> batch = new ArrayList<>(Math.min(settings.maxSamplesPerSend(), 4096));
        int tooOld = 0;
        long firstAt = 0;
        long batchSegment = -1;
        long oldest = System.currentTimeMillis() - settings.maxWalAgeMs();
        while (running && batch.size() < settings.maxSamplesPerSend()) {
            source.syncIfDue();
            WalRecord.Series s = source.peek();
            if (s == null) {
                if (source != log || tooOld > 0) {
                    break; // an inherited log is done, or skipped samples need acknowledging
                }
                if (batch.isEmpty()) {
                    source.awaitAppend(100);
                    oldest = System.currentTimeMillis() - settings.maxWalAgeMs();
                    continue;
                }
                // a partial batch goes batchSendDeadline after its first sample or after the last send,
                // whichever is earlier: at most one partial request per deadline, and no wait after a quiet spell
                long due = Math.min(firstAt, lastSendMs) + settings.batchSendDeadlineMs();
                long wait = draining ? 0 : due - System.currentTimeMillis();
                if (wait <= 0) {
                    break;
                }
                source.awaitAppend(Math.min(wait, 100));
                continue;
            }
            if (batch.isEmpty() && tooOld == 0 && s.index() == 0 && s.appendedMs() >= oldest
                    && s.chunk().count() >= wholeRecordMinimum() && s.chunk().count() <= settings.maxSamplesPerSend()) {
                for (int i = 0; i < s.chunk().count(); i++) {
                    source.advance();
                }
                return new Batch(s.chunk(), List.of(), 0, source.position());
            }
            long segment = source.position().segment();
            if (batch.isEmpty() && tooOld == 0) {
                batchSegment = segment;
            } else if (segment != batchSegment) {
                break; // a batch never spans segments: if the bound deletes one, exactly its batches are lost
            }
            source.advance();
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
            metrics.dropped("too_old", tooOld);
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
    private int send(Batch batch) throws InterruptedException {
        RemoteWriteClient.Outcome outcome;
        if (batch.whole != null) {
            outcome = deliver(batch.whole.block(), batch.whole.blockOff(), batch.whole.blockLen(), batch.size());
        } else {
            int length = encode(batch.series);
            if (length < 0) {
                return 0;
            }
            outcome = deliver(compressed, 0, length, batch.size());
        }
        if (outcome == null) {
            return batch.size();
        }
        if (outcome.kind() != RemoteWriteClient.Outcome.Kind.REFUSED) {
            settle(batch.size(), outcome);
            return 0;
        }
        RefusedBatch refused = new RefusedBatch(batch.all());
        if (!refused.split(refused.whole())) { // one series: the refused one
            refusals.rejected(outcome, batch.all());
            return 0;
        }
        int unsettled = batch.size();
        for (RefusedBatch.Part part; (part = refused.next()) != null; ) {
            List<WalRecord.Series> samples = part.samples();
            int length = encode(samples);
            if (length >= 0) {
                outcome = deliver(compressed, 0, length, samples.size());
                if (outcome == null) {
                    return unsettled;
                }
                if (outcome.kind() != RemoteWriteClient.Outcome.Kind.REFUSED) {
                    settle(samples.size(), outcome);
                } else if (refused.split(part)) {
                    continue; // its parts settle it
                } else {
                    refusals.rejected(outcome, samples);
                }
            }
            unsettled -= samples.size();
        }
        return unsettled;
    }

    /** Counts what a final answer other than REFUSED did to n samples. */
    private void settle(int n, RemoteWriteClient.Outcome outcome) {
        if (outcome.kind() == RemoteWriteClient.Outcome.Kind.SENT) {
            metrics.sent(n);
            return;
        }
        metrics.dropped("http_" + outcome.status(), n);
        LOG.error("remote-write {}: receiver refused {} samples, dropped (not retryable): {}", sink, n, outcome.message());
    }

    /** The samples as one compressed WriteRequest in {@link #compressed}: its length, or -1 when unreadable (counted). */
    private int encode(List<WalRecord.Series> series) {
        try {
            body.reset();
            for (WalRecord.Series s : series) {
                s.chunk().writeSeries(s.index(), body);
            }
            compressed = WalRecord.compressBuffer(compressed, body.size());
            return WalRecord.compress(body.array(), body.size(), compressed);
        } catch (IOException | RuntimeException e) {
            metrics.dropped("wal_corrupt", series.size());
            LOG.error("remote-write {} shard {}: a WAL record of these {} samples cannot be read back ({}); dropped",
                    sink, index, series.size(), e.getMessage());
            return -1;
        }
    }

    /**
     * Sends one request, retrying 5xx, 429 and connection failures with backoff: the receiver's final answer
     * (SENT, REFUSED or DROP), or null when stopped first.
     */
    private RemoteWriteClient.Outcome deliver(byte[] payload, int offset, int length, int samples) throws InterruptedException {
        backoff.reset();
        int attempt = 0;
        while (running) {
            long start = System.nanoTime();
            RemoteWriteClient.Outcome outcome = client.send(payload, offset, length);
            lastSendMs = System.currentTimeMillis();
            metrics.request(outcome, System.nanoTime() - start, length);
            if (outcome.kind() != RemoteWriteClient.Outcome.Kind.RETRY) {
                if (attempt > 0) {
                    LOG.info("remote-write {} shard {}: receiver answered after {} retries", sink, index, attempt);
                }
                return outcome;
            }
            metrics.retried(samples);
            if (attempt == 0 || attempt % 20 == 0) {
                LOG.warn("remote-write {}: {}; retrying with backoff (samples wait in the WAL)", sink, outcome.message());
            }
            attempt++;
            if (!backoff.pause(outcome.retryAfterMs())) {
                return null;
            }
        }
        return null;
    }

    /** Stop waiting for batch deadlines: send what is there. */
    void drain() {
        draining = true;
        log.wakeUp();
    }

    /** No interrupt: it would close the WAL files' channels under the reader. */
    void stop() {
        running = false;
        backoff.stop();
        log.wakeUp();
    }

    void awaitStopped() throws InterruptedException {
        if (!done.await(settings.maxBackoffMs() + 10_000, TimeUnit.MILLISECONDS)) {
            LOG.warn("remote-write {} shard {}: the sender did not stop in time", sink, index);
        }
    }

    boolean stopped() {
        return done.getCount() == 0;
    }

    /** Waiting to retry a batch the receiver did not take. */
    boolean retrying() {
        return backoff.waiting();
    }

    synchronized long pending() {
        long n = log.pendingEntries(); // appended and not yet acknowledged, so in flight too
        for (SegmentLog<WalRecord.Series> l : inherited) {
            n += l.pendingEntries();
        }
        return n;
    }

    synchronized long diskBytes() {
        long n = log.diskBytes();
        for (SegmentLog<WalRecord.Series> l : inherited) {
            n += l.diskBytes();
        }
        return n;
    }

    synchronized void closeLogs() {
        for (SegmentLog<WalRecord.Series> l : inherited) {
            closeQuietly(l);
        }
        closeQuietly(log);
    }

    private void closeQuietly(SegmentLog<WalRecord.Series> l) {
        try {
            l.close();
        } catch (IOException e) {
            LOG.warn("remote-write {}: closing {} failed: {}", sink, l.dir(), e.toString());
        }
    }
}

package io.caravan.sink;

import io.caravan.http.RetryBackoff;
import io.caravan.wal.SegmentLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The one thread that empties a segment log into a receiver: fill a batch, send it (retrying 5xx, 429 and
 * connection failures with exponential backoff, honouring Retry-After), acknowledge it in the log only once
 * each of its entries is sent or counted as dropped, and on a stop drain what is queued for a while, then
 * stop without interrupting (an interrupt would close the log's channels under its reader). One request at
 * a time keeps each stream and series in order. Logs inherited from an earlier run (remote write's shards
 * after the shard count went down) are sent first, then closed and removed.
 * <p>
 * What a batch is and how it is sent (whole records, splitting a refused batch, skipping what is too old)
 * is the sink's: {@link Batches}. What a batch's entries came to is counted through the sender ({@link #settle},
 * {@link #dropped}) and reaches the sink's meters with the batch's acknowledgement, one step of its ledger.
 *
 * @param <T> what the log's codec hands out per entry
 * @param <B> the sink's batch
 */
public final class Sender<T, B extends Sender.Batch> implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(Sender.class);

    /** What the loop needs to know of a batch. */
    public interface Batch {
        /** Entries to send. */
        int entries();

        /** Entries the sink skipped and counted as dropped through {@link Sender#dropped} (too old); acknowledged with the batch. */
        int skipped();

        /** The log position after the batch's last entry. */
        SegmentLog.Position end();
    }

    /** A sink's batching: how entries are read into a batch and how a batch is sent. */
    public interface Batches<T, B extends Batch> {

        /** The next batch from source, waiting for it as the sink's deadlines say; may hold no entries. */
        B fill(SegmentLog<T> source, boolean inherited, Sender<T, B> sender) throws IOException, InterruptedException;

        /**
         * Sends the batch through {@link Sender#deliver} and {@link Sender#settle}: how many of its entries are
         * neither sent nor counted as dropped because the sender stopped first (0: the batch may be acknowledged).
         */
        int send(B batch, Sender<T, B> sender) throws InterruptedException;
    }

    private final String who;
    private final String units;
    private final SegmentLog<T> log;
    private final Deque<SegmentLog<T>> inherited = new ArrayDeque<>();
    private final PushClient client;
    private final Batches<T, B> batches;
    private final SinkMetrics metrics;
    private final LedgerGate gate;
    private final Settlement settlement = new Settlement();
    private final RetryBackoff backoff;
    private final long maxBackoffMs;
    private final CountDownLatch done = new CountDownLatch(1);

    private volatile boolean running = true;
    private volatile boolean draining;
    private volatile long lastSendMs;
    private volatile String state = "starting";
    private volatile long lastSuccessMs;
    private volatile long lastErrorMs;
    private volatile String lastError;

    /**
     * @param who   the sender in messages and its thread's name: "loki loki-local", "remote-write mimir shard 2"
     * @param units what the log holds, for messages: "entries", "samples"
     */
    public Sender(String who, String units, SegmentLog<T> log, PushClient client, Batches<T, B> batches,
                  SinkMetrics metrics, long minBackoffMs, long maxBackoffMs) {
        this.who = who;
        this.units = units;
        this.log = log;
        this.client = client;
        this.batches = batches;
        this.metrics = metrics;
        this.gate = metrics.gate();
        this.backoff = new RetryBackoff(minBackoffMs, maxBackoffMs);
        this.maxBackoffMs = maxBackoffMs;
    }

    public SegmentLog<T> log() {
        return log;
    }

    /** A log left by an earlier run, sent before this sender's own. */
    public synchronized void inherit(SegmentLog<T> other) {
        inherited.add(other);
    }

    @Override
    public void run() {
        Thread.currentThread().setName(who.replace(' ', '-'));
        try {
            while (running) {
                SegmentLog<T> source = source();
                B batch = batches.fill(source, source != log, this);
                if (batch.entries() == 0) {
                    if (batch.skipped() > 0) {
                        acknowledge(source, batch.end(), batch.skipped());
                    }
                    retireIfDrained(source);
                    continue;
                }
                int unsettled = batches.send(batch, this);
                if (unsettled == 0) {
                    acknowledge(source, batch.end(), batch.entries() + batch.skipped());
                } else if (!source.retains(batch.end().segment())) {
                    // stopped while the receiver failed, and the log's bound already deleted this batch's segment:
                    // nothing can send it again, so it leaves the queue as dropped
                    settlement.overLimit(unsettled);
                    acknowledge(source, batch.end(), batch.entries() + batch.skipped());
                    LOG.warn("{}: {} unsent {} were in a segment deleted for the queue's size bound; dropped", who, unsettled, units);
                } else {
                    settlement.clear(); // stopped: the batch stays queued and goes again at the next start
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException | RuntimeException e) {
            error("sender stopped: " + e);
            LOG.error("{}: the sender stopped on an unexpected error; {} stay on disk for the next start", who, units, e);
        } finally {
            state = "stopped";
            done.countDown();
        }
    }

    /** The batch leaves the queue and what it came to is counted, as one step of the sink's ledger. */
    private void acknowledge(SegmentLog<T> source, SegmentLog.Position end, int entries) throws IOException {
        long stamp = gate.enter();
        try {
            source.ack(end, entries);
            settlement.applyTo(metrics);
        } finally {
            gate.exit(stamp);
        }
    }

    private synchronized SegmentLog<T> source() {
        return inherited.isEmpty() ? log : inherited.peekFirst();
    }

    /** An inherited log that has been sent in full is closed and its directory removed. */
    private void retireIfDrained(SegmentLog<T> source) throws IOException {
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
        LOG.info("{}: sent everything left in {}; removed it", who, dir);
    }

    /**
     * Sends one request, retrying 5xx, 429 and connection failures with backoff: the receiver's final answer
     * (SENT, REFUSED or DROP), or null when stopped first. entries is what the request holds, for the counts.
     */
    public PushClient.Outcome deliver(byte[] body, int offset, int length, int entries) throws InterruptedException {
        return deliver(body, offset, length, entries, Map.of());
    }

    /** As {@link #deliver(byte[], int, int, int)}, with headers of this request only (Loki's tenant of a batch). */
    public PushClient.Outcome deliver(byte[] body, int offset, int length, int entries, Map<String, String> requestHeaders)
            throws InterruptedException {
        backoff.reset();
        int attempt = 0;
        while (running) {
            long start = System.nanoTime();
            PushClient.Outcome outcome = client.send(body, offset, length, requestHeaders, () -> !running);
            if (outcome == null) {
                return null;
            }
            lastSendMs = System.currentTimeMillis();
            metrics.request(System.nanoTime() - start, outcome, length);
            if (outcome.kind() != PushClient.Outcome.Kind.RETRY) {
                state = "ok";
                if (attempt > 0) {
                    LOG.info("{}: receiver answered after {} retries", who, attempt);
                }
                return outcome;
            }
            metrics.retried(entries);
            error(outcome.message());
            state = "retrying";
            if (attempt == 0 || attempt % 20 == 0) {
                LOG.warn("{}: {}; retrying with backoff ({} wait on disk)", who, outcome.message(), units);
            }
            attempt++;
            if (!backoff.pause(outcome.retryAfterMs())) {
                return null;
            }
        }
        return null;
    }

    /** Counts what a final answer other than REFUSED did to n entries of the batch. */
    public void settle(int n, PushClient.Outcome outcome) {
        if (outcome.kind() == PushClient.Outcome.Kind.SENT) {
            settlement.sent(n);
            lastSuccessMs = System.currentTimeMillis();
            return;
        }
        settlement.dropped("http_" + outcome.status(), n);
        error(outcome.message());
        LOG.error("{}: receiver refused {} {}, dropped (not retryable): {}", who, n, units, outcome.message());
    }

    /** Counts n entries of the batch as lost for a reason of the sink's (too_old, rejected, partial_write, ...). */
    public void dropped(String reason, int n) {
        settlement.dropped(reason, n);
    }

    private void error(String message) {
        lastError = message;
        lastErrorMs = System.currentTimeMillis();
    }

    public boolean running() {
        return running;
    }

    /** True once a stop asked to send what is there without waiting for batch deadlines. */
    public boolean draining() {
        return draining;
    }

    /** When the last request went out (epoch ms, 0 before the first). */
    public long lastSendMs() {
        return lastSendMs;
    }

    public String who() {
        return who;
    }

    /**
     * Sends what the senders' logs hold without waiting for batch deadlines, for up to flushMs (not at all
     * once every sender waits out a failed attempt), then stops them. What is not acknowledged stays on disk
     * and goes first at the next start. The logs stay open: the caller closes them.
     */
    public static void stopAll(List<? extends Sender<?, ?>> senders, long flushMs) throws InterruptedException {
        long deadline = System.currentTimeMillis() + flushMs;
        for (Sender<?, ?> s : senders) {
            s.draining = true;
            s.log.wakeUp();
        }
        while (System.currentTimeMillis() < deadline && pending(senders) > 0 && anyRunning(senders) && !allRetrying(senders)) {
            Thread.sleep(20);
        }
        for (Sender<?, ?> s : senders) {
            s.running = false; // no interrupt: it would close the log's channels under the reader
            s.backoff.stop();
            s.log.wakeUp();
        }
        for (Sender<?, ?> s : senders) {
            if (!s.done.await(s.maxBackoffMs + 10_000, TimeUnit.MILLISECONDS)) {
                LOG.warn("{}: the sender did not stop in time", s.who);
            }
        }
    }

    public static long pending(List<? extends Sender<?, ?>> senders) {
        long n = 0;
        for (Sender<?, ?> s : senders) {
            n += s.pending();
        }
        return n;
    }

    private static boolean anyRunning(List<? extends Sender<?, ?>> senders) {
        return senders.stream().anyMatch(s -> !s.stopped());
    }

    /** Every sender waits out a failed attempt: flushing would only wait for the timeout. */
    private static boolean allRetrying(List<? extends Sender<?, ?>> senders) {
        return senders.stream().allMatch(Sender::retrying);
    }

    /** True once the thread has ended. */
    public boolean stopped() {
        return done.getCount() == 0;
    }

    /** Waiting to retry a batch the receiver did not take. */
    public boolean retrying() {
        return backoff.waiting();
    }

    /** Appended and not yet acknowledged (so in flight too), in its own log and the inherited ones. */
    public synchronized long pending() {
        long n = log.pendingEntries();
        for (SegmentLog<T> l : inherited) {
            n += l.pendingEntries();
        }
        return n;
    }

    public synchronized long pendingBytes() {
        long n = log.pendingBytes();
        for (SegmentLog<T> l : inherited) {
            n += l.pendingBytes();
        }
        return n;
    }

    public synchronized long diskBytes() {
        long n = log.diskBytes();
        for (SegmentLog<T> l : inherited) {
            n += l.diskBytes();
        }
        return n;
    }

    public synchronized void closeLogs() {
        for (SegmentLog<T> l : inherited) {
            closeQuietly(l);
        }
        closeQuietly(log);
    }

    private void closeQuietly(SegmentLog<T> l) {
        try {
            l.close();
        } catch (IOException e) {
            LOG.warn("{}: closing {} failed: {}", who, l.dir(), e.toString());
        }
    }

    /** "starting", "ok" (the receiver answers), "retrying" (it fails; entries wait on disk) or "stopped". */
    public String state() {
        return state;
    }

    /** Epoch ms of the last request the receiver took, 0 for never. */
    public long lastSuccessMs() {
        return lastSuccessMs;
    }

    /** The last failure, null when none. */
    public String lastError() {
        return lastError;
    }

    public long lastErrorMs() {
        return lastErrorMs;
    }
}

package io.caravan.loki;

import io.caravan.wal.SegmentLog;
import io.caravan.http.RetryBackoff;
import io.caravan.model.LogEntry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The one thread that empties a sink's spill log: reads a batch (up to batchBytes of lines, or what has
 * come within batchWait), sends it, retries 429, 5xx and connection failures with exponential backoff
 * (honouring Retry-After) until they succeed, drops batches the receiver refuses with another 4xx
 * (counted by status), and only then acknowledges the batch in the log. One request at a time keeps each
 * stream's batches in order. A receiver that hangs or is down only holds up this thread: the route
 * appends to disk and returns, and other sinks have their own sender.
 */
final class LokiSender implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(LokiSender.class);

    record Settings(long batchBytes, long batchWaitMs, long minBackoffMs, long maxBackoffMs) {
    }

    private final String name;
    private final SegmentLog<LogEntry> log;
    private final LokiClient client;
    private final PushEncoder encoder;
    private final Settings settings;
    private final LokiMetrics metrics;
    private final CountDownLatch done = new CountDownLatch(1);
    private final RetryBackoff backoff;

    private volatile boolean running = true;
    private volatile boolean draining;
    private volatile String state = "starting";
    private volatile long lastSuccessMs;
    private volatile long lastErrorMs;
    private volatile String lastError = "";

    LokiSender(String name, SegmentLog<LogEntry> log, LokiClient client, PushEncoder encoder, Settings settings, LokiMetrics metrics) {
        this.name = name;
        this.log = log;
        this.client = client;
        this.encoder = encoder;
        this.settings = settings;
        this.metrics = metrics;
        this.backoff = new RetryBackoff(settings.minBackoffMs(), settings.maxBackoffMs());
    }

    @Override
    public void run() {
        try {
            while (running) {
                List<LogEntry> batch = fill();
                if (batch.isEmpty() || !running) {
                    continue;
                }
                SegmentLog.Position end = log.position();
                if (send(batch)) {
                    log.ack(end, batch.size());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException | RuntimeException e) {
            lastError = "sender stopped: " + e;
            lastErrorMs = System.currentTimeMillis();
            LOG.error("loki {}: the sender stopped on an unexpected error; entries stay on disk for the next start", name, e);
        } finally {
            state = "stopped";
            done.countDown();
        }
    }

    /** Up to batchBytes of entries, waiting at most batchWait after the first one for more. */
    private List<LogEntry> fill() throws IOException, InterruptedException {
        List<LogEntry> batch = new ArrayList<>();
        long bytes = 0;
        long firstAt = 0;
        while (running) {
            log.syncIfDue();
            LogEntry e = log.peek();
            if (e == null) {
                if (batch.isEmpty()) {
                    log.awaitAppend(100);
                    continue;
                }
                long wait = draining ? 0 : firstAt + settings.batchWaitMs() - System.currentTimeMillis();
                if (wait <= 0) {
                    return batch;
                }
                log.awaitAppend(Math.min(wait, 100));
                continue;
            }
            long size = e.line().length() + 16L * (e.labels().size() + e.metadata().size());
            if (!batch.isEmpty() && bytes + size > settings.batchBytes()) {
                return batch;
            }
            log.advance();
            batch.add(e);
            bytes += size;
            if (firstAt == 0) {
                firstAt = System.currentTimeMillis();
            }
        }
        return batch;
    }

    /** True when the batch is done with (delivered or refused for good); false when stopped first. */
    private boolean send(List<LogEntry> batch) throws InterruptedException {
        byte[] body;
        int length;
        try {
            body = encoder.encode(batch);
            length = encoder.compressedSize();
        } catch (IOException | RuntimeException e) {
            metrics.dropped("encode_error", batch.size());
            LOG.error("loki {}: cannot encode a batch of {} entries, dropped", name, batch.size(), e);
            return true;
        }
        backoff.reset();
        int attempt = 0;
        while (running) {
            long start = System.nanoTime();
            LokiClient.Outcome outcome = client.send(body, length, () -> !running);
            if (outcome == null) {
                return false;
            }
            metrics.request(System.nanoTime() - start);
            switch (outcome.kind()) {
                case SENT -> {
                    metrics.sent(batch.size(), length);
                    lastSuccessMs = System.currentTimeMillis();
                    state = "ok";
                    if (attempt > 0) {
                        LOG.info("loki {}: receiver took the batch after {} retries", name, attempt);
                    }
                    return true;
                }
                case DROP -> {
                    metrics.dropped("http_" + outcome.status(), batch.size());
                    error(outcome.message());
                    LOG.error("loki {}: receiver refused a batch of {} entries, dropped (not retryable): {}", name, batch.size(), outcome.message());
                    return true;
                }
                case RETRY -> {
                    metrics.retried(batch.size());
                    error(outcome.message());
                    state = "retrying";
                    if (attempt == 0 || attempt % 20 == 0) {
                        LOG.warn("loki {}: {}; retrying with backoff (entries wait on disk)", name, outcome.message());
                    }
                    attempt++;
                    if (!backoff.pause(outcome.retryAfterMs())) {
                        return false;
                    }
                }
            }
        }
        return false;
    }

    private void error(String message) {
        lastError = message;
        lastErrorMs = System.currentTimeMillis();
    }

    /**
     * Sends what is queued without waiting for batchWait, for up to flushMs (not at all while it waits out a
     * failed attempt), then stops. Whatever is not acknowledged by then stays on disk and is sent first by the
     * next start.
     */
    void stop(long flushMs) throws InterruptedException {
        draining = true;
        log.wakeUp();
        long deadline = System.currentTimeMillis() + flushMs;
        while (System.currentTimeMillis() < deadline && log.pendingEntries() > 0 && done.getCount() > 0 && !backoff.waiting()) {
            Thread.sleep(20);
        }
        running = false; // no interrupt: it would close the spill files' channels under the reader
        backoff.stop();
        log.wakeUp();
        if (!done.await(10, TimeUnit.SECONDS)) {
            LOG.warn("loki {}: the sender did not stop within 10s", name);
        }
    }

    String state() {
        return state;
    }

    long lastSuccessMs() {
        return lastSuccessMs;
    }

    long lastErrorMs() {
        return lastErrorMs;
    }

    String lastError() {
        return lastError;
    }
}

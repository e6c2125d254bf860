package io.caravan.remotewrite;

import io.caravan.model.Sample;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Prometheus' queue manager in small: samples are spread over a fixed number of shards by series, so
 * each series stays in order; each shard batches by count and deadline and sends one request at a time,
 * retrying recoverable failures with exponential backoff until they succeed or the queue is stopped.
 * Every shard queue is bounded: when all is full, {@link #offer} waits up to the enqueue timeout and then
 * drops (counted), so memory stays flat during a long outage.
 */
final class RemoteWriteQueue {

    private static final Logger LOG = LoggerFactory.getLogger(RemoteWriteQueue.class);

    private final String sink;
    private final RemoteWriteSettings settings;
    private final RemoteWriteMetrics metrics;
    private final Shard[] shards;
    private volatile boolean running;
    private volatile long stopDeadlineMs = Long.MAX_VALUE;

    RemoteWriteQueue(String sink, RemoteWriteSettings settings, RemoteWriteMetrics metrics, Supplier<RemoteWriteClient> clients) {
        this.sink = sink;
        this.settings = settings;
        this.metrics = metrics;
        this.shards = new Shard[settings.shards()];
        for (int i = 0; i < shards.length; i++) {
            shards[i] = new Shard(i, clients.get());
        }
    }

    void start(ExecutorService executor) {
        running = true;
        for (Shard s : shards) {
            executor.submit(s);
        }
    }

    /** Stops taking samples and gives the shards until the deadline to send what they hold. */
    void stop(long flushTimeoutMs) throws InterruptedException {
        stopDeadlineMs = System.currentTimeMillis() + flushTimeoutMs;
        running = false;
        for (Shard s : shards) {
            s.done.await(Math.max(1, stopDeadlineMs - System.currentTimeMillis()), TimeUnit.MILLISECONDS);
        }
        long left = pending();
        if (left > 0) {
            metrics.dropped("shutdown", left);
            LOG.warn("remote-write {}: {} samples still queued at shutdown were not sent", sink, left);
        }
    }

    /**
     * Enqueues every sample; returns how many had to be dropped. The whole call waits at most the enqueue
     * timeout, so a full queue slows a scrape down by a bounded amount and never stalls it.
     */
    int offer(List<Sample> samples) throws InterruptedException {
        int dropped = 0;
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(settings.enqueueTimeoutMs());
        for (Sample s : samples) {
            Shard shard = shards[Math.floorMod(s.labels().hashCode(), shards.length)];
            if (!shard.queue.offer(s)) {
                long wait = deadline - System.nanoTime();
                if (wait <= 0 || !shard.queue.offer(s, wait, TimeUnit.NANOSECONDS)) {
                    dropped++;
                }
            }
        }
        if (dropped > 0) {
            metrics.dropped("queue_full", dropped);
            LOG.warn("remote-write {}: queue full, {} samples dropped (raise capacity or shards, or check the receiver)", sink, dropped);
        }
        metrics.enqueued(samples.size() - dropped);
        return dropped;
    }

    long pending() {
        long n = 0;
        for (Shard s : shards) {
            n += s.queue.size() + s.inFlight;
        }
        return n;
    }

    int shardCount() {
        return shards.length;
    }

    private final class Shard implements Runnable {
        final int index;
        final BlockingQueue<Sample> queue;
        final RemoteWriteClient client;
        final java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(1);
        volatile int inFlight;

        Shard(int index, RemoteWriteClient client) {
            this.index = index;
            this.client = client;
            this.queue = new ArrayBlockingQueue<>(settings.capacity());
        }

        @Override
        public void run() {
            Thread.currentThread().setName("remote-write-" + sink + "-" + index);
            List<Sample> batch = new ArrayList<>(settings.maxSamplesPerSend());
            try {
                while (running || !queue.isEmpty()) {
                    fill(batch);
                    if (!batch.isEmpty()) {
                        inFlight = batch.size();
                        sendWithRetries(batch);
                        batch.clear();
                        inFlight = 0;
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                LOG.error("remote-write {} shard {} stopped on an unexpected error", sink, index, e);
            } finally {
                done.countDown();
            }
        }

        /** Takes up to maxSamplesPerSend, waiting no longer than the batch deadline for a full batch. */
        private void fill(List<Sample> batch) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(settings.batchSendDeadlineMs());
            while (batch.size() < settings.maxSamplesPerSend()) {
                queue.drainTo(batch, settings.maxSamplesPerSend() - batch.size());
                if (batch.size() >= settings.maxSamplesPerSend() || !running) {
                    return;
                }
                long wait = Math.min(deadline - System.nanoTime(), TimeUnit.MILLISECONDS.toNanos(100));
                if (wait <= 0) {
                    return;
                }
                Sample next = queue.poll(wait, TimeUnit.NANOSECONDS);
                if (next != null) {
                    batch.add(next);
                }
            }
        }

        private void sendWithRetries(List<Sample> batch) throws InterruptedException {
            byte[] body;
            try {
                body = client.encode(batch);
            } catch (java.io.IOException | RuntimeException e) {
                metrics.dropped("encode_error", batch.size());
                LOG.error("remote-write {}: cannot encode a batch of {} samples, dropped", sink, batch.size(), e);
                return;
            }
            long backoff = settings.minBackoffMs();
            boolean firstTry = true;
            while (true) {
                long start = System.nanoTime();
                RemoteWriteClient.Outcome outcome = client.send(body);
                metrics.request(outcome, System.nanoTime() - start, body.length);
                switch (outcome.kind()) {
                    case SENT -> {
                        metrics.sent(batch.size());
                        return;
                    }
                    case DROP -> {
                        metrics.dropped("http_" + outcome.status(), batch.size());
                        LOG.error("remote-write {}: receiver refused {} samples, dropped (not retryable): {}",
                                sink, batch.size(), outcome.message());
                        return;
                    }
                    case RETRY -> {
                        metrics.retried(batch.size());
                        if (firstTry) {
                            LOG.warn("remote-write {}: {}; retrying with backoff", sink, outcome.message());
                        }
                        firstTry = false;
                        long wait = Math.max(backoff, outcome.retryAfterMs());
                        wait += ThreadLocalRandom.current().nextLong(Math.max(1, wait / 10)); // de-synchronise shards
                        if (System.currentTimeMillis() + wait > stopDeadlineMs) {
                            metrics.dropped("shutdown", batch.size());
                            LOG.warn("remote-write {}: shutting down while the receiver fails; {} samples not sent", sink, batch.size());
                            return;
                        }
                        Thread.sleep(wait);
                        backoff = Math.min(backoff * 2, settings.maxBackoffMs());
                    }
                }
            }
        }
    }
}

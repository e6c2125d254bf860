package io.caravan.remotewrite;

import io.caravan.model.MetricMetadata;
import io.caravan.sink.PushClient;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xerial.snappy.Snappy;

import java.io.IOException;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * Sends the sink's metric metadata every interval, as Prometheus' remote_write metadata_config does: all the
 * families the store holds, in WriteRequests of metadata only, at most maxPerSend each. Metadata is not queued on
 * disk: a round that cannot be sent (after retries with backoff until the next round is due) is counted and the
 * next round sends it again, newer.
 */
final class MetadataSender {

    private static final Logger LOG = LoggerFactory.getLogger(MetadataSender.class);

    private final String sink;
    private final MetadataStore store;
    private final PushClient client;
    private final int maxPerSend;
    private final long intervalMs;
    private final long minBackoffMs;
    private final long maxBackoffMs;
    private final WriteRequestEncoder encoder;
    private final Counter sent;
    private final Counter failed;
    private volatile String lastFailure;

    MetadataSender(String sink, MetadataStore store, PushClient client, WriteRequestEncoder encoder, int maxPerSend, long intervalMs,
                   long minBackoffMs, long maxBackoffMs, MeterRegistry registry) {
        this.sink = sink;
        this.store = store;
        this.client = client;
        this.encoder = encoder;
        this.maxPerSend = maxPerSend;
        this.intervalMs = intervalMs;
        this.minBackoffMs = minBackoffMs;
        this.maxBackoffMs = maxBackoffMs;
        this.sent = Counter.builder("caravan_remote_write_metadata_sent").description("Metric metadata entries the receiver acknowledged")
                .tag("sink", sink).register(registry);
        this.failed = Counter.builder("caravan_remote_write_metadata_failed")
                .description("Metric metadata entries of rounds that could not be sent (the next round sends them again)")
                .tag("sink", sink).register(registry);
    }

    /** One round: every family the store holds now. */
    void sendRound(BooleanSupplier stopped) {
        List<MetricMetadata> all = store.snapshot(System.currentTimeMillis());
        long deadline = System.currentTimeMillis() + intervalMs;
        for (int from = 0; from < all.size() && !stopped.getAsBoolean(); from += maxPerSend) {
            List<MetricMetadata> part = all.subList(from, Math.min(all.size(), from + maxPerSend));
            try {
                if (!send(part, deadline, stopped)) {
                    failed.increment(all.size() - from);
                    return;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (IOException | RuntimeException e) {
                fail("cannot encode the metadata: " + e);
                failed.increment(all.size() - from);
                return;
            }
        }
    }

    private boolean send(List<MetricMetadata> part, long deadline, BooleanSupplier stopped) throws IOException, InterruptedException {
        byte[] raw = encoder.encodeMetadata(part); // one round at a time: the encoder is this sender's alone
        int rawLen = encoder.size();
        byte[] body = new byte[Snappy.maxCompressedLength(rawLen)];
        int len = Snappy.rawCompress(raw, 0, rawLen, body, 0);
        long backoff = minBackoffMs;
        while (true) {
            PushClient.Outcome o = client.send(body, 0, len, stopped);
            if (o == null) {
                return false; // stopped
            }
            switch (o.kind()) {
                case SENT -> {
                    sent.increment(part.size());
                    lastFailure = null;
                    return true;
                }
                case RETRY -> {
                    long wait = Math.max(backoff, o.retryAfterMs());
                    if (System.currentTimeMillis() + wait >= deadline) {
                        fail(o.message());
                        return false;
                    }
                    Thread.sleep(wait);
                    backoff = Math.min(maxBackoffMs, backoff * 2);
                }
                default -> {
                    fail(o.message());
                    return false;
                }
            }
        }
    }

    /** Logs a failure once until a round goes through again. */
    private void fail(String message) {
        if (lastFailure == null) {
            LOG.warn("remote-write {}: metric metadata not sent ({}); the next round, in {} ms, sends it again", sink, message, intervalMs);
        }
        lastFailure = message;
    }
}

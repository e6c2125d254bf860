package io.caravan.remotewrite;

/**
 * Queue tuning, with Prometheus' queue_config defaults where it has one: capacity 10000 per shard,
 * max_samples_per_send 2000, batch_send_deadline 5s, min_backoff 30ms, max_backoff 5s.
 */
record RemoteWriteSettings(int shards, int capacity, int maxSamplesPerSend, long batchSendDeadlineMs,
                           long minBackoffMs, long maxBackoffMs, long enqueueTimeoutMs) {

    RemoteWriteSettings {
        require(shards >= 1, "shards must be at least 1, got " + shards);
        require(capacity >= 1, "capacity must be at least 1, got " + capacity);
        require(maxSamplesPerSend >= 1, "maxSamplesPerSend must be at least 1, got " + maxSamplesPerSend);
        require(minBackoffMs >= 1 && maxBackoffMs >= minBackoffMs,
                "need 1ms <= minBackoff <= maxBackoff, got " + minBackoffMs + "ms and " + maxBackoffMs + "ms");
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }
}

package io.caravan.remotewrite;

/**
 * Queue and write-ahead-log tuning. Prometheus' queue_config defaults where it has one (max_samples_per_send
 * 2000, batch_send_deadline 5s, min_backoff 30ms, max_backoff 5s); the WAL's age bound follows Alloy's
 * max_keepalive_time idea with a 2h default. maxWalBytes bounds the whole sink (all shards together).
 */
record RemoteWriteSettings(int shards, int maxSamplesPerSend, long batchSendDeadlineMs, long minBackoffMs,
                           long maxBackoffMs, long maxWalBytes, long walSegmentBytes, long maxWalAgeMs,
                           long walSyncIntervalMs) {

    RemoteWriteSettings {
        require(shards >= 1 && shards <= 64, "shards must be between 1 and 64, got " + shards);
        require(maxSamplesPerSend >= 1, "maxSamplesPerSend must be at least 1, got " + maxSamplesPerSend);
        require(minBackoffMs >= 1 && maxBackoffMs >= minBackoffMs,
                "need 1ms <= minBackoff <= maxBackoff, got " + minBackoffMs + "ms and " + maxBackoffMs + "ms");
        require(maxWalBytes >= (long) shards << 20, "maxQueueBytes (maxWalBytes) must be at least 1MiB per shard, got " + maxWalBytes + " bytes for " + shards + " shards");
        require(walSegmentBytes >= 64 * 1024, "segmentSize (walSegmentSize) must be at least 64KiB, got " + walSegmentBytes);
        require(maxWalAgeMs >= 1000, "maxWalAge must be at least 1s, got " + maxWalAgeMs + "ms");
    }

    /** What one shard's log may hold on disk. */
    long maxBytesPerShard() {
        return maxWalBytes / shards;
    }

    /** Segments small enough that trimming one frees a fair share of the shard's bound. */
    long segmentBytesPerShard() {
        return Math.max(64 * 1024, Math.min(walSegmentBytes, maxBytesPerShard() / 4));
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }
}

package io.caravan.logs;

/**
 * How a follower reads: a batch is at most {@code batchLines} lines or {@code batchBytes} bytes; a line longer
 * than {@code maxLineBytes} is cut there (the rest is skipped up to its newline); {@code pollMillis} is the wait
 * at the end of a file; a failed batch is retried after {@code retryMillis}, doubling up to 30 s;
 * {@code rotatedNames} is where it looks for the rest of a file that was rotated before it was read.
 */
public record FollowSettings(int maxLineBytes, int batchLines, long batchBytes, long pollMillis, long retryMillis,
                             RotatedNames rotatedNames) {

    public static final int DEFAULT_MAX_LINE_BYTES = 1 << 20;

    public FollowSettings {
        if (maxLineBytes < 1) {
            throw new IllegalArgumentException("maxLineBytes must be at least 1, got " + maxLineBytes);
        }
        if (batchLines < 1) {
            throw new IllegalArgumentException("batchLines must be at least 1, got " + batchLines);
        }
        if (batchBytes < 1) {
            throw new IllegalArgumentException("batchBytes must be at least 1, got " + batchBytes);
        }
        if (pollMillis < 1) {
            throw new IllegalArgumentException("pollInterval must be at least 1ms, got " + pollMillis);
        }
        if (rotatedNames == null) {
            rotatedNames = RotatedNames.defaults();
        }
    }
}

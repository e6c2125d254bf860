package io.caravan.logs;

import java.time.Instant;

/**
 * One followed file or stream: the stored position, the file's size, how far behind the reader is
 * ({@code lagBytes}), lines read so far, and the last error with its time (both null when healthy).
 */
public record FollowerStatus(String key, String file, long position, long size, long lagBytes, long linesRead,
                             String state, String lastError, Instant lastErrorAt) {
}

package io.caravan.logs;

/**
 * What the UI shows per followed file or stream: the stored position, the file's size, how far behind the
 * reader is ({@code lagBytes}), lines read so far, and the last error (null when healthy).
 */
public record FollowerStatus(String key, String file, long position, long size, long lagBytes, long linesRead,
                             String state, String lastError) {
}

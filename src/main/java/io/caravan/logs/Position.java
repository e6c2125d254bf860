package io.caravan.logs;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Where a follower stands. For a file: the file being read, its identity ({@code fileKey}, device and inode on
 * Linux) and the offset just after the last line the route has taken. For an API log stream: the timestamp of
 * the last delivered line ({@code timestampNanos}) and how many lines of each content hash were delivered at
 * exactly that timestamp ({@code seen}: "hash:count,..."), so a replay from sinceTime skips exactly those.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Position(String key, String file, String fileKey, long offset, Long timestampNanos, String seen) {

    public static Position ofFile(String key, String file, String fileKey, long offset) {
        return new Position(key, file, fileKey, offset, null, null);
    }

    public static Position ofStream(String key, long timestampNanos, String seen) {
        return new Position(key, null, null, 0, timestampNanos, seen);
    }

    boolean valid() {
        return key != null && !key.isEmpty() && offset >= 0 && (file != null || timestampNanos != null);
    }
}

package io.caravan.logs;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * Where a follower stands. For a file: the file being read, its identity ({@code fileKey}, device and inode on
 * Linux, a hint), its {@link Fingerprint} (the identity: its first bytes) and the offset just after the last line
 * the route has taken; {@code labels}, when the source has per-follower labels (pod-logs), so a follower can be
 * rebuilt after its source stopped listing it. For an API log stream: the timestamp of the last delivered line
 * ({@code timestampNanos}) and how many lines of each content hash were delivered at exactly that timestamp
 * ({@code seen}: "hash:count,..."), so a replay from sinceTime skips exactly those.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Position(String key, String file, String fileKey, String fingerprint, long offset, Long timestampNanos,
                       String seen, Map<String, String> labels) {

    public Position {
        labels = labels == null ? null : Collections.unmodifiableMap(new TreeMap<>(labels));
    }

    public static Position ofFile(String key, String file, String fileKey, String fingerprint, long offset,
                                  Map<String, String> labels) {
        return new Position(key, file, fileKey, fingerprint, offset, null, null, labels);
    }

    public static Position ofStream(String key, long timestampNanos, String seen) {
        return new Position(key, null, null, null, 0, timestampNanos, seen, null);
    }

    boolean valid() {
        return key != null && !key.isEmpty() && offset >= 0 && (file != null || timestampNanos != null);
    }
}

package io.caravan.logs.pods;

import java.util.HashMap;
import java.util.Map;

/**
 * What an API log stream has delivered, so that a reconnect (sinceTime has whole seconds, so the server replays
 * part of what was sent) neither re-sends nor skips: lines older than the last delivered timestamp are skipped;
 * at exactly that timestamp, each content is skipped as many times as it was delivered. Lines are compared by a
 * 64-bit hash of their content.
 */
final class SeenLines {

    private long lastTs = Long.MIN_VALUE;
    private final Map<Long, Integer> delivered = new HashMap<>();
    private final Map<Long, Integer> seenThisConnection = new HashMap<>();

    boolean hasPosition() {
        return lastTs != Long.MIN_VALUE;
    }

    long lastTimestamp() {
        return lastTs;
    }

    /** True when the line is new and should go on (it is then counted as delivered). */
    boolean accept(long ts, String content) {
        if (ts < lastTs) {
            return false;
        }
        long h = hash(content);
        if (ts > lastTs) {
            lastTs = ts;
            delivered.clear();
            seenThisConnection.clear();
            delivered.put(h, 1);
            seenThisConnection.put(h, 1);
            return true;
        }
        int seen = seenThisConnection.merge(h, 1, Integer::sum);
        if (seen <= delivered.getOrDefault(h, 0)) {
            return false;
        }
        delivered.put(h, seen);
        return true;
    }

    /** A new connection replays from sinceTime: nothing of it has been seen yet. */
    void newConnection() {
        seenThisConnection.clear();
    }

    SeenLines copy() {
        SeenLines c = new SeenLines();
        c.lastTs = lastTs;
        c.delivered.putAll(delivered);
        c.seenThisConnection.putAll(seenThisConnection);
        return c;
    }

    /** "hash:count,..." for the positions file. */
    String encode() {
        StringBuilder sb = new StringBuilder();
        delivered.forEach((h, n) -> sb.append(sb.length() == 0 ? "" : ",").append(Long.toHexString(h)).append(':').append(n));
        return sb.toString();
    }

    static SeenLines decode(long lastTs, String seen) {
        SeenLines s = new SeenLines();
        s.lastTs = lastTs;
        if (seen != null && !seen.isEmpty()) {
            for (String pair : seen.split(",")) {
                int colon = pair.indexOf(':');
                try {
                    s.delivered.put(Long.parseUnsignedLong(pair.substring(0, colon), 16), Integer.parseInt(pair.substring(colon + 1)));
                } catch (RuntimeException e) {
                    // a damaged pair: that line may come once more
                }
            }
        }
        return s;
    }

    /** FNV-1a, 64 bits, over the UTF-16 code units. */
    static long hash(String s) {
        long h = 0xcbf29ce484222325L;
        for (int i = 0; i < s.length(); i++) {
            h ^= s.charAt(i);
            h *= 0x100000001b3L;
        }
        return h ^ s.length();
    }
}

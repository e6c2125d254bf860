package io.caravan.logs;

import io.caravan.component.ComponentStatus;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One log-source endpoint (a tail: consumer, a pod-logs: source) as a {@link ComponentStatus}: an item per file
 * or stream it follows (position, size, lag, lines read, its error); the positions file, how many it follows and
 * their total lag in the details. DEGRADED while the source or one of its followers has an error, whose message
 * is the status' last error: the source's own first (it concerns every follower), else the newest follower's.
 */
public final class LogSourceStatus {

    /** Reading what there is. */
    public static final String FOLLOWING = "following";
    /** No route reads the source: its followers hold their batches. */
    public static final String WAITING = "waiting";
    /** Not set up yet (a pod-logs source whose producer has not started): health UNKNOWN. */
    public static final String UNCONFIGURED = "unconfigured";

    private final String component;
    private final String name;
    private final String uri;
    private final List<ComponentStatus.Item> items = new ArrayList<>();
    private final Map<String, Object> details = new LinkedHashMap<>();
    private long lagBytes;
    private String followerError;
    private Instant followerErrorAt;

    public LogSourceStatus(String component, String name, String uri, PositionStore positions) {
        this.component = component;
        this.name = name;
        this.uri = uri;
        if (positions != null) {
            details.put("positionsFile", positions.file().toString());
        }
    }

    public LogSourceStatus follower(FollowerStatus f, Map<String, String> labels) {
        Map<String, Object> d = new LinkedHashMap<>();
        if (f.file() != null) {
            d.put("file", f.file());
        }
        d.put("position", f.position());
        d.put("size", f.size());
        d.put("lagBytes", f.lagBytes());
        d.put("linesRead", f.linesRead());
        items.add(new ComponentStatus.Item(f.key(), labels == null ? Map.of() : labels, f.state(), f.lastError(), d));
        lagBytes += Math.max(0, f.lagBytes());
        if (f.lastError() != null && (followerError == null || newer(f.lastErrorAt(), followerErrorAt))) {
            followerError = f.lastError();
            followerErrorAt = f.lastErrorAt();
        }
        return this;
    }

    private static boolean newer(Instant a, Instant b) {
        return a != null && (b == null || a.isAfter(b));
    }

    public LogSourceStatus detail(String key, Object value) {
        details.put(key, value);
        return this;
    }

    /**
     * @param state       {@link #FOLLOWING}, {@link #WAITING} or {@link #UNCONFIGURED}
     * @param sourceError what is wrong with the source as a whole (positions not written, targets skipped); null if nothing
     */
    public ComponentStatus build(String state, String sourceError, Instant sourceErrorAt) {
        Map<String, Object> d = new LinkedHashMap<>(details);
        d.put("files", items.size());
        d.put("lagBytes", lagBytes);
        String error = sourceError != null ? sourceError : followerError;
        Instant errorAt = sourceError != null ? sourceErrorAt : followerErrorAt;
        ComponentStatus.Health health = UNCONFIGURED.equals(state) ? ComponentStatus.Health.UNKNOWN
                : error != null ? ComponentStatus.Health.DEGRADED : ComponentStatus.Health.UP;
        return new ComponentStatus(component, name, uri, health, state, items, null, error, errorAt, d);
    }
}

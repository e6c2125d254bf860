package io.caravan.sink;

import io.caravan.component.ComponentStatus;
import io.caravan.component.ComponentStatus.Health;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** How every durable sink describes itself: the same states, health, queue and details for both. */
public final class SinkStatus {

    private SinkStatus() {
    }

    /**
     * A sink sending through its senders (one, or one per shard). state: "retrying" while any sender fails,
     * "starting" before any answer, "stopped" once every sender stopped, else "ok".
     */
    public static ComponentStatus sending(SinkEndpoint endpoint, String component, List<? extends Sender<?, ?>> senders,
                                          String redactedUrl, long sentEntries, Map<String, Object> more) {
        String state = state(senders);
        long pending = 0;
        long pendingBytes = 0;
        long disk = 0;
        long lastSuccess = 0;
        String lastError = null;
        long lastErrorMs = 0;
        for (Sender<?, ?> s : senders) {
            pending += s.pending();
            pendingBytes += s.pendingBytes();
            disk += s.diskBytes();
            lastSuccess = Math.max(lastSuccess, s.lastSuccessMs());
            if (s.lastError() != null && s.lastErrorMs() >= lastErrorMs) {
                lastError = s.lastError();
                lastErrorMs = s.lastErrorMs();
            }
        }
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("url", redactedUrl);
        details.put("sentEntries", sentEntries);
        details.put("lastSuccessMs", lastSuccess);
        details.put("queueDir", endpoint.queuePath().toString());
        details.putAll(more);
        return new ComponentStatus(component, endpoint.getName(), endpoint.sinkName() + "?url=" + redactedUrl, health(state), state,
                List.of(), new ComponentStatus.Queue(pending, pendingBytes, disk), lastError,
                lastError == null ? null : Instant.ofEpochMilli(lastErrorMs), details);
    }

    /** A sink without a receiver URL: what it received stays in its debug view. */
    public static ComponentStatus debug(SinkEndpoint endpoint, String component, long received) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("url", "");
        details.put("received", received);
        details.put("debugView", "/debug/sinks/" + endpoint.getName());
        return new ComponentStatus(component, endpoint.getName(), endpoint.sinkName(), Health.UP, "debug", List.of(), null,
                null, null, details);
    }

    static String state(List<? extends Sender<?, ?>> senders) {
        boolean allStopped = !senders.isEmpty();
        boolean anyAnswered = false;
        for (Sender<?, ?> s : senders) {
            String st = s.state();
            if ("retrying".equals(st)) {
                return "retrying";
            }
            allStopped &= "stopped".equals(st);
            anyAnswered |= "ok".equals(st);
        }
        return allStopped || senders.isEmpty() ? "stopped" : anyAnswered ? "ok" : "starting";
    }

    /** UP: sending or keeping debug entries; DEGRADED: the receiver fails (entries wait on disk); DOWN: stopped. */
    public static Health health(String state) {
        return switch (state) {
            case "ok", "debug" -> Health.UP;
            case "retrying" -> Health.DEGRADED;
            case "stopped" -> Health.DOWN;
            default -> Health.UNKNOWN;
        };
    }
}

package io.caravan.component;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What one running piece of a pipeline (a discovery consumer, a scrape job, a log source, a sink, a relabel or
 * stage step) says about itself: the one shape the UI, the health endpoint and the tap read, as Alloy's
 * component health and {@code DebugInfo}. Every Caravan component reports a list of these through
 * {@link StatusSource}; nothing else is read by the UI.
 *
 * @param component  the Camel scheme, e.g. "scrape", "loki"
 * @param name       the endpoint's name (the job, the sink), unique within the component
 * @param uri        the endpoint URI, as in the route
 * @param health     see {@link Health}
 * @param state      one word for the operator: "ok", "retrying", "synced", "waiting", "debug", ...
 * @param items      the targets or files it works on, each with its own state; empty when it has none
 * @param queue      what waits to be sent (sinks); null when it queues nothing
 * @param lastError  the last thing that went wrong, in words that say what to do; null when nothing did
 * @param lastErrorAt when; null with lastError
 * @param details    anything else worth showing, as plain JSON values (counts, settings, the debug view's path)
 */
public record ComponentStatus(String component, String name, String uri, Health health, String state,
                              List<Item> items, Queue queue, String lastError, Instant lastErrorAt,
                              Map<String, Object> details) {

    /**
     * UP: working; DEGRADED: working with losses or failures (some targets down, a receiver retrying);
     * DOWN: doing nothing useful (no API server, every target down); UNKNOWN: not started or not decided yet.
     * None of them fails readiness: restarting the agent would not help any of them.
     */
    public enum Health { UP, DEGRADED, DOWN, UNKNOWN }

    /**
     * One target or file: an id (URL or path), its labels, a state word, its last error and its own details
     * (last scrape, duration, lag).
     */
    public record Item(String id, Map<String, String> labels, String state, String lastError, Map<String, Object> details) {
    }

    /** A sink's backlog: entries or samples waiting, their bytes in memory and on disk. */
    public record Queue(long entries, long bytes, long diskBytes) {
    }

    public ComponentStatus {
        items = List.copyOf(items);
        details = details == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(details));
    }
}

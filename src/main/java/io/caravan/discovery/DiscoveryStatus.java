package io.caravan.discovery;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What one {@code k8s-discovery} consumer knows about itself, for the UI and the health endpoint.
 *
 * @param endpoint      the endpoint URI
 * @param route         the route the consumer feeds (routes of the same role and selection share an endpoint URI)
 * @param role          "pod" or "node"
 * @param synced        every informer has completed its first list
 * @param watching      every informer has a watch open right now
 * @param targets       targets in the last emitted list
 * @param lastError     why the API server could not be used, in words; null when it never failed
 * @param lastErrorAt   when that happened
 * @param lastEmittedAt when the target list was last emitted; null before the first
 * @param lastKnownSavedAt while the targets are the ones kept on disk (the API server has not answered since the
 *                      start): when they were saved; null once the API server gave a list
 */
public record DiscoveryStatus(String endpoint, String route, String role, boolean synced, boolean watching, int targets,
                              String lastError, Instant lastErrorAt, Instant lastEmittedAt, Instant lastKnownSavedAt) {

    /** The targets are the last known ones from disk, as old as this; null when they come from the API server. */
    public Duration lastKnownAge(Instant now) {
        return lastKnownSavedAt == null ? null : Duration.between(lastKnownSavedAt, now);
    }

    /** The status as plain values, for JSON (actuator details, the UI). */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("route", route);
        m.put("role", role);
        m.put("synced", synced);
        m.put("watching", watching);
        m.put("targets", targets);
        if (lastError != null) {
            m.put("lastError", lastError);
            m.put("lastErrorAt", String.valueOf(lastErrorAt));
        }
        if (lastEmittedAt != null) {
            m.put("lastEmittedAt", lastEmittedAt.toString());
        }
        m.put("targetsFrom", lastKnownSavedAt == null ? "api" : "disk");
        if (lastKnownSavedAt != null) {
            m.put("lastKnownSavedAt", lastKnownSavedAt.toString());
            m.put("lastKnownAgeSeconds", lastKnownAge(Instant.now()).toSeconds());
        }
        return m;
    }
}

package io.caravan.ui;

import io.caravan.component.ComponentStatus;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One actuator health entry for the endpoints of some components, from their {@link ComponentStatus}: UP when
 * every endpoint is UP (or none runs), UNKNOWN otherwise, with each endpoint's status as details (keyed by its
 * name, or by its URI where names repeat). Never DOWN: no pipeline problem is one a restart of the agent would
 * fix (a receiver or an API server that is away, a target that is down), so none may fail a probe.
 */
final class ComponentHealth implements HealthIndicator {

    private final Components components;
    private final List<String> schemes;

    ComponentHealth(Components components, String... schemes) {
        this.components = components;
        this.schemes = List.of(schemes);
    }

    @Override
    public Health health() {
        List<ComponentStatus> all = schemes.stream().flatMap(s -> components.statuses(s).stream()).toList();
        Set<String> names = new HashSet<>();
        boolean namesUnique = all.stream().allMatch(s -> names.add(s.name()));
        boolean up = all.stream().allMatch(s -> s.health() == ComponentStatus.Health.UP);
        Health.Builder b = up ? Health.up() : Health.unknown();
        b.withDetail("endpoints", all.size());
        for (ComponentStatus s : all) {
            b.withDetail(namesUnique ? s.name() : s.uri(), details(s));
        }
        return b.build();
    }

    /** The status as plain JSON values; the queue's fields named as the Loki sinks have always shown them. */
    static Map<String, Object> details(ComponentStatus s) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("uri", s.uri());
        d.put("health", s.health().name());
        d.put("state", s.state());
        d.putAll(s.details());
        if (s.queue() != null) {
            d.put("queuedEntries", s.queue().entries());
            d.put("queuedBytes", s.queue().bytes());
            d.put("queueDiskBytes", s.queue().diskBytes());
        }
        if (!s.items().isEmpty()) {
            d.put("items", s.items().size());
        }
        if (s.lastError() != null) {
            d.put("lastError", s.lastError());
            d.put("lastErrorAt", String.valueOf(s.lastErrorAt()));
        }
        return d;
    }
}

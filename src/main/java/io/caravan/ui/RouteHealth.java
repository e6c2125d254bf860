package io.caravan.ui;

import io.caravan.component.ComponentStatus;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Whether a route does its job, for the pipeline graph: DEGRADED, with the reasons in words, when an endpoint it
 * drives says
 * <ul>
 *   <li>scrape targets are down: "3/9 targets down" (a target whose last scrape failed);</li>
 *   <li>probes fail: "2/5 probes failing" (the exporter answered, with probe_success 0: {@code ProbeSuccess});</li>
 *   <li>a sink's queue grows: "queue growing: 12,000 entries (+9,000 in 60 s)" ({@link QueueTrend}).</li>
 * </ul>
 * A route drives the endpoints it sends to (its scrape job, its sink); an endpoint no route sends to (a source) is
 * driven by the routes reading from it. UP otherwise. Never a reason to fail a probe (see {@link ComponentHealth}):
 * a restart fixes none of these; it tells the operator where to look.
 */
record RouteHealth(List<String> reasons) {

    /** One route as the graph links it: where it reads and where it sends, as endpoint URIs. */
    record Ends(String id, String from, List<String> to) {
    }

    RouteHealth {
        reasons = List.copyOf(reasons);
    }

    boolean degraded() {
        return !reasons.isEmpty();
    }

    String health() {
        return degraded() ? ComponentStatus.Health.DEGRADED.name() : ComponentStatus.Health.UP.name();
    }

    /** The health of each route, by id, from the statuses of the endpoints the routes drive. */
    static Map<String, RouteHealth> of(List<Ends> routes, List<ComponentStatus> statuses, QueueTrend queues) {
        Set<String> sentTo = new HashSet<>();
        for (Ends r : routes) {
            r.to().forEach(t -> sentTo.add(key(t)));
        }
        Map<String, List<ComponentStatus>> byKey = new HashMap<>();
        statuses.forEach(s -> byKey.computeIfAbsent(key(s), k -> new ArrayList<>()).add(s));
        Map<String, RouteHealth> out = new LinkedHashMap<>();
        for (Ends r : routes) {
            List<String> reasons = new ArrayList<>();
            for (String to : r.to()) {
                byKey.getOrDefault(key(to), List.of()).forEach(s -> reasons.addAll(reasons(s, queues)));
            }
            String from = key(r.from());
            if (!sentTo.contains(from)) {
                byKey.getOrDefault(from, List.of()).forEach(s -> reasons.addAll(reasons(s, queues)));
            }
            out.put(r.id(), new RouteHealth(reasons));
        }
        return out;
    }

    /** What is wrong with one endpoint, by the three rules; empty when nothing is. */
    static List<String> reasons(ComponentStatus s, QueueTrend queues) {
        List<String> reasons = new ArrayList<>();
        if ("scrape".equals(s.component()) && !s.items().isEmpty()) {
            long down = s.items().stream().filter(i -> "DOWN".equals(i.state())).count();
            if (down > 0) {
                reasons.add(down + "/" + s.items().size() + " targets down");
            }
            long probes = s.items().stream().filter(i -> i.details().get("probeSuccess") instanceof Boolean).count();
            long failing = s.items().stream().filter(i -> Boolean.FALSE.equals(i.details().get("probeSuccess"))).count();
            if (failing > 0) {
                reasons.add(failing + "/" + probes + " probes failing (probe_success 0)");
            }
        }
        if (s.queue() != null) {
            QueueTrend.Growth g = queues.growth(key(s));
            if (g != null) {
                // the length now (the trend's last observation may be 10 s old), the growth over the window
                reasons.add(String.format(Locale.ROOT, "queue growing: %,d entries (+%,d in %d s)", s.queue().entries(), g.added(), g.seconds()));
            }
        }
        return reasons;
    }

    /** scheme:name of a status: the job, the sink. */
    static String key(ComponentStatus s) {
        return s.component() + ":" + s.name();
    }

    /**
     * scheme:name of an endpoint URI, as the graph links routes: "scrape://cnpg?interval=30s" and "scrape:cnpg" are
     * one endpoint; a master: source is its inner endpoint ("master:blackbox:static-targets:blackbox?file=..." is
     * "static-targets:blackbox").
     */
    static String key(String uri) {
        String k = uri.replace("://", ":");
        int q = k.indexOf('?');
        if (q >= 0) {
            k = k.substring(0, q);
        }
        if (k.startsWith("master:")) {
            int group = k.indexOf(':', "master:".length());
            k = group < 0 ? k : k.substring(group + 1);
        }
        return k;
    }
}

package io.caravan.cluster;

import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.cluster.CamelClusterService;
import org.apache.camel.component.master.MasterEndpoint;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What this agent knows of one master: group its routes use: whether it leads, who does, since when. Read on demand
 * for the health page, the metric and the UI; no view is taken (taking one would start an election).
 *
 * @param leaderId  who leads, when known (a Lease names its holder; a lock file only tells this agent it holds it)
 * @param lease     the Lease's namespace/name, or null with a lock file
 * @param since     when this agent began to lead or to stand by, or null when not known
 * @param lastError the API server's last refusal or silence, or null
 */
public record GroupLeadership(String group, boolean leader, String leaderId, String lease, Instant since, String lastError,
                              List<String> routes) {

    /** One per group, in name order. */
    public static List<GroupLeadership> all(CamelContext camel) {
        Map<String, List<String>> routesByGroup = new TreeMap<>();
        for (Route r : camel.getRoutes()) {
            group(r).ifPresent(g -> routesByGroup.computeIfAbsent(g, x -> new ArrayList<>()).add(r.getRouteId()));
        }
        List<GroupLeadership> out = new ArrayList<>();
        routesByGroup.forEach((g, routes) -> out.add(of(camel, g, routes)));
        return out;
    }

    /** The master: group a route starts from, if it does. */
    public static Optional<String> group(Route route) {
        return route.getEndpoint() instanceof MasterEndpoint m ? Optional.of(m.getNamespace()) : Optional.empty();
    }

    public static boolean leads(CamelContext camel, String group) {
        CamelClusterService service = camel.hasService(CamelClusterService.class);
        return service != null && service.isLeader(group);
    }

    static GroupLeadership of(CamelContext camel, String group, List<String> routes) {
        if (camel.hasService(CamelClusterService.class) instanceof LeaseClusterService lease) {
            Optional<LeaseClusterView> view = lease.existingView(group);
            if (view.isPresent()) {
                LeaseClusterView v = view.get();
                return new GroupLeadership(group, v.isLeading(), v.leaderId().orElse(null), v.leaseName(), v.since(),
                        v.lastError(), List.copyOf(routes));
            }
        }
        boolean leader = leads(camel, group);
        return new GroupLeadership(group, leader, leader ? "this agent" : null, null, null, null, List.copyOf(routes));
    }

    public String role() {
        return leader ? "leader" : "standby";
    }

    /** For JSON: the fields that are known. */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("group", group);
        m.put("role", role());
        m.put("leader", leaderId);
        if (lease != null) {
            m.put("lease", lease);
        }
        if (since != null) {
            m.put("since", since.toString());
        }
        if (lastError != null) {
            m.put("lastError", lastError);
        }
        m.put("routes", routes);
        return m;
    }
}

package io.caravan.discovery;

import io.caravan.model.Target;
import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A Kubernetes SD role, as Prometheus' kubernetes_sd and Alloy's discovery.kubernetes name them: the kind of object
 * it watches, the related kinds it borrows labels from, and how one object becomes targets.
 */
public enum DiscoveryRole {

    POD(WatchedKind.PODS) {
        @Override
        List<Target> targets(HasMetadata object, RelatedObjects related, RoleOptions options) {
            return PodTargets.of((Pod) object, related, options);
        }
    },
    NODE(WatchedKind.NODES) {
        @Override
        List<Target> targets(HasMetadata object, RelatedObjects related, RoleOptions options) {
            return NodeTargets.of((Node) object);
        }
    },
    SERVICE(WatchedKind.SERVICES) {
        @Override
        List<Target> targets(HasMetadata object, RelatedObjects related, RoleOptions options) {
            return ServiceTargets.of((Service) object);
        }
    },
    ENDPOINTS(WatchedKind.ENDPOINTS) {
        @Override
        List<Target> targets(HasMetadata object, RelatedObjects related, RoleOptions options) {
            return EndpointsTargets.of((Endpoints) object, related, options);
        }
    },
    ENDPOINTSLICE(WatchedKind.ENDPOINT_SLICES) {
        @Override
        List<Target> targets(HasMetadata object, RelatedObjects related, RoleOptions options) {
            return EndpointSliceTargets.of((EndpointSlice) object, related, options);
        }
    },
    INGRESS(WatchedKind.INGRESSES) {
        @Override
        List<Target> targets(HasMetadata object, RelatedObjects related, RoleOptions options) {
            return IngressTargets.of((Ingress) object);
        }
    };

    private final WatchedKind kind;

    DiscoveryRole(WatchedKind kind) {
        this.kind = kind;
    }

    abstract List<Target> targets(HasMetadata object, RelatedObjects related, RoleOptions options);

    /** The kind of object this role makes targets of. */
    WatchedKind kind() {
        return kind;
    }

    /** The API resource, as RBAC rules name it. */
    public String resource() {
        return kind.resource();
    }

    /** Endpoints and endpointslice: targets labelled from their service and pods, and kept node-locally by filtering. */
    boolean isEndpointRole() {
        return this == ENDPOINTS || this == ENDPOINTSLICE;
    }

    /** Whether {@code nodeName} applies: a field selector for pods and nodes, a filter on endpoints. */
    boolean takesNodeName() {
        return kind.ownNodeField() != null || isEndpointRole();
    }

    /** Whether attach_metadata's node labels apply: targets that run on a node (pods, endpoints). */
    boolean takesNodeMetadata() {
        return this == POD || isEndpointRole();
    }

    /**
     * Every kind the role's consumer watches, with what it asks the API server for: its own kind as the endpoint
     * selects it (the node as a field selector where the kind has one); for the endpoint roles, services and pods
     * in the same namespaces (the pods of this node only when node-local: the endpoints on it point at nothing else);
     * with attach_metadata, nodes (only this one when node-local). Iteration order: own kind first.
     */
    Map<WatchedKind, Selection> watches(Selection own, RoleOptions options) {
        Map<WatchedKind, Selection> out = new LinkedHashMap<>();
        out.put(kind, kind.ownNodeField() == null ? own.withoutNode() : own);
        String node = options.nodeName();
        if (isEndpointRole()) {
            out.putIfAbsent(WatchedKind.SERVICES, new Selection("", own.namespaces(), "", List.of(), own.resyncMillis()));
            if (!options.nodelessOnly()) { // endpoints on no node point at no pod: no pods to watch for them
                out.putIfAbsent(WatchedKind.PODS, new Selection(node, own.namespaces(), "", List.of(), own.resyncMillis()));
            }
        }
        if (options.attachNodeMetadata()) {
            out.putIfAbsent(WatchedKind.NODES, new Selection(node, List.of(), "", List.of(), own.resyncMillis()));
        }
        return out;
    }

    public String uriName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static DiscoveryRole fromUri(String text) {
        for (DiscoveryRole r : values()) {
            if (r.uriName().equals(text)) {
                return r;
            }
        }
        throw new IllegalArgumentException("k8s-discovery:" + text + ": unknown role '" + text + "'; use one of "
                + Arrays.stream(values()).map(DiscoveryRole::uriName).collect(Collectors.joining(", ")));
    }

    /** What the API server is asked for. Empty strings and lists mean "no restriction". */
    record Selection(String nodeName, List<String> namespaces, String labelSelector, List<FieldRequirement> fields,
                     long resyncMillis) {

        Selection withoutNode() {
            return new Selection("", namespaces, labelSelector, fields, resyncMillis);
        }
    }

    /** One term of a field selector: {@code field=value} ({@code ==} too) or {@code field!=value}. */
    record FieldRequirement(String field, String value, boolean equal) {

        static List<FieldRequirement> parse(String selector) {
            List<FieldRequirement> out = new ArrayList<>();
            if (selector == null || selector.isBlank()) {
                return out;
            }
            for (String term : selector.split(",")) {
                String t = term.trim();
                if (t.isEmpty()) {
                    continue;
                }
                int ne = t.indexOf("!=");
                int eq = t.indexOf('=');
                if (ne > 0) {
                    out.add(new FieldRequirement(t.substring(0, ne).trim(), t.substring(ne + 2).trim(), false));
                } else if (eq > 0) {
                    int valueStart = t.startsWith("==", eq) ? eq + 2 : eq + 1;
                    out.add(new FieldRequirement(t.substring(0, eq).trim(), t.substring(valueStart).trim(), true));
                } else {
                    throw new IllegalArgumentException("fieldSelector: '" + t + "' is not field=value or field!=value");
                }
            }
            return out;
        }
    }
}

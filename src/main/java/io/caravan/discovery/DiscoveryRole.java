package io.caravan.discovery;

import io.caravan.model.Target;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.FilterWatchListDeletable;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A Kubernetes SD role: which objects it watches, how the endpoint's options narrow them down on the API
 * server side, and how one object becomes targets.
 */
public enum DiscoveryRole {

    POD("pods", "spec.nodeName") {
        @Override
        Map<String, SharedIndexInformer<? extends HasMetadata>> informers(KubernetesClient client, Selection s) {
            Map<String, SharedIndexInformer<? extends HasMetadata>> out = new LinkedHashMap<>();
            if (s.namespaces().isEmpty()) {
                out.put(s.nodeName().isEmpty() ? CLUSTER_WIDE : "of node " + s.nodeName() + " in all namespaces",
                        informer(client.pods().inAnyNamespace(), s));
            } else {
                for (String ns : s.namespaces()) {
                    out.put("in namespace " + ns + (s.nodeName().isEmpty() ? "" : " of node " + s.nodeName()),
                            informer(client.pods().inNamespace(ns), s));
                }
            }
            return out;
        }

        @Override
        List<Target> targets(HasMetadata object) {
            return PodTargets.of((Pod) object);
        }
    },

    NODE("nodes", "metadata.name") {
        @Override
        Map<String, SharedIndexInformer<? extends HasMetadata>> informers(KubernetesClient client, Selection s) {
            // Nodes are cluster-scoped: the namespaces option does not apply.
            return Map.of(s.nodeName().isEmpty() ? CLUSTER_WIDE : "named " + s.nodeName(), informer(client.nodes(), s));
        }

        @Override
        List<Target> targets(HasMetadata object) {
            return NodeTargets.of((Node) object);
        }
    };

    private final String resource;
    private final String ownNodeField;

    DiscoveryRole(String resource, String ownNodeField) {
        this.resource = resource;
        this.ownNodeField = ownNodeField;
    }

    private static final String CLUSTER_WIDE = "cluster-wide";

    /**
     * One informer per namespace asked for, or one for the whole cluster, keyed by that scope in words for the log and
     * the errors ("cluster-wide", "in namespace x", "of node n in all namespaces", "named n"); created, not started.
     */
    abstract Map<String, SharedIndexInformer<? extends HasMetadata>> informers(KubernetesClient client, Selection s);

    abstract List<Target> targets(HasMetadata object);

    /** The API resource, as RBAC rules name it. */
    public String resource() {
        return resource;
    }

    /** The field that selects the objects of one node: spec.nodeName for pods, metadata.name for nodes. */
    public String ownNodeField() {
        return ownNodeField;
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
        throw new IllegalArgumentException("k8s-discovery:" + text + ": unknown role '" + text + "'; use k8s-discovery:pod or k8s-discovery:node");
    }

    final <T extends HasMetadata> SharedIndexInformer<T> informer(FilterWatchListDeletable<T, ?, ?> op, Selection s) {
        FilterWatchListDeletable<T, ?, ?> filtered = op;
        if (!s.nodeName().isEmpty()) {
            filtered = filtered.withField(ownNodeField, s.nodeName());
        }
        for (FieldRequirement f : s.fields()) {
            filtered = f.equal() ? filtered.withField(f.field(), f.value()) : filtered.withoutField(f.field(), f.value());
        }
        if (!s.labelSelector().isEmpty()) {
            filtered = filtered.withLabelSelector(s.labelSelector());
        }
        // Not started here: the consumer adds its handlers first, then starts without waiting for the list.
        return filtered.runnableInformer(s.resyncMillis());
    }

    /** What the API server is asked for. Empty strings and lists mean "no restriction". */
    record Selection(String nodeName, List<String> namespaces, String labelSelector, List<FieldRequirement> fields,
                     long resyncMillis) {
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

package io.caravan.discovery;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.FilterWatchListDeletable;
import io.fabric8.kubernetes.client.dsl.MixedOperation;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A kind of Kubernetes object that discovery lists and watches: how fabric8 asks for it, how RBAC names it, and
 * which field, if any, lets the API server send only one node's objects. A role watches its own kind and, for the
 * labels it borrows from other objects, a few related kinds (endpoints: services and pods; attach_metadata: nodes).
 */
enum WatchedKind {

    PODS("", "pods", "spec.nodeName") {
        @Override
        FilterWatchListDeletable<? extends HasMetadata, ?, ?> in(KubernetesClient client, String namespace) {
            return scoped(client.pods(), namespace);
        }
    },
    NODES("", "nodes", "metadata.name") {
        @Override
        FilterWatchListDeletable<? extends HasMetadata, ?, ?> in(KubernetesClient client, String namespace) {
            return client.nodes(); // cluster-scoped
        }
    },
    SERVICES("", "services", null) {
        @Override
        FilterWatchListDeletable<? extends HasMetadata, ?, ?> in(KubernetesClient client, String namespace) {
            return scoped(client.services(), namespace);
        }
    },
    ENDPOINTS("", "endpoints", null) {
        @Override
        FilterWatchListDeletable<? extends HasMetadata, ?, ?> in(KubernetesClient client, String namespace) {
            return scoped(client.endpoints(), namespace);
        }
    },
    ENDPOINT_SLICES("discovery.k8s.io", "endpointslices", null) {
        @Override
        FilterWatchListDeletable<? extends HasMetadata, ?, ?> in(KubernetesClient client, String namespace) {
            return scoped(client.discovery().v1().endpointSlices(), namespace);
        }
    },
    INGRESSES("networking.k8s.io", "ingresses", null) {
        @Override
        FilterWatchListDeletable<? extends HasMetadata, ?, ?> in(KubernetesClient client, String namespace) {
            return scoped(client.network().v1().ingresses(), namespace);
        }
    };

    private static final String CLUSTER_WIDE = "cluster-wide";

    private final String apiGroup;
    private final String resource;
    private final String ownNodeField;

    WatchedKind(String apiGroup, String resource, String ownNodeField) {
        this.apiGroup = apiGroup;
        this.resource = resource;
        this.ownNodeField = ownNodeField;
    }

    /** The objects of this kind in one namespace, or in all when namespace is null (cluster-scoped kinds: all). */
    abstract FilterWatchListDeletable<? extends HasMetadata, ?, ?> in(KubernetesClient client, String namespace);

    private static <T extends HasMetadata> FilterWatchListDeletable<T, ?, ?> scoped(MixedOperation<T, ?, ?> op, String namespace) {
        return namespace == null ? op.inAnyNamespace() : op.inNamespace(namespace);
    }

    /** The API resource, as RBAC rules name it. */
    String resource() {
        return resource;
    }

    /** The API group, as RBAC rules name it ("" for the core group). */
    String apiGroup() {
        return apiGroup;
    }

    /** The field that selects one node's objects (pods: spec.nodeName, nodes: metadata.name), or null: no such field. */
    String ownNodeField() {
        return ownNodeField;
    }

    boolean isNamespaced() {
        return this != NODES;
    }

    /**
     * One informer per namespace asked for, or one for the whole cluster, keyed by that scope in words for the log and
     * the errors ("cluster-wide", "in namespace x", "of node n in all namespaces", "named n"); created, not started.
     * The selection's node applies only to a kind with an own-node field (the caller leaves it empty otherwise).
     */
    Map<String, SharedIndexInformer<? extends HasMetadata>> informers(KubernetesClient client, DiscoveryRole.Selection s) {
        Map<String, SharedIndexInformer<? extends HasMetadata>> out = new LinkedHashMap<>();
        if (!isNamespaced()) {
            // cluster-scoped: the namespaces option does not apply
            out.put(s.nodeName().isEmpty() ? CLUSTER_WIDE : "named " + s.nodeName(), informer(in(client, null), s));
        } else if (s.namespaces().isEmpty()) {
            out.put(s.nodeName().isEmpty() ? CLUSTER_WIDE : "of node " + s.nodeName() + " in all namespaces",
                    informer(in(client, null), s));
        } else {
            for (String ns : s.namespaces()) {
                out.put("in namespace " + ns + (s.nodeName().isEmpty() ? "" : " of node " + s.nodeName()),
                        informer(in(client, ns), s));
            }
        }
        return out;
    }

    private <T extends HasMetadata> SharedIndexInformer<T> informer(FilterWatchListDeletable<T, ?, ?> op, DiscoveryRole.Selection s) {
        FilterWatchListDeletable<T, ?, ?> filtered = op;
        if (!s.nodeName().isEmpty()) {
            if (ownNodeField == null) {
                throw new IllegalStateException(resource + " cannot be selected by node"); // the roles never ask
            }
            filtered = filtered.withField(ownNodeField, s.nodeName());
        }
        for (DiscoveryRole.FieldRequirement f : s.fields()) {
            filtered = f.equal() ? filtered.withField(f.field(), f.value()) : filtered.withoutField(f.field(), f.value());
        }
        if (!s.labelSelector().isEmpty()) {
            filtered = filtered.withLabelSelector(s.labelSelector());
        }
        // Not started here: the consumer adds its handlers first, then starts without waiting for the list.
        return filtered.runnableInformer(s.resyncMillis());
    }
}

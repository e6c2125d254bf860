package io.caravan.discovery;

import io.caravan.model.Labels;
import io.caravan.model.Target;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeAddress;
import io.fabric8.kubernetes.api.model.NodeStatus;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The target of one node, with exactly the labels of Prometheus' kubernetes_sd {@code role: node}
 * (discovery/kubernetes/node.go): the kubelet's address and port, the first address of each type.
 */
public final class NodeTargets {

    static final String NODE = MetaLabels.PREFIX + "node_";
    static final String PROVIDER_ID = NODE + "provider_id";
    static final String ADDRESS_PREFIX = NODE + "address_";
    static final String INSTANCE = "instance";

    /** Prometheus' choice of the node's address, after Kubernetes' own preference. */
    static final List<String> ADDRESS_PREFERENCE =
            List.of("InternalIP", "InternalDNS", "ExternalIP", "ExternalDNS", "LegacyHostIP", "Hostname");

    private NodeTargets() {
    }

    public static List<Target> of(Node node) {
        NodeStatus status = node.getStatus() == null ? new NodeStatus() : node.getStatus();
        Map<String, String> firstByType = new LinkedHashMap<>();
        if (status.getAddresses() != null) {
            for (NodeAddress a : status.getAddresses()) {
                if (a.getType() != null && a.getAddress() != null) {
                    firstByType.putIfAbsent(a.getType(), a.getAddress());
                }
            }
        }
        String host = null;
        for (String type : ADDRESS_PREFERENCE) {
            host = firstByType.get(type);
            if (host != null) {
                break;
            }
        }
        // Like Prometheus: a node without a usable address yields no target (it logs "No node address found").
        if (host == null) {
            return List.of();
        }
        Labels.Builder b = Labels.builder();
        MetaLabels.addObjectMeta(b, "node", node.getMetadata());
        b.set(PROVIDER_ID, node.getSpec() == null ? null : node.getSpec().getProviderID());
        b.set(Target.ADDRESS, MetaLabels.joinHostPort(host, Integer.toString(kubeletPort(status))));
        b.set(INSTANCE, node.getMetadata() == null ? null : node.getMetadata().getName());
        firstByType.forEach((type, address) -> b.set(MetaLabels.sanitize(ADDRESS_PREFIX + type), address));
        return List.of(new Target(b.build()));
    }

    /** status.daemonEndpoints.kubeletEndpoint.Port; 0 when absent, as Go's zero value gives. */
    private static int kubeletPort(NodeStatus status) {
        if (status.getDaemonEndpoints() == null || status.getDaemonEndpoints().getKubeletEndpoint() == null
                || status.getDaemonEndpoints().getKubeletEndpoint().getPort() == null) {
            return 0;
        }
        return status.getDaemonEndpoints().getKubeletEndpoint().getPort();
    }
}

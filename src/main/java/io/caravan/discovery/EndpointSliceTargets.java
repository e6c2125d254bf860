package io.caravan.discovery;

import io.caravan.model.Labels;
import io.caravan.model.Target;
import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointConditions;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPort;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The targets of one EndpointSlice (discovery.k8s.io/v1), with exactly the labels of Prometheus' kubernetes_sd
 * {@code role: endpointslice} (discovery/kubernetes/endpointslice.go): one per endpoint address and port, the
 * service's labels (the service named by the slice's {@code kubernetes.io/service-name} label) on all of them,
 * the pod's on those backed by a pod, plus the pods' other declared ports. A dual-stack service's slice of its
 * secondary address family gives no targets, so each endpoint is scraped once.
 */
final class EndpointSliceTargets {

    static final String SLICE = MetaLabels.PREFIX + "endpointslice_";
    static final String ADDRESS_TYPE = SLICE + "address_type";
    static final String PORT_NAME = SLICE + "port_name";
    static final String PORT_PROTOCOL = SLICE + "port_protocol";
    static final String PORT = SLICE + "port";
    static final String PORT_APP_PROTOCOL = SLICE + "port_app_protocol";
    static final String READY = SLICE + "endpoint_conditions_ready";
    static final String SERVING = SLICE + "endpoint_conditions_serving";
    static final String TERMINATING = SLICE + "endpoint_conditions_terminating";
    static final String ZONE = SLICE + "endpoint_zone";
    static final String HOSTNAME = SLICE + "endpoint_hostname";
    static final String NODE_NAME = SLICE + "endpoint_node_name";
    static final String TARGET_KIND = SLICE + "address_target_kind";
    static final String TARGET_NAME = SLICE + "address_target_name";
    static final String TOPOLOGY = SLICE + "endpoint_topology_";
    static final String TOPOLOGY_PRESENT = SLICE + "endpoint_topology_present_";

    static final String SERVICE_NAME_LABEL = "kubernetes.io/service-name";

    private EndpointSliceTargets() {
    }

    static List<Target> of(EndpointSlice slice, RelatedObjects related, RoleOptions options) {
        String namespace = slice.getMetadata() == null ? null : slice.getMetadata().getNamespace();
        Labels.Builder g = Labels.builder()
                .set(MetaLabels.NAMESPACE, namespace)
                .set(ADDRESS_TYPE, slice.getAddressType());
        MetaLabels.addObjectMeta(g, "endpointslice", slice.getMetadata());
        String serviceName = slice.getMetadata() == null || slice.getMetadata().getLabels() == null ? null
                : slice.getMetadata().getLabels().get(SERVICE_NAME_LABEL);
        Service svc = serviceName == null ? null : related.service(namespace, serviceName);
        if (svc != null) {
            ServiceTargets.serviceLabels(svc).forEach(g::set);
        }
        Labels group = g.build();
        if (secondaryFamilyOfDualStack(svc, slice)) {
            return List.of();
        }

        EndpointPods pods = new EndpointPods(related);
        List<Target> targets = new ArrayList<>();
        List<EndpointPort> ports = slice.getPorts() == null ? List.of() : slice.getPorts();
        for (Endpoint ep : slice.getEndpoints() == null ? List.<Endpoint>of() : slice.getEndpoints()) {
            ObjectReference ref = ep.getTargetRef();
            if (!options.keepsEndpointOn(EndpointsTargets.nodeOf(ep.getNodeName(), ref))) {
                continue;
            }
            // Prometheus attaches the node a Node reference names before the endpoint's nodeName
            String node = ref != null && "Node".equals(ref.getKind()) ? ref.getName() : ep.getNodeName();
            for (EndpointPort port : ports) {
                for (String addr : ep.getAddresses() == null ? List.<String>of() : ep.getAddresses()) {
                    targets.add(target(group, pods, related, options, ep, ref, node, port, addr));
                }
            }
        }
        targets.addAll(pods.uncoveredPorts(group));
        return targets;
    }

    private static Target target(Labels group, EndpointPods pods, RelatedObjects related, RoleOptions options,
                                 Endpoint ep, ObjectReference ref, String node, EndpointPort port, String addr) {
        Labels.Builder b = group.toBuilder()
                .set(Target.ADDRESS, port.getPort() == null ? addr
                        : MetaLabels.joinHostPort(addr, MetaLabels.unsignedPort(port.getPort())))
                .set(PORT_NAME, port.getName())
                .set(PORT_PROTOCOL, port.getProtocol())
                .set(PORT, port.getPort() == null ? null : MetaLabels.unsignedPort(port.getPort()))
                .set(PORT_APP_PROTOCOL, port.getAppProtocol());
        EndpointConditions conditions = ep.getConditions();
        if (conditions != null) {
            b.set(READY, text(conditions.getReady()))
                    .set(SERVING, text(conditions.getServing()))
                    .set(TERMINATING, text(conditions.getTerminating()));
        }
        b.set(HOSTNAME, ep.getHostname());
        if (ref != null) {
            b.set(TARGET_KIND, ref.getKind()).set(TARGET_NAME, ref.getName());
        }
        b.set(NODE_NAME, ep.getNodeName()).set(ZONE, ep.getZone());
        Map<String, String> topology = ep.getDeprecatedTopology();
        if (topology != null) {
            topology.forEach((k, v) -> {
                String name = MetaLabels.sanitize(k);
                b.set(TOPOLOGY + name, v).set(TOPOLOGY_PRESENT + name, "true");
            });
        }
        if (options.attachNodeMetadata() && node != null) {
            MetaLabels.addNode(b, related.node(node));
        }
        Pod pod = pods.resolve(ref);
        if (pod != null) {
            pods.addPod(b, pod, port.getPort(), null, EndpointPods.MatchedProtocol.CONTAINER_PORT);
        }
        return new Target(b.build());
    }

    private static String text(Boolean b) {
        return b == null ? null : b.toString();
    }

    /** A slice whose address type is not the first IP family of a PreferDualStack or RequireDualStack service. */
    private static boolean secondaryFamilyOfDualStack(Service svc, EndpointSlice slice) {
        if (svc == null || svc.getSpec() == null) {
            return false;
        }
        String policy = svc.getSpec().getIpFamilyPolicy();
        if (!"PreferDualStack".equals(policy) && !"RequireDualStack".equals(policy)) {
            return false;
        }
        List<String> families = svc.getSpec().getIpFamilies();
        if (families == null || families.isEmpty()) {
            return false;
        }
        return !families.get(0).equals(slice.getAddressType());
    }
}

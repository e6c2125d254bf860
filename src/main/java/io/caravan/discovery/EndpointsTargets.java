package io.caravan.discovery;

import io.caravan.model.Labels;
import io.caravan.model.Target;
import io.fabric8.kubernetes.api.model.EndpointAddress;
import io.fabric8.kubernetes.api.model.EndpointPort;
import io.fabric8.kubernetes.api.model.EndpointSubset;
import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;

import java.util.ArrayList;
import java.util.List;

/**
 * The targets of one Endpoints object, with exactly the labels of Prometheus' kubernetes_sd {@code role: endpoints}
 * (discovery/kubernetes/endpoints.go): one per address and port, not-ready addresses included (ready "false"),
 * the service's labels on all of them, the pod's on those backed by a pod, plus the pods' other declared ports.
 */
final class EndpointsTargets {

    static final String ENDPOINT = MetaLabels.PREFIX + "endpoint_";
    static final String NODE_NAME = ENDPOINT + "node_name";
    static final String HOSTNAME = ENDPOINT + "hostname";
    static final String READY = ENDPOINT + "ready";
    static final String PORT_NAME = ENDPOINT + "port_name";
    static final String PORT_PROTOCOL = ENDPOINT + "port_protocol";
    static final String TARGET_KIND = ENDPOINT + "address_target_kind";
    static final String TARGET_NAME = ENDPOINT + "address_target_name";

    private EndpointsTargets() {
    }

    static List<Target> of(Endpoints eps, RelatedObjects related, RoleOptions options) {
        String namespace = eps.getMetadata() == null ? null : eps.getMetadata().getNamespace();
        String name = eps.getMetadata() == null ? null : eps.getMetadata().getName();
        Labels.Builder g = Labels.builder().set(MetaLabels.NAMESPACE, namespace);
        Service svc = related.service(namespace, name); // an Endpoints object has its service's name
        if (svc != null) {
            ServiceTargets.serviceLabels(svc).forEach(g::set);
        }
        MetaLabels.addObjectMeta(g, "endpoints", eps.getMetadata());
        Labels group = g.build();

        EndpointPods pods = new EndpointPods(related);
        List<Target> targets = new ArrayList<>();
        for (EndpointSubset subset : eps.getSubsets() == null ? List.<EndpointSubset>of() : eps.getSubsets()) {
            for (EndpointPort port : subset.getPorts() == null ? List.<EndpointPort>of() : subset.getPorts()) {
                add(targets, group, pods, related, options, subset.getAddresses(), port, "true");
                // the same address again when also listed as not ready: Prometheus makes a second target of it
                add(targets, group, pods, related, options, subset.getNotReadyAddresses(), port, "false");
            }
        }
        targets.addAll(pods.uncoveredPorts(group));
        return targets;
    }

    private static void add(List<Target> targets, Labels group, EndpointPods pods, RelatedObjects related,
                            RoleOptions options, List<EndpointAddress> addresses, EndpointPort port, String ready) {
        if (addresses == null) {
            return;
        }
        for (EndpointAddress addr : addresses) {
            ObjectReference ref = addr.getTargetRef();
            String node = nodeOf(addr.getNodeName(), ref);
            if (!options.keepsEndpointOn(node)) {
                continue;
            }
            Labels.Builder b = group.toBuilder()
                    .set(Target.ADDRESS, MetaLabels.joinHostPort(addr.getIp(), MetaLabels.unsignedPort(port.getPort())))
                    .set(PORT_NAME, port.getName())
                    .set(PORT_PROTOCOL, port.getProtocol())
                    .set(READY, ready);
            if (ref != null) {
                b.set(TARGET_KIND, ref.getKind()).set(TARGET_NAME, ref.getName());
            }
            b.set(NODE_NAME, addr.getNodeName()).set(HOSTNAME, addr.getHostname());
            if (options.attachNodeMetadata() && node != null) {
                MetaLabels.addNode(b, related.node(node));
            }
            Pod pod = pods.resolve(ref);
            if (pod != null) {
                pods.addPod(b, pod, port.getPort(), port.getProtocol(), EndpointPods.MatchedProtocol.ENDPOINT_PORT);
            }
            targets.add(new Target(b.build()));
        }
    }

    /**
     * The node an endpoint runs on: its nodeName, else the Node its address points at (a host-network endpoint
     * such as the API server's); null when neither says. attach_metadata and the node-local filter both go by it.
     */
    static String nodeOf(String nodeName, ObjectReference ref) {
        if (nodeName != null && !nodeName.isEmpty()) {
            return nodeName;
        }
        return ref != null && "Node".equals(ref.getKind()) ? ref.getName() : null;
    }
}

package io.caravan.discovery;

import io.caravan.model.Labels;
import io.caravan.model.Target;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.api.model.Pod;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The pods behind one Endpoints object or EndpointSlice, as Prometheus' endpoint roles treat them: a target whose
 * address points at a pod gets the pod's labels, and the container's where one declares the endpoint's port; then
 * every declared container port that no endpoint port covered becomes a target of its own, so a pod's metrics port
 * is found through a service that only exposes its web port.
 */
final class EndpointPods {

    private final RelatedObjects related;
    private final Map<String, Seen> seen = new LinkedHashMap<>();

    private record Seen(Pod pod, Set<Integer> ports) {
    }

    EndpointPods(RelatedObjects related) {
        this.related = related;
    }

    /** The pod a target reference names, when it is a pod the cache knows; null otherwise. */
    Pod resolve(ObjectReference ref) {
        if (ref == null || !"Pod".equals(ref.getKind())) {
            return null;
        }
        return related.pod(ref.getNamespace(), ref.getName());
    }

    /** Where a matched container's {@code container_port_protocol} comes from: the two roles differ. */
    enum MatchedProtocol {
        /** endpoints: the endpoint port's protocol (absent when it has none) */
        ENDPOINT_PORT,
        /** endpointslice: the container port's */
        CONTAINER_PORT
    }

    /**
     * Adds the pod's labels to an endpoint's target, and the labels of a container declaring the port: the last one
     * that does, init containers after the others, as Prometheus' loop leaves it.
     */
    void addPod(Labels.Builder target, Pod pod, Integer port, String endpointProtocol, MatchedProtocol protocolFrom) {
        Seen s = seen.computeIfAbsent(key(pod), k -> new Seen(pod, new HashSet<>()));
        if (port != null) {
            s.ports.add(port);
        }
        PodTargets.podLabels(pod).forEach(target::set);
        if (port == null) {
            return;
        }
        List<Container> containers = containers(pod);
        int regular = pod.getSpec() == null || pod.getSpec().getContainers() == null ? 0 : pod.getSpec().getContainers().size();
        for (int i = 0; i < containers.size(); i++) {
            Container c = containers.get(i);
            for (ContainerPort cport : ports(c)) {
                if (Objects.equals(port, cport.getContainerPort())) {
                    target.set(PodTargets.CONTAINER_NAME, c.getName())
                            .set(PodTargets.CONTAINER_IMAGE, c.getImage())
                            .set(PodTargets.PORT_NAME, cport.getName())
                            .set(PodTargets.PORT_NUMBER, MetaLabels.unsignedPort(port))
                            .set(PodTargets.PORT_PROTOCOL,
                                    protocolFrom == MatchedProtocol.ENDPOINT_PORT ? endpointProtocol : cport.getProtocol())
                            .set(PodTargets.CONTAINER_INIT, Boolean.toString(i >= regular));
                    break;
                }
            }
        }
    }

    /** A target per declared container port of the seen pods that no endpoint port covered (pods with an IP only). */
    List<Target> uncoveredPorts(Labels group) {
        List<Target> out = new ArrayList<>();
        for (Seen s : seen.values()) {
            String podIp = s.pod.getStatus() == null ? null : s.pod.getStatus().getPodIP();
            if (podIp == null || podIp.isEmpty()) {
                continue;
            }
            List<Container> containers = containers(s.pod);
            int regular = s.pod.getSpec().getContainers() == null ? 0 : s.pod.getSpec().getContainers().size();
            Labels podLabels = PodTargets.podLabels(s.pod);
            for (int i = 0; i < containers.size(); i++) {
                Container c = containers.get(i);
                for (ContainerPort cport : ports(c)) {
                    if (s.ports.contains(cport.getContainerPort())) {
                        continue;
                    }
                    String number = MetaLabels.unsignedPort(cport.getContainerPort());
                    Labels.Builder b = group.toBuilder()
                            .set(Target.ADDRESS, MetaLabels.joinHostPort(podIp, number))
                            .set(PodTargets.CONTAINER_NAME, c.getName())
                            .set(PodTargets.CONTAINER_IMAGE, c.getImage())
                            .set(PodTargets.PORT_NAME, cport.getName())
                            .set(PodTargets.PORT_NUMBER, number)
                            .set(PodTargets.PORT_PROTOCOL, cport.getProtocol())
                            .set(PodTargets.CONTAINER_INIT, Boolean.toString(i >= regular));
                    podLabels.forEach(b::set);
                    out.add(new Target(b.build()));
                }
            }
        }
        return out;
    }

    private static String key(Pod pod) {
        return pod.getMetadata().getNamespace() + "/" + pod.getMetadata().getName();
    }

    private static List<Container> containers(Pod pod) {
        List<Container> all = new ArrayList<>();
        if (pod.getSpec() != null) {
            if (pod.getSpec().getContainers() != null) {
                all.addAll(pod.getSpec().getContainers());
            }
            if (pod.getSpec().getInitContainers() != null) {
                all.addAll(pod.getSpec().getInitContainers());
            }
        }
        return all;
    }

    private static List<ContainerPort> ports(Container c) {
        return c.getPorts() == null ? List.of() : c.getPorts();
    }
}

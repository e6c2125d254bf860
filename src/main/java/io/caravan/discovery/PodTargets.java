package io.caravan.discovery;

import io.caravan.model.Labels;
import io.caravan.model.Target;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodStatus;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The targets of one pod, with exactly the labels of Prometheus' kubernetes_sd {@code role: pod}
 * (discovery/kubernetes/pod.go): one target per declared container port, one per container without ports,
 * init containers included.
 */
public final class PodTargets {

    static final String POD = MetaLabels.PREFIX + "pod_";
    static final String IP = POD + "ip";
    static final String READY = POD + "ready";
    static final String PHASE = POD + "phase";
    static final String NODE_NAME = POD + "node_name";
    static final String HOST_IP = POD + "host_ip";
    static final String UID = POD + "uid";
    static final String CONTROLLER_KIND = POD + "controller_kind";
    static final String CONTROLLER_NAME = POD + "controller_name";
    static final String CONTAINER_NAME = POD + "container_name";
    static final String CONTAINER_ID = POD + "container_id";
    static final String CONTAINER_IMAGE = POD + "container_image";
    static final String CONTAINER_INIT = POD + "container_init";
    static final String PORT_NAME = POD + "container_port_name";
    static final String PORT_NUMBER = POD + "container_port_number";
    static final String PORT_PROTOCOL = POD + "container_port_protocol";

    private PodTargets() {
    }

    public static List<Target> of(Pod pod) {
        return of(pod, RelatedObjects.NONE, RoleOptions.DEFAULT);
    }

    static List<Target> of(Pod pod, RelatedObjects related, RoleOptions options) {
        PodStatus status = pod.getStatus() == null ? new PodStatus() : pod.getStatus();
        String podIp = status.getPodIP();
        // Like Prometheus: a pod without an IP (still starting, or evicted) has nothing to scrape yet.
        if (podIp == null || podIp.isEmpty()) {
            return List.of();
        }
        PodSpec spec = pod.getSpec() == null ? new PodSpec() : pod.getSpec();
        Labels.Builder group = podLabels(pod).toBuilder();
        group.set(MetaLabels.NAMESPACE, pod.getMetadata() == null ? null : pod.getMetadata().getNamespace());
        if (options.attachNodeMetadata()) {
            // Like Prometheus (pod.go): with attach_metadata, a pod whose node is not known yet has no targets yet.
            Node node = related.node(spec.getNodeName());
            if (node == null) {
                return List.of();
            }
            MetaLabels.addNode(group, node);
        }
        Labels common = group.build();

        List<Target> targets = new ArrayList<>();
        addContainers(targets, common, podIp, spec.getContainers(), status.getContainerStatuses(), false);
        addContainers(targets, common, podIp, spec.getInitContainers(), status.getInitContainerStatuses(), true);
        return targets;
    }

    /** Prometheus' podLabels: what every target of a pod has, the endpoint roles' pod-backed targets included (no namespace). */
    static Labels podLabels(Pod pod) {
        PodStatus status = pod.getStatus() == null ? new PodStatus() : pod.getStatus();
        PodSpec spec = pod.getSpec() == null ? new PodSpec() : pod.getSpec();
        Labels.Builder b = Labels.builder();
        MetaLabels.addObjectMeta(b, "pod", pod.getMetadata());
        if (pod.getMetadata() != null) {
            b.set(UID, pod.getMetadata().getUid());
            OwnerReference controller = controllerOf(pod.getMetadata().getOwnerReferences());
            if (controller != null) {
                b.set(CONTROLLER_KIND, controller.getKind());
                b.set(CONTROLLER_NAME, controller.getName());
            }
        }
        b.set(IP, status.getPodIP());
        b.set(READY, ready(status));
        b.set(PHASE, status.getPhase());
        b.set(NODE_NAME, spec.getNodeName());
        b.set(HOST_IP, status.getHostIP());
        return b.build();
    }

    private static void addContainers(List<Target> targets, Labels common, String podIp, List<Container> containers,
                                      List<ContainerStatus> statuses, boolean init) {
        if (containers == null) {
            return;
        }
        for (Container c : containers) {
            Labels.Builder container = common.toBuilder()
                    .set(CONTAINER_NAME, c.getName())
                    .set(CONTAINER_ID, containerId(statuses, c.getName()))
                    .set(CONTAINER_IMAGE, c.getImage())
                    .set(CONTAINER_INIT, Boolean.toString(init));
            List<ContainerPort> ports = c.getPorts();
            if (ports == null || ports.isEmpty()) {
                // No declared port: the address is the bare pod IP and relabeling has to add one.
                targets.add(new Target(container.set(Target.ADDRESS, podIp).build()));
                continue;
            }
            Labels base = container.build();
            for (ContainerPort port : ports) {
                String number = MetaLabels.unsignedPort(port.getContainerPort());
                targets.add(new Target(base.toBuilder()
                        .set(Target.ADDRESS, MetaLabels.joinHostPort(podIp, number))
                        .set(PORT_NUMBER, number)
                        .set(PORT_NAME, port.getName())
                        .set(PORT_PROTOCOL, port.getProtocol())
                        .build()));
            }
        }
    }

    /** The owner reference marked as controller, as apimachinery's GetControllerOf picks it. */
    private static OwnerReference controllerOf(List<OwnerReference> refs) {
        if (refs != null) {
            for (OwnerReference ref : refs) {
                if (Boolean.TRUE.equals(ref.getController())) {
                    return ref;
                }
            }
        }
        return null;
    }

    private static String containerId(List<ContainerStatus> statuses, String name) {
        if (statuses != null) {
            for (ContainerStatus s : statuses) {
                if (s.getName() != null && s.getName().equals(name)) {
                    return s.getContainerID();
                }
            }
        }
        return null;
    }

    /** The Ready condition's status in lower case ("true", "false", "unknown"), "unknown" without one. */
    private static String ready(PodStatus status) {
        if (status.getConditions() != null) {
            for (PodCondition c : status.getConditions()) {
                if ("Ready".equals(c.getType())) {
                    return c.getStatus() == null ? "" : c.getStatus().toLowerCase(Locale.ROOT);
                }
            }
        }
        return "unknown";
    }
}

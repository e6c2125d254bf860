package io.caravan.discovery;

import io.caravan.model.Labels;
import io.caravan.model.Target;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static io.caravan.discovery.Related.merged;
import static io.caravan.discovery.Related.sorted;
import static io.caravan.discovery.Related.sortedLabels;
import static io.caravan.discovery.Related.target;
import static org.assertj.core.api.Assertions.assertThat;

class PodTargetsTest {

    /** A pod as the API server returns it: one container with two ports, one without, one init container. */
    static Pod samplePod() {
        return new PodBuilder()
                .withNewMetadata().withName("web-7d9f").withNamespace("shop").withUid("uid-1")
                .addToLabels("app.kubernetes.io/name", "web").addToLabels("tier", "")
                .addToAnnotations("prometheus.io/scrape", "true")
                .addNewOwnerReference().withKind("ReplicaSet").withName("web-7d").withController(true).endOwnerReference()
                .endMetadata()
                .withNewSpec().withNodeName("node-a")
                .addNewInitContainer().withName("migrate").withImage("migrate:1").endInitContainer()
                .addNewContainer().withName("app").withImage("web:2")
                .addNewPort().withName("http").withContainerPort(8080).withProtocol("TCP").endPort()
                .addNewPort().withContainerPort(9090).withProtocol("UDP").endPort()
                .endContainer()
                .addNewContainer().withName("sidecar").withImage("proxy:3").endContainer()
                .endSpec()
                .withNewStatus().withPhase("Running").withPodIP("10.1.2.3").withHostIP("192.168.0.10")
                .addNewCondition().withType("Ready").withStatus("True").endCondition()
                .addNewContainerStatus().withName("app").withContainerID("containerd://aaa").endContainerStatus()
                .addNewContainerStatus().withName("sidecar").withContainerID("containerd://bbb").endContainerStatus()
                .addNewInitContainerStatus().withName("migrate").withContainerID("containerd://ccc").endInitContainerStatus()
                .endStatus()
                .build();
    }

    @Test
    void oneTargetPerPortPlusOnePerPortlessContainerIncludingInitContainers() {
        List<Target> targets = PodTargets.of(samplePod());
        assertThat(targets).extracting(Target::address)
                .containsExactly("10.1.2.3:8080", "10.1.2.3:9090", "10.1.2.3", "10.1.2.3");
        assertThat(targets).extracting(t -> t.labels().get("__meta_kubernetes_pod_container_init"))
                .containsExactly("false", "false", "false", "true");
    }

    /** Written by hand from pod.go: group labels (podLabels + namespace) merged with the target's own. */
    @Test
    void exactLabelSetOfOnePortTargetAsPrometheusBuildsIt() {
        Labels expected = Labels.of(
                "__address__", "10.1.2.3:8080",
                "__meta_kubernetes_namespace", "shop",
                "__meta_kubernetes_pod_name", "web-7d9f",
                "__meta_kubernetes_pod_ip", "10.1.2.3",
                "__meta_kubernetes_pod_uid", "uid-1",
                "__meta_kubernetes_pod_phase", "Running",
                "__meta_kubernetes_pod_ready", "true",
                "__meta_kubernetes_pod_node_name", "node-a",
                "__meta_kubernetes_pod_host_ip", "192.168.0.10",
                "__meta_kubernetes_pod_controller_kind", "ReplicaSet",
                "__meta_kubernetes_pod_controller_name", "web-7d",
                "__meta_kubernetes_pod_label_app_kubernetes_io_name", "web",
                "__meta_kubernetes_pod_labelpresent_app_kubernetes_io_name", "true",
                // an empty label value is absent, its presence is not
                "__meta_kubernetes_pod_labelpresent_tier", "true",
                "__meta_kubernetes_pod_annotation_prometheus_io_scrape", "true",
                "__meta_kubernetes_pod_annotationpresent_prometheus_io_scrape", "true",
                "__meta_kubernetes_pod_container_name", "app",
                "__meta_kubernetes_pod_container_id", "containerd://aaa",
                "__meta_kubernetes_pod_container_image", "web:2",
                "__meta_kubernetes_pod_container_init", "false",
                "__meta_kubernetes_pod_container_port_name", "http",
                "__meta_kubernetes_pod_container_port_number", "8080",
                "__meta_kubernetes_pod_container_port_protocol", "TCP");
        assertThat(PodTargets.of(samplePod()).get(0).labels()).isEqualTo(expected);
    }

    @Test
    void portlessAndInitTargetsCarryNoPortLabelsAndTheirOwnContainerId() {
        List<Target> targets = PodTargets.of(samplePod());
        Labels sidecar = targets.get(2).labels();
        assertThat(sidecar.get("__meta_kubernetes_pod_container_name")).isEqualTo("sidecar");
        assertThat(sidecar.get("__meta_kubernetes_pod_container_id")).isEqualTo("containerd://bbb");
        assertThat(sidecar.has("__meta_kubernetes_pod_container_port_number")).isFalse();
        Labels init = targets.get(3).labels();
        assertThat(init.get("__meta_kubernetes_pod_container_name")).isEqualTo("migrate");
        assertThat(init.get("__meta_kubernetes_pod_container_id")).isEqualTo("containerd://ccc");
        assertThat(init.get("__meta_kubernetes_pod_container_image")).isEqualTo("migrate:1");
    }

    @Test
    void podWithoutIpHasNoTargets() {
        Pod pending = new PodBuilder(samplePod()).editStatus().withPodIP(null).withPhase("Pending").endStatus().build();
        assertThat(PodTargets.of(pending)).isEmpty();
    }

    @Test
    void readinessFollowsTheReadyConditionAndIsUnknownWithoutOne() {
        Pod notReady = new PodBuilder(samplePod()).editStatus().withConditions()
                .addNewCondition().withType("Ready").withStatus("False").endCondition().endStatus().build();
        Pod noCondition = new PodBuilder(samplePod()).editStatus().withConditions().endStatus().build();
        assertThat(PodTargets.of(notReady).get(0).labels().get("__meta_kubernetes_pod_ready")).isEqualTo("false");
        assertThat(PodTargets.of(noCondition).get(0).labels().get("__meta_kubernetes_pod_ready")).isEqualTo("unknown");
    }

    @Test
    void phasesAreCopiedAsTheyAre() {
        for (String phase : List.of("Pending", "Running", "Succeeded", "Failed", "Unknown")) {
            Pod p = new PodBuilder(samplePod()).editStatus().withPhase(phase).endStatus().build();
            assertThat(PodTargets.of(p).get(0).labels().get("__meta_kubernetes_pod_phase")).isEqualTo(phase);
        }
    }

    @Test
    void onlyTheControllerOwnerNamesTheController() {
        Pod notController = new PodBuilder(samplePod()).editMetadata().withOwnerReferences()
                .addNewOwnerReference().withKind("Node").withName("node-a").withController(false).endOwnerReference()
                .addNewOwnerReference().withKind("DaemonSet").withName("agent").withController(true).endOwnerReference()
                .endMetadata().build();
        Labels l = PodTargets.of(notController).get(0).labels();
        assertThat(l.get("__meta_kubernetes_pod_controller_kind")).isEqualTo("DaemonSet");
        assertThat(l.get("__meta_kubernetes_pod_controller_name")).isEqualTo("agent");

        Pod orphan = new PodBuilder(samplePod()).editMetadata().withOwnerReferences().endMetadata().build();
        assertThat(PodTargets.of(orphan).get(0).labels().has("__meta_kubernetes_pod_controller_kind")).isFalse();
    }

    @Test
    void ipv6AddressesAreBracketedOnlyWithAPort() {
        Pod v6 = new PodBuilder(samplePod()).editStatus().withPodIP("fd00::1").endStatus().build();
        assertThat(PodTargets.of(v6)).extracting(Target::address)
                .containsExactly("[fd00::1]:8080", "[fd00::1]:9090", "fd00::1", "fd00::1");
    }

    // ---- attach_metadata: {node: true}, table-driven like pod_test.go's node metadata and node selector tests ----

    record NodeCase(String name, Pod pod, Related related, RoleOptions options, List<Labels> expected) {
        @Override
        public String toString() {
            return name;
        }
    }

    /** pod_test.go's fixture: "testpod" (uid abc123) on "testnode", running and ready, one container with port 9000. */
    static Pod runningPod(String name, String uid, String nodeName, String podIp) {
        return new PodBuilder()
                .withNewMetadata().withName(name).withNamespace("default").withUid(uid).endMetadata()
                .withNewSpec().withNodeName(nodeName)
                .addNewContainer().withName("testcontainer").withImage("testcontainer:latest")
                .addNewPort().withName("testport").withProtocol("TCP").withContainerPort(9000).endPort()
                .endContainer()
                .endSpec()
                .withNewStatus().withPodIP(podIp).withHostIP("2.3.4.5").withPhase("Running")
                .addNewCondition().withType("Ready").withStatus("True").endCondition()
                .addNewContainerStatus().withName("testcontainer").withContainerID("docker://a1b2c3d4e5f6").endContainerStatus()
                .endStatus()
                .build();
    }

    static Node labelledNode(String name, Map<String, String> labels, Map<String, String> annotations) {
        return new NodeBuilder()
                .withNewMetadata().withName(name).withLabels(labels).withAnnotations(annotations).endMetadata()
                .withNewStatus().addNewAddress().withType("InternalIP").withAddress("10.0.0.1").endAddress().endStatus()
                .build();
    }

    /** The one target of {@link #runningPod}: its group labels (podLabels + namespace) and its container's. */
    static Labels runningPodTarget(String name, String uid, String nodeName, String podIp) {
        return Labels.of(
                "__address__", podIp + ":9000",
                "__meta_kubernetes_namespace", "default",
                "__meta_kubernetes_pod_name", name,
                "__meta_kubernetes_pod_uid", uid,
                "__meta_kubernetes_pod_node_name", nodeName,
                "__meta_kubernetes_pod_ip", podIp,
                "__meta_kubernetes_pod_host_ip", "2.3.4.5",
                "__meta_kubernetes_pod_ready", "true",
                "__meta_kubernetes_pod_phase", "Running",
                "__meta_kubernetes_pod_container_name", "testcontainer",
                "__meta_kubernetes_pod_container_image", "testcontainer:latest",
                "__meta_kubernetes_pod_container_port_name", "testport",
                "__meta_kubernetes_pod_container_port_number", "9000",
                "__meta_kubernetes_pod_container_port_protocol", "TCP",
                "__meta_kubernetes_pod_container_init", "false",
                "__meta_kubernetes_pod_container_id", "docker://a1b2c3d4e5f6");
    }

    static Stream<NodeCase> nodeMetadataCases() {
        RoleOptions withNodes = new RoleOptions("", true);
        Pod testpod = runningPod("testpod", "abc123", "testnode", "1.2.3.4");
        Labels testpodTarget = runningPodTarget("testpod", "abc123", "testnode", "1.2.3.4");
        return Stream.of(
                new NodeCase("node known: its name and labels on the pod's targets",
                        testpod, Related.of(labelledNode("testnode", Map.of("l1", "v1"), null)), withNodes,
                        List.of(target(testpodTarget,
                                "__meta_kubernetes_node_name", "testnode",
                                "__meta_kubernetes_node_label_l1", "v1",
                                "__meta_kubernetes_node_labelpresent_l1", "true"))),

                new NodeCase("node with updated labels: the current ones",
                        testpod, Related.of(labelledNode("testnode", Map.of("l2", "v2"), null)), withNodes,
                        List.of(target(testpodTarget,
                                "__meta_kubernetes_node_name", "testnode",
                                "__meta_kubernetes_node_label_l2", "v2",
                                "__meta_kubernetes_node_labelpresent_l2", "true"))),

                new NodeCase("node annotations and sanitized label names, empty values only present",
                        testpod,
                        Related.of(labelledNode("testnode",
                                Map.of("topology.kubernetes.io/zone", "eu-west-1a", "node-role.kubernetes.io/worker", ""),
                                Map.of("node.alpha.kubernetes.io/ttl", "0"))),
                        withNodes,
                        List.of(merged(testpodTarget, Labels.of(
                                "__meta_kubernetes_node_name", "testnode",
                                "__meta_kubernetes_node_label_topology_kubernetes_io_zone", "eu-west-1a",
                                "__meta_kubernetes_node_labelpresent_topology_kubernetes_io_zone", "true",
                                "__meta_kubernetes_node_labelpresent_node_role_kubernetes_io_worker", "true",
                                "__meta_kubernetes_node_annotation_node_alpha_kubernetes_io_ttl", "0",
                                "__meta_kubernetes_node_annotationpresent_node_alpha_kubernetes_io_ttl", "true")))),

                new NodeCase("node not known (filtered out by a node selector, or not seen yet): no targets",
                        testpod, Related.of(labelledNode("othernode", Map.of("l1", "v1"), null)), withNodes,
                        List.of()),

                new NodeCase("node selector: the pod on the selected worker node has its targets",
                        runningPod("pod-on-worker", "worker-pod-123", "worker-node", "192.168.1.1"),
                        Related.of(labelledNode("worker-node", Map.of("node-type", "worker"), null)), withNodes,
                        List.of(target(runningPodTarget("pod-on-worker", "worker-pod-123", "worker-node", "192.168.1.1"),
                                "__meta_kubernetes_node_name", "worker-node",
                                "__meta_kubernetes_node_label_node_type", "worker",
                                "__meta_kubernetes_node_labelpresent_node_type", "true"))),

                new NodeCase("node selector: the pod on a node the selector left out has none",
                        runningPod("pod-on-filtered-node", "filtered-pod-456", "filtered-node", "192.168.1.2"),
                        Related.of(labelledNode("worker-node", Map.of("node-type", "worker"), null)), withNodes,
                        List.of()),

                new NodeCase("pod not scheduled yet: no node to look up, no targets",
                        new PodBuilder(testpod).editSpec().withNodeName(null).endSpec().build(),
                        Related.of(labelledNode("testnode", Map.of("l1", "v1"), null)), withNodes,
                        List.of()),

                new NodeCase("pod without IP: no targets though its node is known",
                        new PodBuilder(testpod).editStatus().withPodIP(null).endStatus().build(),
                        Related.of(labelledNode("testnode", Map.of("l1", "v1"), null)), withNodes,
                        List.of()),

                new NodeCase("attach_metadata off: no node labels, and targets whether the node is known or not",
                        testpod, Related.of(), RoleOptions.DEFAULT,
                        List.of(testpodTarget)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("nodeMetadataCases")
    void attachNodeMetadataAsPrometheusDoes(NodeCase c) {
        assertThat(sortedLabels(PodTargets.of(c.pod, c.related, c.options))).isEqualTo(sorted(c.expected));
    }
}

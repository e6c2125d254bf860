package io.caravan.discovery;

import io.caravan.model.Labels;
import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.EndpointsBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
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

/**
 * role: endpoints, table-driven like Prometheus' discovery/kubernetes/endpoints_test.go: each case is an Endpoints
 * object, what the related caches hold (services, pods, nodes), the role's options, and the full label set of every
 * target Prometheus makes of them. Where a Go test drives informer events, the case is the final state.
 */
class EndpointsTargetsTest {

    record Case(String name, Endpoints endpoints, Related related, RoleOptions options, List<Labels> expected) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static final RoleOptions ALL = RoleOptions.DEFAULT;
    private static final RoleOptions WITH_NODES = new RoleOptions("", true);

    // ---- objects ----

    /**
     * Three subsets: 1.2.3.4 (hostname testendpoint1, on node foobar) on port 9000; 2.3.4.5 both ready and not
     * ready on 9001; 6.7.8.9 pointing at Node barbaz on 9002. All ports "testport" TCP. One annotation.
     */
    static Endpoints threeSubsetEndpoints(String namespace) {
        return new EndpointsBuilder()
                .withNewMetadata().withName("testendpoints").withNamespace(namespace)
                .addToAnnotations("test.annotation", "test")
                .endMetadata()
                .addNewSubset()
                .addNewAddress().withIp("1.2.3.4").withHostname("testendpoint1").withNodeName("foobar").endAddress()
                .addNewPort().withName("testport").withPort(9000).withProtocol("TCP").endPort()
                .endSubset()
                .addNewSubset()
                .addNewAddress().withIp("2.3.4.5").endAddress()
                .addNewNotReadyAddress().withIp("2.3.4.5").endNotReadyAddress()
                .addNewPort().withName("testport").withPort(9001).withProtocol("TCP").endPort()
                .endSubset()
                .addNewSubset()
                .addNewAddress().withIp("6.7.8.9").withNewTargetRef().withKind("Node").withName("barbaz").endTargetRef().endAddress()
                .addNewPort().withName("testport").withPort(9002).withProtocol("TCP").endPort()
                .endSubset()
                .build();
    }

    /** One address, 4.3.2.1, pointing at pod "testpod" of the namespace, on one port. */
    static Endpoints podEndpoints(String namespace, String portName, int port, String protocol) {
        return new EndpointsBuilder()
                .withNewMetadata().withName("testendpoints").withNamespace(namespace).endMetadata()
                .addNewSubset()
                .addNewAddress().withIp("4.3.2.1")
                .withNewTargetRef().withKind("Pod").withName("testpod").withNamespace(namespace).endTargetRef()
                .endAddress()
                .addNewPort().withName(portName).withPort(port).withProtocol(protocol).endPort()
                .endSubset()
                .build();
    }

    /** Pod "testpod" (uid deadbeef, node testnode, host 2.3.4.5, no phase or conditions): c1 "mainport" 9000, c2 "sideport" 9001. */
    static Pod twoContainerPod(String namespace, String podIp) {
        return new PodBuilder()
                .withNewMetadata().withName("testpod").withNamespace(namespace).withUid("deadbeef").endMetadata()
                .withNewSpec().withNodeName("testnode")
                .addNewContainer().withName("c1").withImage("c1:latest")
                .addNewPort().withName("mainport").withContainerPort(9000).withProtocol("TCP").endPort()
                .endContainer()
                .addNewContainer().withName("c2").withImage("c2:latest")
                .addNewPort().withName("sideport").withContainerPort(9001).withProtocol("TCP").endPort()
                .endContainer()
                .endSpec()
                .withNewStatus().withHostIP("2.3.4.5").withPodIP(podIp).endStatus()
                .build();
    }

    /** Pod "testpod" with only c1 "mainport" 9000. */
    static Pod oneContainerPod(String namespace, String podIp) {
        return new PodBuilder(twoContainerPod(namespace, podIp)).editSpec()
                .withContainers(twoContainerPod(namespace, podIp).getSpec().getContainers().get(0))
                .endSpec().build();
    }

    static Service service(String namespace, String name, Map<String, String> labels) {
        return new ServiceBuilder()
                .withNewMetadata().withName(name).withNamespace(namespace).withLabels(labels).endMetadata()
                .build();
    }

    static Node node(String name, Map<String, String> labels) {
        return new NodeBuilder().withNewMetadata().withName(name).withLabels(labels).endMetadata().build();
    }

    // ---- expected labels ----

    static Labels group(String namespace) {
        return Labels.of(
                "__meta_kubernetes_namespace", namespace,
                "__meta_kubernetes_endpoints_name", "testendpoints",
                "__meta_kubernetes_endpoints_annotation_test_annotation", "test",
                "__meta_kubernetes_endpoints_annotationpresent_test_annotation", "true");
    }

    /** The four targets of {@link #threeSubsetEndpoints}, with the node labels attached to foobar's and barbaz's. */
    static List<Labels> threeSubsetTargets(Labels group, Labels foobarNode, Labels barbazNode) {
        return List.of(
                merged(target(group,
                        "__address__", "1.2.3.4:9000",
                        "__meta_kubernetes_endpoint_hostname", "testendpoint1",
                        "__meta_kubernetes_endpoint_node_name", "foobar",
                        "__meta_kubernetes_endpoint_port_name", "testport",
                        "__meta_kubernetes_endpoint_port_protocol", "TCP",
                        "__meta_kubernetes_endpoint_ready", "true"), foobarNode),
                target(group,
                        "__address__", "2.3.4.5:9001",
                        "__meta_kubernetes_endpoint_port_name", "testport",
                        "__meta_kubernetes_endpoint_port_protocol", "TCP",
                        "__meta_kubernetes_endpoint_ready", "true"),
                target(group,
                        "__address__", "2.3.4.5:9001",
                        "__meta_kubernetes_endpoint_port_name", "testport",
                        "__meta_kubernetes_endpoint_port_protocol", "TCP",
                        "__meta_kubernetes_endpoint_ready", "false"),
                merged(target(group,
                        "__address__", "6.7.8.9:9002",
                        "__meta_kubernetes_endpoint_address_target_kind", "Node",
                        "__meta_kubernetes_endpoint_address_target_name", "barbaz",
                        "__meta_kubernetes_endpoint_port_name", "testport",
                        "__meta_kubernetes_endpoint_port_protocol", "TCP",
                        "__meta_kubernetes_endpoint_ready", "true"), barbazNode));
    }

    static Labels nodeLabels(String name, String az) {
        return Labels.of(
                "__meta_kubernetes_node_name", name,
                "__meta_kubernetes_node_label_az", az,
                "__meta_kubernetes_node_labelpresent_az", "true");
    }

    /** podLabels of pod.go for "testpod" as the fixtures build it; phase "" is absent. */
    static Labels testpod(String podIp, String hostIp) {
        return Labels.of(
                "__meta_kubernetes_pod_name", "testpod",
                "__meta_kubernetes_pod_ip", podIp,
                "__meta_kubernetes_pod_ready", "unknown",
                "__meta_kubernetes_pod_phase", "",
                "__meta_kubernetes_pod_node_name", "testnode",
                "__meta_kubernetes_pod_host_ip", hostIp,
                "__meta_kubernetes_pod_uid", "deadbeef");
    }

    static Labels container(String name, String image, String portName, String port, String protocol, boolean init) {
        return Labels.of(
                "__meta_kubernetes_pod_container_name", name,
                "__meta_kubernetes_pod_container_image", image,
                "__meta_kubernetes_pod_container_port_name", portName,
                "__meta_kubernetes_pod_container_port_number", port,
                "__meta_kubernetes_pod_container_port_protocol", protocol,
                "__meta_kubernetes_pod_container_init", Boolean.toString(init));
    }

    /** The target of a pod-backed endpoint address 4.3.2.1 before pod and container labels. */
    static Labels podEndpointTarget(Labels group, String port, String portName, String protocol, String ready) {
        return target(group,
                "__address__", "4.3.2.1:" + port,
                "__meta_kubernetes_endpoint_port_name", portName,
                "__meta_kubernetes_endpoint_port_protocol", protocol,
                "__meta_kubernetes_endpoint_ready", ready,
                "__meta_kubernetes_endpoint_address_target_kind", "Pod",
                "__meta_kubernetes_endpoint_address_target_name", "testpod");
    }

    static Stream<Case> cases() {
        Labels plainGroup = Labels.of("__meta_kubernetes_namespace", "default", "__meta_kubernetes_endpoints_name", "testendpoints");
        Labels serviceAppTest = Labels.of(
                "__meta_kubernetes_service_name", "testendpoints",
                "__meta_kubernetes_service_label_app_name", "test",
                "__meta_kubernetes_service_labelpresent_app_name", "true");
        return Stream.of(
                new Case("three subsets: ready, ready and not ready duplicate, Node target ref",
                        threeSubsetEndpoints("default"), Related.of(), ALL,
                        threeSubsetTargets(group("default"), Labels.EMPTY, Labels.EMPTY)),

                new Case("pod-backed address: pod labels, container by port, the pod's other port a target of its own",
                        podEndpoints("default", "testport", 9000, "TCP"),
                        Related.of(twoContainerPod("default", "1.2.3.4")), ALL,
                        List.of(
                                merged(podEndpointTarget(plainGroup, "9000", "testport", "TCP", "true"),
                                        testpod("1.2.3.4", "2.3.4.5"),
                                        container("c1", "c1:latest", "mainport", "9000", "TCP", false)),
                                merged(plainGroup, Labels.of("__address__", "1.2.3.4:9001"),
                                        testpod("1.2.3.4", "2.3.4.5"),
                                        container("c2", "c2:latest", "sideport", "9001", "TCP", false)))),

                new Case("two plain subsets",
                        new EndpointsBuilder()
                                .withNewMetadata().withName("testendpoints").withNamespace("default").endMetadata()
                                .addNewSubset().addNewAddress().withIp("1.2.3.4").endAddress()
                                .addNewPort().withName("testport").withPort(9000).withProtocol("TCP").endPort().endSubset()
                                .addNewSubset().addNewAddress().withIp("2.3.4.5").endAddress()
                                .addNewPort().withName("testport").withPort(9001).withProtocol("TCP").endPort().endSubset()
                                .build(),
                        Related.of(), ALL,
                        List.of(
                                target(plainGroup, "__address__", "1.2.3.4:9000",
                                        "__meta_kubernetes_endpoint_port_name", "testport",
                                        "__meta_kubernetes_endpoint_port_protocol", "TCP",
                                        "__meta_kubernetes_endpoint_ready", "true"),
                                target(plainGroup, "__address__", "2.3.4.5:9001",
                                        "__meta_kubernetes_endpoint_port_name", "testport",
                                        "__meta_kubernetes_endpoint_port_protocol", "TCP",
                                        "__meta_kubernetes_endpoint_ready", "true"))),

                new Case("empty subsets: no targets",
                        new EndpointsBuilder()
                                .withNewMetadata().withName("testendpoints").withNamespace("default").endMetadata()
                                .withSubsets().build(),
                        Related.of(), ALL, List.of()),

                new Case("service of the same name: its labels on every target",
                        threeSubsetEndpoints("default"),
                        Related.of(service("default", "testendpoints", Map.of("app/name", "test"))), ALL,
                        threeSubsetTargets(merged(group("default"), serviceAppTest), Labels.EMPTY, Labels.EMPTY)),

                new Case("service with updated labels: the current ones",
                        threeSubsetEndpoints("default"),
                        Related.of(service("default", "testendpoints", Map.of("app/name", "svc", "component", "testing"))), ALL,
                        threeSubsetTargets(merged(group("default"), Labels.of(
                                "__meta_kubernetes_service_name", "testendpoints",
                                "__meta_kubernetes_service_label_app_name", "svc",
                                "__meta_kubernetes_service_labelpresent_app_name", "true",
                                "__meta_kubernetes_service_label_component", "testing",
                                "__meta_kubernetes_service_labelpresent_component", "true")), Labels.EMPTY, Labels.EMPTY)),

                new Case("service of another name or namespace: no service labels",
                        threeSubsetEndpoints("default"),
                        Related.of(service("other", "testendpoints", Map.of("app/name", "test")),
                                service("default", "other", Map.of("app/name", "test"))), ALL,
                        threeSubsetTargets(group("default"), Labels.EMPTY, Labels.EMPTY)),

                new Case("attachNodeMetadata: node by nodeName, else by a Node target ref",
                        threeSubsetEndpoints("default"),
                        Related.of(service("default", "testendpoints", Map.of("app/name", "test")),
                                node("foobar", Map.of("az", "us-east1")), node("barbaz", Map.of("az", "us-west2"))),
                        WITH_NODES,
                        threeSubsetTargets(merged(group("default"), serviceAppTest),
                                nodeLabels("foobar", "us-east1"), nodeLabels("barbaz", "us-west2"))),

                new Case("attachNodeMetadata off: no node labels though the nodes are known",
                        threeSubsetEndpoints("default"),
                        Related.of(node("foobar", Map.of("az", "us-east1")), node("barbaz", Map.of("az", "us-west2"))),
                        ALL,
                        threeSubsetTargets(group("default"), Labels.EMPTY, Labels.EMPTY)),

                new Case("attachNodeMetadata with unknown nodes: targets kept without node labels",
                        threeSubsetEndpoints("default"), Related.of(), WITH_NODES,
                        threeSubsetTargets(group("default"), Labels.EMPTY, Labels.EMPTY)),

                new Case("attachNodeMetadata: nodeName wins over a Node target ref",
                        new EndpointsBuilder()
                                .withNewMetadata().withName("testendpoints").withNamespace("default").endMetadata()
                                .addNewSubset()
                                .addNewAddress().withIp("6.7.8.9").withNodeName("foobar")
                                .withNewTargetRef().withKind("Node").withName("barbaz").endTargetRef().endAddress()
                                .addNewPort().withName("testport").withPort(9002).withProtocol("TCP").endPort()
                                .endSubset().build(),
                        Related.of(node("foobar", Map.of("az", "us-east1")), node("barbaz", Map.of("az", "us-west2"))),
                        WITH_NODES,
                        List.of(merged(target(plainGroup,
                                "__address__", "6.7.8.9:9002",
                                "__meta_kubernetes_endpoint_node_name", "foobar",
                                "__meta_kubernetes_endpoint_address_target_kind", "Node",
                                "__meta_kubernetes_endpoint_address_target_name", "barbaz",
                                "__meta_kubernetes_endpoint_port_name", "testport",
                                "__meta_kubernetes_endpoint_port_protocol", "TCP",
                                "__meta_kubernetes_endpoint_ready", "true"), nodeLabels("foobar", "us-east1")))),

                new Case("attachNodeMetadata on a pod-backed address: node labels on it, not on the pod's extra port",
                        new EndpointsBuilder(podEndpoints("default", "testport", 9000, "TCP"))
                                .editFirstSubset().editFirstAddress().withNodeName("testnode").endAddress().endSubset().build(),
                        Related.of(twoContainerPod("default", "1.2.3.4"), node("testnode", Map.of("az", "eu-west1"))),
                        WITH_NODES,
                        List.of(
                                merged(podEndpointTarget(plainGroup, "9000", "testport", "TCP", "true"),
                                        Labels.of("__meta_kubernetes_endpoint_node_name", "testnode"),
                                        nodeLabels("testnode", "eu-west1"),
                                        testpod("1.2.3.4", "2.3.4.5"),
                                        container("c1", "c1:latest", "mainport", "9000", "TCP", false)),
                                merged(plainGroup, Labels.of("__address__", "1.2.3.4:9001"),
                                        testpod("1.2.3.4", "2.3.4.5"),
                                        container("c2", "c2:latest", "sideport", "9001", "TCP", false)))),

                new Case("namespace ns1: its service's labels",
                        threeSubsetEndpoints("ns1"),
                        Related.of(service("ns1", "testendpoints", Map.of("app", "app1")),
                                oneContainerPod("ns2", "4.3.2.1")), ALL,
                        threeSubsetTargets(merged(group("ns1"), Labels.of(
                                "__meta_kubernetes_service_name", "testendpoints",
                                "__meta_kubernetes_service_label_app", "app1",
                                "__meta_kubernetes_service_labelpresent_app", "true")), Labels.EMPTY, Labels.EMPTY)),

                new Case("namespace ns2: the pod of that namespace, whose only port the endpoint covers",
                        podEndpoints("ns2", "testport", 9000, "TCP"),
                        Related.of(service("ns1", "testendpoints", Map.of("app", "app1")),
                                oneContainerPod("ns2", "4.3.2.1")), ALL,
                        List.of(merged(podEndpointTarget(
                                        Labels.of("__meta_kubernetes_namespace", "ns2", "__meta_kubernetes_endpoints_name", "testendpoints"),
                                        "9000", "testport", "TCP", "true"),
                                testpod("4.3.2.1", "2.3.4.5"),
                                container("c1", "c1:latest", "mainport", "9000", "TCP", false)))),

                new Case("pod that became ready and running: its current phase and readiness",
                        podEndpoints("default", "mainport", 9000, "TCP"),
                        Related.of(new PodBuilder(oneContainerPod("default", "4.3.2.1")).editStatus().withPhase("Running")
                                .addNewCondition().withType("Ready").withStatus("True").endCondition().endStatus().build()),
                        ALL,
                        List.of(merged(podEndpointTarget(plainGroup, "9000", "mainport", "TCP", "true"),
                                testpod("4.3.2.1", "2.3.4.5"),
                                Labels.of("__meta_kubernetes_pod_phase", "Running", "__meta_kubernetes_pod_ready", "true"),
                                container("c1", "c1:latest", "mainport", "9000", "TCP", false)))),

                new Case("init containers: ports matched in them too, unmatched init ports are extra targets",
                        new EndpointsBuilder()
                                .withNewMetadata().withName("testsidecar").withNamespace("default").endMetadata()
                                .addNewSubset()
                                .addNewAddress().withIp("4.3.2.1")
                                .withNewTargetRef().withKind("Pod").withName("testpod").withNamespace("default").endTargetRef()
                                .endAddress()
                                .addNewPort().withName("testport").withPort(9000).withProtocol("TCP").endPort()
                                .addNewPort().withName("initport").withPort(9111).withProtocol("TCP").endPort()
                                .endSubset().build(),
                        Related.of(sidecarPod()), ALL,
                        sidecarTargets()),

                new Case("container port protocol label: the endpoint port's, not the container's",
                        podEndpoints("default", "testport", 9000, "UDP"),
                        Related.of(twoContainerPod("default", "1.2.3.4")), ALL,
                        List.of(
                                merged(podEndpointTarget(plainGroup, "9000", "testport", "UDP", "true"),
                                        testpod("1.2.3.4", "2.3.4.5"),
                                        container("c1", "c1:latest", "mainport", "9000", "UDP", false)),
                                merged(plainGroup, Labels.of("__address__", "1.2.3.4:9001"),
                                        testpod("1.2.3.4", "2.3.4.5"),
                                        container("c2", "c2:latest", "sideport", "9001", "TCP", false)))),

                new Case("endpoint port without protocol: no container port protocol label either",
                        podEndpoints("default", "testport", 9000, null),
                        Related.of(twoContainerPod("default", "1.2.3.4")), ALL,
                        List.of(
                                merged(podEndpointTarget(plainGroup, "9000", "testport", "", "true"),
                                        testpod("1.2.3.4", "2.3.4.5"),
                                        container("c1", "c1:latest", "mainport", "9000", "", false)),
                                merged(plainGroup, Labels.of("__address__", "1.2.3.4:9001"),
                                        testpod("1.2.3.4", "2.3.4.5"),
                                        container("c2", "c2:latest", "sideport", "9001", "TCP", false)))),

                new Case("two containers declare the endpoint's port: the last one's labels, as endpoints.go overwrites",
                        podEndpoints("default", "testport", 9000, "TCP"),
                        Related.of(new PodBuilder(twoContainerPod("default", "1.2.3.4")).editSpec()
                                .editLastContainer().editFirstPort().withName("altport").withContainerPort(9000).endPort().endContainer()
                                .endSpec().build()),
                        ALL,
                        List.of(merged(podEndpointTarget(plainGroup, "9000", "testport", "TCP", "true"),
                                testpod("1.2.3.4", "2.3.4.5"),
                                container("c2", "c2:latest", "altport", "9000", "TCP", false)))),

                new Case("pod both ready and not ready: a target for each, its extra port once",
                        new EndpointsBuilder(podEndpoints("default", "testport", 9000, "TCP")).editFirstSubset()
                                .addNewNotReadyAddress().withIp("4.3.2.1")
                                .withNewTargetRef().withKind("Pod").withName("testpod").withNamespace("default").endTargetRef()
                                .endNotReadyAddress().endSubset().build(),
                        Related.of(twoContainerPod("default", "1.2.3.4")), ALL,
                        List.of(
                                merged(podEndpointTarget(plainGroup, "9000", "testport", "TCP", "true"),
                                        testpod("1.2.3.4", "2.3.4.5"),
                                        container("c1", "c1:latest", "mainport", "9000", "TCP", false)),
                                merged(podEndpointTarget(plainGroup, "9000", "testport", "TCP", "false"),
                                        testpod("1.2.3.4", "2.3.4.5"),
                                        container("c1", "c1:latest", "mainport", "9000", "TCP", false)),
                                merged(plainGroup, Labels.of("__address__", "1.2.3.4:9001"),
                                        testpod("1.2.3.4", "2.3.4.5"),
                                        container("c2", "c2:latest", "sideport", "9001", "TCP", false)))),

                new Case("pod without IP: pod labels on its endpoint, no extra-port targets",
                        podEndpoints("default", "testport", 9000, "TCP"),
                        Related.of(new PodBuilder(twoContainerPod("default", null)).withNewStatus().endStatus().build()), ALL,
                        List.of(merged(podEndpointTarget(plainGroup, "9000", "testport", "TCP", "true"),
                                testpod("", ""),
                                container("c1", "c1:latest", "mainport", "9000", "TCP", false)))),

                new Case("Pod target ref to a pod not in the cache: no pod labels, no extra targets",
                        podEndpoints("default", "testport", 9000, "TCP"),
                        Related.of(twoContainerPod("other", "1.2.3.4")), ALL,
                        List.of(podEndpointTarget(plainGroup, "9000", "testport", "TCP", "true"))),

                new Case("endpoints labels and an IPv6 address in brackets",
                        new EndpointsBuilder()
                                .withNewMetadata().withName("kubernetes").withNamespace("default")
                                .addToLabels("endpointslice.kubernetes.io/skip-mirror", "true")
                                .endMetadata()
                                .addNewSubset().addNewAddress().withIp("fd00::10").endAddress()
                                .addNewPort().withName("https").withPort(6443).withProtocol("TCP").endPort().endSubset()
                                .build(),
                        Related.of(), ALL,
                        List.of(Labels.of(
                                "__address__", "[fd00::10]:6443",
                                "__meta_kubernetes_namespace", "default",
                                "__meta_kubernetes_endpoints_name", "kubernetes",
                                "__meta_kubernetes_endpoints_label_endpointslice_kubernetes_io_skip_mirror", "true",
                                "__meta_kubernetes_endpoints_labelpresent_endpointslice_kubernetes_io_skip_mirror", "true",
                                "__meta_kubernetes_endpoint_port_name", "https",
                                "__meta_kubernetes_endpoint_port_protocol", "TCP",
                                "__meta_kubernetes_endpoint_ready", "true"))),

                // Caravan's own: one agent per node takes the endpoints of its node only
                new Case("Caravan node-local (node-a): endpoints on node-a by nodeName or Node ref, extra ports of kept pods only",
                        nodeLocalEndpoints(), nodeLocalPods(), new RoleOptions("node-a", false),
                        nodeLocalTargets(false)),

                new Case("Caravan node-local off: the same endpoints on every node",
                        nodeLocalEndpoints(), nodeLocalPods(), ALL,
                        nodeLocalTargets(true)),

                new Case("Caravan node-local (barbaz): the Node target ref's endpoint of the three-subset fixture",
                        threeSubsetEndpoints("default"), Related.of(), new RoleOptions("barbaz", false),
                        List.of(threeSubsetTargets(group("default"), Labels.EMPTY, Labels.EMPTY).get(3))));
    }

    /** Pod "testpod": init ic1 "initport" 1111, init ic2 "initport" 9111, c1 "mainport" 9000. */
    static Pod sidecarPod() {
        return new PodBuilder()
                .withNewMetadata().withName("testpod").withNamespace("default").withUid("deadbeef").endMetadata()
                .withNewSpec().withNodeName("testnode")
                .addNewInitContainer().withName("ic1").withImage("ic1:latest")
                .addNewPort().withName("initport").withContainerPort(1111).withProtocol("TCP").endPort()
                .endInitContainer()
                .addNewInitContainer().withName("ic2").withImage("ic2:latest")
                .addNewPort().withName("initport").withContainerPort(9111).withProtocol("TCP").endPort()
                .endInitContainer()
                .addNewContainer().withName("c1").withImage("c1:latest")
                .addNewPort().withName("mainport").withContainerPort(9000).withProtocol("TCP").endPort()
                .endContainer()
                .endSpec()
                .withNewStatus().withHostIP("2.3.4.5").withPodIP("4.3.2.1").endStatus()
                .build();
    }

    static List<Labels> sidecarTargets() {
        Labels g = Labels.of("__meta_kubernetes_namespace", "default", "__meta_kubernetes_endpoints_name", "testsidecar");
        return List.of(
                merged(podEndpointTarget(g, "9000", "testport", "TCP", "true"),
                        testpod("4.3.2.1", "2.3.4.5"),
                        container("c1", "c1:latest", "mainport", "9000", "TCP", false)),
                merged(podEndpointTarget(g, "9111", "initport", "TCP", "true"),
                        testpod("4.3.2.1", "2.3.4.5"),
                        container("ic2", "ic2:latest", "initport", "9111", "TCP", true)),
                merged(g, Labels.of("__address__", "4.3.2.1:1111"),
                        testpod("4.3.2.1", "2.3.4.5"),
                        container("ic1", "ic1:latest", "initport", "1111", "TCP", true)));
    }

    /**
     * Service "web" in "shop", port "http" 8080: 10.1.0.1 pod web-a on node-a; 10.1.0.2 pod web-b on node-b;
     * 10.1.0.3 a Node target ref node-a without nodeName; 10.1.0.4 on no node; 10.1.0.5 not ready on node-a.
     */
    static Endpoints nodeLocalEndpoints() {
        return new EndpointsBuilder()
                .withNewMetadata().withName("web").withNamespace("shop").endMetadata()
                .addNewSubset()
                .addNewAddress().withIp("10.1.0.1").withNodeName("node-a")
                .withNewTargetRef().withKind("Pod").withName("web-a").withNamespace("shop").endTargetRef().endAddress()
                .addNewAddress().withIp("10.1.0.2").withNodeName("node-b")
                .withNewTargetRef().withKind("Pod").withName("web-b").withNamespace("shop").endTargetRef().endAddress()
                .addNewAddress().withIp("10.1.0.3")
                .withNewTargetRef().withKind("Node").withName("node-a").endTargetRef().endAddress()
                .addNewAddress().withIp("10.1.0.4").endAddress()
                .addNewNotReadyAddress().withIp("10.1.0.5").withNodeName("node-a").endNotReadyAddress()
                .addNewPort().withName("http").withPort(8080).withProtocol("TCP").endPort()
                .endSubset()
                .build();
    }

    /** Pods web-a (node-a) and web-b (node-b): container "app" with "http" 8080 and "metrics" 9090. */
    static Related nodeLocalPods() {
        return Related.of(webPod("web-a", "node-a", "10.1.0.1"), webPod("web-b", "node-b", "10.1.0.2"));
    }

    static Pod webPod(String name, String node, String ip) {
        return new PodBuilder()
                .withNewMetadata().withName(name).withNamespace("shop").withUid("uid-" + name).endMetadata()
                .withNewSpec().withNodeName(node)
                .addNewContainer().withName("app").withImage("web:1")
                .addNewPort().withName("http").withContainerPort(8080).withProtocol("TCP").endPort()
                .addNewPort().withName("metrics").withContainerPort(9090).withProtocol("TCP").endPort()
                .endContainer()
                .endSpec()
                .withNewStatus().withPodIP(ip).withHostIP("192.168.0.1").withPhase("Running").endStatus()
                .build();
    }

    static Labels webPodLabels(String name, String node, String ip) {
        return Labels.of(
                "__meta_kubernetes_pod_name", name,
                "__meta_kubernetes_pod_ip", ip,
                "__meta_kubernetes_pod_ready", "unknown",
                "__meta_kubernetes_pod_phase", "Running",
                "__meta_kubernetes_pod_node_name", node,
                "__meta_kubernetes_pod_host_ip", "192.168.0.1",
                "__meta_kubernetes_pod_uid", "uid-" + name);
    }

    static List<Labels> nodeLocalTargets(boolean allNodes) {
        Labels g = Labels.of("__meta_kubernetes_namespace", "shop", "__meta_kubernetes_endpoints_name", "web");
        Labels http = Labels.of(
                "__meta_kubernetes_endpoint_port_name", "http",
                "__meta_kubernetes_endpoint_port_protocol", "TCP");
        List<Labels> nodeA = List.of(
                merged(g, http, Labels.of("__address__", "10.1.0.1:8080",
                                "__meta_kubernetes_endpoint_ready", "true",
                                "__meta_kubernetes_endpoint_node_name", "node-a",
                                "__meta_kubernetes_endpoint_address_target_kind", "Pod",
                                "__meta_kubernetes_endpoint_address_target_name", "web-a"),
                        webPodLabels("web-a", "node-a", "10.1.0.1"),
                        container("app", "web:1", "http", "8080", "TCP", false)),
                merged(g, Labels.of("__address__", "10.1.0.1:9090"),
                        webPodLabels("web-a", "node-a", "10.1.0.1"),
                        container("app", "web:1", "metrics", "9090", "TCP", false)),
                merged(g, http, Labels.of("__address__", "10.1.0.3:8080",
                        "__meta_kubernetes_endpoint_ready", "true",
                        "__meta_kubernetes_endpoint_address_target_kind", "Node",
                        "__meta_kubernetes_endpoint_address_target_name", "node-a")),
                merged(g, http, Labels.of("__address__", "10.1.0.5:8080",
                        "__meta_kubernetes_endpoint_ready", "false",
                        "__meta_kubernetes_endpoint_node_name", "node-a")));
        if (!allNodes) {
            return nodeA;
        }
        return Stream.concat(nodeA.stream(), Stream.of(
                merged(g, http, Labels.of("__address__", "10.1.0.2:8080",
                                "__meta_kubernetes_endpoint_ready", "true",
                                "__meta_kubernetes_endpoint_node_name", "node-b",
                                "__meta_kubernetes_endpoint_address_target_kind", "Pod",
                                "__meta_kubernetes_endpoint_address_target_name", "web-b"),
                        webPodLabels("web-b", "node-b", "10.1.0.2"),
                        container("app", "web:1", "http", "8080", "TCP", false)),
                merged(g, Labels.of("__address__", "10.1.0.2:9090"),
                        webPodLabels("web-b", "node-b", "10.1.0.2"),
                        container("app", "web:1", "metrics", "9090", "TCP", false)),
                merged(g, http, Labels.of("__address__", "10.1.0.4:8080",
                        "__meta_kubernetes_endpoint_ready", "true")))).toList();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void targetsAsPrometheusBuildsThem(Case c) {
        assertThat(sortedLabels(EndpointsTargets.of(c.endpoints, c.related, c.options))).isEqualTo(sorted(c.expected));
    }
}

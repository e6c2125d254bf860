package io.caravan.discovery;

import io.caravan.model.Labels;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPort;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
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
 * role: endpointslice, table-driven like Prometheus' discovery/kubernetes/endpointslice_test.go: each case is an
 * EndpointSlice (discovery.k8s.io/v1), what the related caches hold, the role's options, and the full label set of
 * every target Prometheus makes of them. Where a Go test drives informer events, the case is the final state.
 */
class EndpointSliceTargetsTest {

    record Case(String name, EndpointSlice slice, Related related, RoleOptions options, List<Labels> expected) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static final RoleOptions ALL = RoleOptions.DEFAULT;
    private static final RoleOptions WITH_NODES = new RoleOptions("", true);
    private static final String SERVICE_NAME = "kubernetes.io/service-name";

    // ---- objects ----

    /**
     * Slice "testendpoints" of service "testendpoints" (label), one annotation, IPv4, port "testport" 9000 TCP with
     * appProtocol http. Endpoints: 1.2.3.4 ready/serving/not terminating, hostname testendpoint1, an empty target
     * ref, node foobar, a deprecated topology entry, zone us-east-1a; 2.3.4.5 ready, zone us-east-1b; 3.4.5.6 not
     * ready but serving and terminating, zone us-east-1c; 4.5.6.7 ready with a Node target ref barbaz, zone us-east-1a.
     */
    static EndpointSlice fourEndpointSlice(String namespace) {
        return new EndpointSliceBuilder()
                .withNewMetadata().withName("testendpoints").withNamespace(namespace)
                .addToLabels(SERVICE_NAME, "testendpoints")
                .addToAnnotations("test.annotation", "test")
                .endMetadata()
                .withAddressType("IPv4")
                .addNewPort().withName("testport").withPort(9000).withProtocol("TCP").withAppProtocol("http").endPort()
                .addNewEndpoint().withAddresses("1.2.3.4")
                .withNewConditions().withReady(true).withServing(true).withTerminating(false).endConditions()
                .withHostname("testendpoint1").withTargetRef(new ObjectReference()).withNodeName("foobar")
                .addToDeprecatedTopology("topology", "value").withZone("us-east-1a")
                .endEndpoint()
                .addNewEndpoint().withAddresses("2.3.4.5")
                .withNewConditions().withReady(true).withServing(true).withTerminating(false).endConditions()
                .withZone("us-east-1b")
                .endEndpoint()
                .addNewEndpoint().withAddresses("3.4.5.6")
                .withNewConditions().withReady(false).withServing(true).withTerminating(true).endConditions()
                .withZone("us-east-1c")
                .endEndpoint()
                .addNewEndpoint().withAddresses("4.5.6.7")
                .withNewConditions().withReady(true).withServing(true).withTerminating(false).endConditions()
                .withNewTargetRef().withKind("Node").withName("barbaz").endTargetRef()
                .withZone("us-east-1a")
                .endEndpoint()
                .build();
    }

    /** Slice "testendpoints" without a service label: IPv4, one port, one endpoint 4.3.2.1 pointing at pod "testpod". */
    static EndpointSlice podSlice(String namespace, String portName, Integer port, String protocol, Boolean ready) {
        EndpointSliceBuilder b = new EndpointSliceBuilder()
                .withNewMetadata().withName("testendpoints").withNamespace(namespace).endMetadata()
                .withAddressType("IPv4")
                .addNewPort().withName(portName).withPort(port).withProtocol(protocol).endPort()
                .addNewEndpoint().withAddresses("4.3.2.1")
                .withNewTargetRef().withKind("Pod").withName("testpod").withNamespace(namespace).endTargetRef()
                .endEndpoint();
        if (ready != null) {
            b.editFirstEndpoint().withNewConditions().withReady(ready).endConditions().endEndpoint();
        }
        return b.build();
    }

    /** Pod "testpod" (uid deadbeef, node testnode, host 2.3.4.5, no phase or conditions): c1 "mainport" 9000, c2 "sideport" 9001. */
    static Pod twoContainerPod(String namespace, String podIp) {
        return EndpointsTargetsTest.twoContainerPod(namespace, podIp);
    }

    static Service service(String namespace, String name, Map<String, String> labels) {
        return new ServiceBuilder()
                .withNewMetadata().withName(name).withNamespace(namespace).withLabels(labels).endMetadata()
                .build();
    }

    static Node node(String name, Map<String, String> labels) {
        return new NodeBuilder().withNewMetadata().withName(name).withLabels(labels).endMetadata().build();
    }

    static Service dualStackService(String policy, String... families) {
        return new ServiceBuilder()
                .withNewMetadata().withName("testsvc").withNamespace("default").endMetadata()
                .withNewSpec().withIpFamilyPolicy(policy).withIpFamilies(families).endSpec()
                .build();
    }

    /** One slice of service "testsvc" per address family: port "http" 9000 TCP, one ready endpoint. */
    static EndpointSlice dualStackSlice(String addressType, String address) {
        return new EndpointSliceBuilder()
                .withNewMetadata().withName("testsvc-" + addressType.toLowerCase()).withNamespace("default")
                .addToLabels(SERVICE_NAME, "testsvc").endMetadata()
                .withAddressType(addressType)
                .addNewPort().withName("http").withPort(9000).withProtocol("TCP").endPort()
                .addNewEndpoint().withAddresses(address).withNewConditions().withReady(true).endConditions().endEndpoint()
                .build();
    }

    // ---- expected labels ----

    static Labels group(String namespace) {
        return Labels.of(
                "__meta_kubernetes_namespace", namespace,
                "__meta_kubernetes_endpointslice_address_type", "IPv4",
                "__meta_kubernetes_endpointslice_name", "testendpoints",
                "__meta_kubernetes_endpointslice_label_kubernetes_io_service_name", "testendpoints",
                "__meta_kubernetes_endpointslice_labelpresent_kubernetes_io_service_name", "true",
                "__meta_kubernetes_endpointslice_annotation_test_annotation", "test",
                "__meta_kubernetes_endpointslice_annotationpresent_test_annotation", "true");
    }

    static Labels plainGroup(String namespace, String name) {
        return Labels.of(
                "__meta_kubernetes_namespace", namespace,
                "__meta_kubernetes_endpointslice_address_type", "IPv4",
                "__meta_kubernetes_endpointslice_name", name);
    }

    static final Labels TESTPORT = Labels.of(
            "__meta_kubernetes_endpointslice_port", "9000",
            "__meta_kubernetes_endpointslice_port_app_protocol", "http",
            "__meta_kubernetes_endpointslice_port_name", "testport",
            "__meta_kubernetes_endpointslice_port_protocol", "TCP");

    /** The targets of {@link #fourEndpointSlice}'s first {@code count} endpoints, with node labels on foobar's and barbaz's. */
    static List<Labels> fourEndpointTargets(Labels group, int count, Labels foobarNode, Labels barbazNode) {
        return List.of(
                merged(group, TESTPORT, Labels.of(
                        "__address__", "1.2.3.4:9000",
                        "__meta_kubernetes_endpointslice_address_target_kind", "",
                        "__meta_kubernetes_endpointslice_address_target_name", "",
                        "__meta_kubernetes_endpointslice_endpoint_conditions_ready", "true",
                        "__meta_kubernetes_endpointslice_endpoint_conditions_serving", "true",
                        "__meta_kubernetes_endpointslice_endpoint_conditions_terminating", "false",
                        "__meta_kubernetes_endpointslice_endpoint_hostname", "testendpoint1",
                        "__meta_kubernetes_endpointslice_endpoint_node_name", "foobar",
                        "__meta_kubernetes_endpointslice_endpoint_topology_present_topology", "true",
                        "__meta_kubernetes_endpointslice_endpoint_topology_topology", "value",
                        "__meta_kubernetes_endpointslice_endpoint_zone", "us-east-1a"), foobarNode),
                merged(group, TESTPORT, Labels.of(
                        "__address__", "2.3.4.5:9000",
                        "__meta_kubernetes_endpointslice_endpoint_conditions_ready", "true",
                        "__meta_kubernetes_endpointslice_endpoint_conditions_serving", "true",
                        "__meta_kubernetes_endpointslice_endpoint_conditions_terminating", "false",
                        "__meta_kubernetes_endpointslice_endpoint_zone", "us-east-1b")),
                merged(group, TESTPORT, Labels.of(
                        "__address__", "3.4.5.6:9000",
                        "__meta_kubernetes_endpointslice_endpoint_conditions_ready", "false",
                        "__meta_kubernetes_endpointslice_endpoint_conditions_serving", "true",
                        "__meta_kubernetes_endpointslice_endpoint_conditions_terminating", "true",
                        "__meta_kubernetes_endpointslice_endpoint_zone", "us-east-1c")),
                merged(group, TESTPORT, Labels.of(
                        "__address__", "4.5.6.7:9000",
                        "__meta_kubernetes_endpointslice_address_target_kind", "Node",
                        "__meta_kubernetes_endpointslice_address_target_name", "barbaz",
                        "__meta_kubernetes_endpointslice_endpoint_conditions_ready", "true",
                        "__meta_kubernetes_endpointslice_endpoint_conditions_serving", "true",
                        "__meta_kubernetes_endpointslice_endpoint_conditions_terminating", "false",
                        "__meta_kubernetes_endpointslice_endpoint_zone", "us-east-1a"), barbazNode)
        ).subList(0, count);
    }

    static Labels nodeLabels(String name, String az) {
        return EndpointsTargetsTest.nodeLabels(name, az);
    }

    static Labels testpod(String podIp, String hostIp) {
        return EndpointsTargetsTest.testpod(podIp, hostIp);
    }

    static Labels container(String name, String image, String portName, String port, String protocol, boolean init) {
        return EndpointsTargetsTest.container(name, image, portName, port, protocol, init);
    }

    /** The target of the pod-backed endpoint 4.3.2.1 before pod and container labels. */
    static Labels podEndpointTarget(Labels group, String port, String portName, String protocol, String ready) {
        return target(group,
                "__address__", "4.3.2.1:" + port,
                "__meta_kubernetes_endpointslice_address_target_kind", "Pod",
                "__meta_kubernetes_endpointslice_address_target_name", "testpod",
                "__meta_kubernetes_endpointslice_endpoint_conditions_ready", ready,
                "__meta_kubernetes_endpointslice_port", port,
                "__meta_kubernetes_endpointslice_port_name", portName,
                "__meta_kubernetes_endpointslice_port_protocol", protocol);
    }

    static Labels dualStackGroup(String addressType) {
        return Labels.of(
                "__meta_kubernetes_namespace", "default",
                "__meta_kubernetes_endpointslice_address_type", addressType,
                "__meta_kubernetes_endpointslice_name", "testsvc-" + addressType.toLowerCase(),
                "__meta_kubernetes_endpointslice_label_kubernetes_io_service_name", "testsvc",
                "__meta_kubernetes_endpointslice_labelpresent_kubernetes_io_service_name", "true",
                "__meta_kubernetes_service_name", "testsvc");
    }

    static Labels dualStackTarget(String addressType, String address) {
        return target(dualStackGroup(addressType),
                "__address__", address,
                "__meta_kubernetes_endpointslice_endpoint_conditions_ready", "true",
                "__meta_kubernetes_endpointslice_port", "9000",
                "__meta_kubernetes_endpointslice_port_name", "http",
                "__meta_kubernetes_endpointslice_port_protocol", "TCP");
    }

    static Stream<Case> cases() {
        Labels serviceAppTest = Labels.of(
                "__meta_kubernetes_service_name", "testendpoints",
                "__meta_kubernetes_service_label_app_name", "test",
                "__meta_kubernetes_service_labelpresent_app_name", "true");
        Labels defaultPlain = plainGroup("default", "testendpoints");
        Service preferV4 = dualStackService("PreferDualStack", "IPv4", "IPv6");
        Service requireV4 = dualStackService("RequireDualStack", "IPv4", "IPv6");
        Service preferV6 = dualStackService("PreferDualStack", "IPv6", "IPv4");
        return Stream.of(
                new Case("four endpoints: conditions, hostname, node, zone, topology, appProtocol",
                        fourEndpointSlice("default"), Related.of(), ALL,
                        fourEndpointTargets(group("default"), 4, Labels.EMPTY, Labels.EMPTY)),

                new Case("pod-backed endpoint: pod labels, container by port, the pod's other port a target of its own",
                        podSlice("default", "testport", 9000, "TCP", false),
                        Related.of(twoContainerPod("default", "1.2.3.4")), ALL,
                        List.of(
                                merged(podEndpointTarget(defaultPlain, "9000", "testport", "TCP", "false"),
                                        testpod("1.2.3.4", "2.3.4.5"),
                                        container("c1", "c1:latest", "mainport", "9000", "TCP", false)),
                                merged(defaultPlain, Labels.of("__address__", "1.2.3.4:9001"),
                                        testpod("1.2.3.4", "2.3.4.5"),
                                        container("c2", "c2:latest", "sideport", "9001", "TCP", false)))),

                new Case("slice without labels and annotations, two endpoints left",
                        new EndpointSliceBuilder(fourEndpointSlice("default"))
                                .editMetadata().withLabels(null).withAnnotations(null).endMetadata()
                                .withEndpoints(fourEndpointSlice("default").getEndpoints().subList(0, 2))
                                .build(),
                        Related.of(service("default", "testendpoints", Map.of("app/name", "test"))), ALL,
                        fourEndpointTargets(defaultPlain, 2, Labels.EMPTY, Labels.EMPTY)),

                new Case("no endpoints: no targets",
                        new EndpointSliceBuilder(fourEndpointSlice("default")).withEndpoints().build(),
                        Related.of(), ALL, List.of()),

                new Case("service named by the kubernetes.io/service-name label: its labels on every target",
                        fourEndpointSlice("default"),
                        Related.of(service("default", "testendpoints", Map.of("app/name", "test"))), ALL,
                        fourEndpointTargets(merged(group("default"), serviceAppTest), 4, Labels.EMPTY, Labels.EMPTY)),

                new Case("service with updated labels: the current ones",
                        fourEndpointSlice("default"),
                        Related.of(service("default", "testendpoints", Map.of("app/name", "svc", "component", "testing"))), ALL,
                        fourEndpointTargets(merged(group("default"), Labels.of(
                                "__meta_kubernetes_service_name", "testendpoints",
                                "__meta_kubernetes_service_label_app_name", "svc",
                                "__meta_kubernetes_service_labelpresent_app_name", "true",
                                "__meta_kubernetes_service_label_component", "testing",
                                "__meta_kubernetes_service_labelpresent_component", "true")), 4, Labels.EMPTY, Labels.EMPTY)),

                new Case("service found through the label, not through the slice's own name",
                        new EndpointSliceBuilder(fourEndpointSlice("default")).editMetadata()
                                .withName("testendpoints-x7k2p").addToLabels(SERVICE_NAME, "web").endMetadata().build(),
                        Related.of(service("default", "testendpoints-x7k2p", Map.of("app/name", "test")),
                                service("default", "web", Map.of("app/name", "web"))), ALL,
                        fourEndpointTargets(merged(group("default"), Labels.of(
                                "__meta_kubernetes_endpointslice_name", "testendpoints-x7k2p",
                                "__meta_kubernetes_endpointslice_label_kubernetes_io_service_name", "web",
                                "__meta_kubernetes_service_name", "web",
                                "__meta_kubernetes_service_label_app_name", "web",
                                "__meta_kubernetes_service_labelpresent_app_name", "true")), 4, Labels.EMPTY, Labels.EMPTY)),

                new Case("attachNodeMetadata: node by nodeName, and by a Node target ref",
                        fourEndpointSlice("default"),
                        Related.of(service("default", "testendpoints", Map.of("app/name", "test")),
                                node("foobar", Map.of("az", "us-east1")), node("barbaz", Map.of("az", "us-west2"))),
                        WITH_NODES,
                        fourEndpointTargets(merged(group("default"), serviceAppTest), 4,
                                nodeLabels("foobar", "us-east1"), nodeLabels("barbaz", "us-west2"))),

                new Case("attachNodeMetadata with unknown nodes: targets kept without node labels",
                        fourEndpointSlice("default"), Related.of(), WITH_NODES,
                        fourEndpointTargets(group("default"), 4, Labels.EMPTY, Labels.EMPTY)),

                new Case("attachNodeMetadata: a Node target ref wins over nodeName",
                        new EndpointSliceBuilder(fourEndpointSlice("default"))
                                .withEndpoints(fourEndpointSlice("default").getEndpoints().get(3)).editFirstEndpoint()
                                .withNodeName("foobar").endEndpoint().build(),
                        Related.of(node("foobar", Map.of("az", "us-east1")), node("barbaz", Map.of("az", "us-west2"))),
                        WITH_NODES,
                        List.of(merged(fourEndpointTargets(group("default"), 4, Labels.EMPTY, Labels.EMPTY).get(3),
                                Labels.of("__meta_kubernetes_endpointslice_endpoint_node_name", "foobar"),
                                nodeLabels("barbaz", "us-west2")))),

                new Case("namespace ns1: its service's labels",
                        fourEndpointSlice("ns1"),
                        Related.of(service("ns1", "testendpoints", Map.of("app", "app1")),
                                EndpointsTargetsTest.oneContainerPod("ns2", "4.3.2.1")), ALL,
                        fourEndpointTargets(merged(group("ns1"), Labels.of(
                                "__meta_kubernetes_service_name", "testendpoints",
                                "__meta_kubernetes_service_label_app", "app1",
                                "__meta_kubernetes_service_labelpresent_app", "true")), 4, Labels.EMPTY, Labels.EMPTY)),

                new Case("namespace ns2: the pod of that namespace, whose only port the slice covers; no conditions",
                        podSlice("ns2", "testport", 9000, "TCP", null),
                        Related.of(service("ns1", "testendpoints", Map.of("app", "app1")),
                                EndpointsTargetsTest.oneContainerPod("ns2", "4.3.2.1")), ALL,
                        List.of(merged(podEndpointTarget(plainGroup("ns2", "testendpoints"), "9000", "testport", "TCP", ""),
                                testpod("4.3.2.1", "2.3.4.5"),
                                container("c1", "c1:latest", "mainport", "9000", "TCP", false)))),

                new Case("init containers: ports matched in them too, unmatched init ports are extra targets",
                        new EndpointSliceBuilder()
                                .withNewMetadata().withName("testsidecar").withNamespace("default").endMetadata()
                                .withAddressType("IPv4")
                                .addNewPort().withName("testport").withPort(9000).withProtocol("TCP").endPort()
                                .addNewPort().withName("initport").withPort(9111).withProtocol("TCP").endPort()
                                .addNewEndpoint().withAddresses("4.3.2.1")
                                .withNewTargetRef().withKind("Pod").withName("testpod").withNamespace("default").endTargetRef()
                                .endEndpoint()
                                .build(),
                        Related.of(EndpointsTargetsTest.sidecarPod()), ALL,
                        List.of(
                                merged(podEndpointTarget(plainGroup("default", "testsidecar"), "9000", "testport", "TCP", ""),
                                        testpod("4.3.2.1", "2.3.4.5"),
                                        container("c1", "c1:latest", "mainport", "9000", "TCP", false)),
                                merged(podEndpointTarget(plainGroup("default", "testsidecar"), "9111", "initport", "TCP", ""),
                                        testpod("4.3.2.1", "2.3.4.5"),
                                        container("ic2", "ic2:latest", "initport", "9111", "TCP", true)),
                                merged(plainGroup("default", "testsidecar"), Labels.of("__address__", "4.3.2.1:1111"),
                                        testpod("4.3.2.1", "2.3.4.5"),
                                        container("ic1", "ic1:latest", "initport", "1111", "TCP", true)))),

                new Case("container port protocol label: the container port's, not the slice port's",
                        podSlice("default", "testport", 9000, "UDP", true),
                        Related.of(twoContainerPod("default", "1.2.3.4")), ALL,
                        List.of(
                                merged(podEndpointTarget(defaultPlain, "9000", "testport", "UDP", "true"),
                                        testpod("1.2.3.4", "2.3.4.5"),
                                        container("c1", "c1:latest", "mainport", "9000", "TCP", false)),
                                merged(defaultPlain, Labels.of("__address__", "1.2.3.4:9001"),
                                        testpod("1.2.3.4", "2.3.4.5"),
                                        container("c2", "c2:latest", "sideport", "9001", "TCP", false)))),

                new Case("port without name, protocol or number: the bare address, every container port extra",
                        new EndpointSliceBuilder(podSlice("default", null, null, null, null))
                                .withPorts(new EndpointPort()).build(),
                        Related.of(twoContainerPod("default", "1.2.3.4")), ALL,
                        List.of(
                                merged(defaultPlain, Labels.of(
                                                "__address__", "4.3.2.1",
                                                "__meta_kubernetes_endpointslice_address_target_kind", "Pod",
                                                "__meta_kubernetes_endpointslice_address_target_name", "testpod"),
                                        testpod("1.2.3.4", "2.3.4.5")),
                                merged(defaultPlain, Labels.of("__address__", "1.2.3.4:9000"),
                                        testpod("1.2.3.4", "2.3.4.5"),
                                        container("c1", "c1:latest", "mainport", "9000", "TCP", false)),
                                merged(defaultPlain, Labels.of("__address__", "1.2.3.4:9001"),
                                        testpod("1.2.3.4", "2.3.4.5"),
                                        container("c2", "c2:latest", "sideport", "9001", "TCP", false)))),

                new Case("pod without IP: pod labels on its endpoint, no extra-port targets",
                        podSlice("default", "testport", 9000, "TCP", true),
                        Related.of(new PodBuilder(twoContainerPod("default", null)).withNewStatus().endStatus().build()), ALL,
                        List.of(merged(podEndpointTarget(defaultPlain, "9000", "testport", "TCP", "true"),
                                testpod("", ""),
                                container("c1", "c1:latest", "mainport", "9000", "TCP", false)))),

                new Case("several addresses and ports: a target per port and address",
                        new EndpointSliceBuilder()
                                .withNewMetadata().withName("multi").withNamespace("default").endMetadata()
                                .withAddressType("IPv4")
                                .addNewPort().withName("http").withPort(80).withProtocol("TCP").endPort()
                                .addNewPort().withName("dns").withPort(53).withProtocol("UDP").endPort()
                                .addNewEndpoint().withAddresses("10.0.0.1", "10.0.0.2").endEndpoint()
                                .build(),
                        Related.of(), ALL,
                        List.of(
                                target(plainGroup("default", "multi"), "__address__", "10.0.0.1:80",
                                        "__meta_kubernetes_endpointslice_port", "80",
                                        "__meta_kubernetes_endpointslice_port_name", "http",
                                        "__meta_kubernetes_endpointslice_port_protocol", "TCP"),
                                target(plainGroup("default", "multi"), "__address__", "10.0.0.2:80",
                                        "__meta_kubernetes_endpointslice_port", "80",
                                        "__meta_kubernetes_endpointslice_port_name", "http",
                                        "__meta_kubernetes_endpointslice_port_protocol", "TCP"),
                                target(plainGroup("default", "multi"), "__address__", "10.0.0.1:53",
                                        "__meta_kubernetes_endpointslice_port", "53",
                                        "__meta_kubernetes_endpointslice_port_name", "dns",
                                        "__meta_kubernetes_endpointslice_port_protocol", "UDP"),
                                target(plainGroup("default", "multi"), "__address__", "10.0.0.2:53",
                                        "__meta_kubernetes_endpointslice_port", "53",
                                        "__meta_kubernetes_endpointslice_port_name", "dns",
                                        "__meta_kubernetes_endpointslice_port_protocol", "UDP"))),

                new Case("PreferDualStack, IPv4 primary: the IPv4 slice's target",
                        dualStackSlice("IPv4", "1.2.3.4"), Related.of(preferV4), ALL,
                        List.of(dualStackTarget("IPv4", "1.2.3.4:9000"))),
                new Case("PreferDualStack, IPv4 primary: the IPv6 slice gives no targets",
                        dualStackSlice("IPv6", "fd00::1"), Related.of(preferV4), ALL, List.of()),
                new Case("RequireDualStack, IPv4 primary: the IPv4 slice's target",
                        dualStackSlice("IPv4", "1.2.3.4"), Related.of(requireV4), ALL,
                        List.of(dualStackTarget("IPv4", "1.2.3.4:9000"))),
                new Case("RequireDualStack, IPv4 primary: the IPv6 slice gives no targets",
                        dualStackSlice("IPv6", "fd00::1"), Related.of(requireV4), ALL, List.of()),
                new Case("PreferDualStack, IPv6 primary: the IPv6 slice's target in brackets",
                        dualStackSlice("IPv6", "fd00::1"), Related.of(preferV6), ALL,
                        List.of(dualStackTarget("IPv6", "[fd00::1]:9000"))),
                new Case("PreferDualStack, IPv6 primary: the IPv4 slice gives no targets",
                        dualStackSlice("IPv4", "1.2.3.4"), Related.of(preferV6), ALL, List.of()),
                new Case("SingleStack IPv4: unaffected",
                        dualStackSlice("IPv4", "1.2.3.4"), Related.of(dualStackService("SingleStack", "IPv4")), ALL,
                        List.of(dualStackTarget("IPv4", "1.2.3.4:9000"))),
                new Case("SingleStack IPv6: unaffected",
                        dualStackSlice("IPv6", "fd00::1"), Related.of(dualStackService("SingleStack", "IPv6")), ALL,
                        List.of(dualStackTarget("IPv6", "[fd00::1]:9000"))),

                // Caravan's own: one agent per node takes the endpoints of its node only
                new Case("Caravan node-local (node-a): endpoints on node-a by nodeName or Node ref, extra ports of kept pods only",
                        nodeLocalSlice(), nodeLocalPods(), new RoleOptions("node-a", false),
                        nodeLocalTargets(false)),

                new Case("Caravan node-local off: the same endpoints on every node",
                        nodeLocalSlice(), nodeLocalPods(), ALL,
                        nodeLocalTargets(true)),

                new Case("Caravan node-local (foobar): the four-endpoint slice's endpoint with that nodeName",
                        fourEndpointSlice("default"), Related.of(), new RoleOptions("foobar", false),
                        fourEndpointTargets(group("default"), 1, Labels.EMPTY, Labels.EMPTY)),

                new Case("Caravan node-local goes by nodeName first, then a Node target ref (RoleOptions' contract)",
                        new EndpointSliceBuilder()
                                .withNewMetadata().withName("web").withNamespace("shop").endMetadata()
                                .withAddressType("IPv4")
                                .addNewPort().withName("http").withPort(8080).withProtocol("TCP").endPort()
                                .addNewEndpoint().withAddresses("10.1.0.6").withNodeName("node-a")
                                .withNewTargetRef().withKind("Node").withName("node-b").endTargetRef().endEndpoint()
                                .addNewEndpoint().withAddresses("10.1.0.7").withNodeName("node-b")
                                .withNewTargetRef().withKind("Node").withName("node-a").endTargetRef().endEndpoint()
                                .build(),
                        Related.of(), new RoleOptions("node-a", false),
                        List.of(merged(plainGroup("shop", "web"), Labels.of(
                                "__address__", "10.1.0.6:8080",
                                "__meta_kubernetes_endpointslice_port", "8080",
                                "__meta_kubernetes_endpointslice_port_name", "http",
                                "__meta_kubernetes_endpointslice_port_protocol", "TCP",
                                "__meta_kubernetes_endpointslice_endpoint_node_name", "node-a",
                                "__meta_kubernetes_endpointslice_address_target_kind", "Node",
                                "__meta_kubernetes_endpointslice_address_target_name", "node-b")))));
    }

    /**
     * Slice "web" in "shop", port "http" 8080: 10.1.0.1 pod web-a on node-a; 10.1.0.2 pod web-b on node-b;
     * 10.1.0.3 a Node target ref node-a without nodeName; 10.1.0.4 on no node; 10.1.0.5 not ready on node-a.
     */
    static EndpointSlice nodeLocalSlice() {
        return new EndpointSliceBuilder()
                .withNewMetadata().withName("web").withNamespace("shop").endMetadata()
                .withAddressType("IPv4")
                .addNewPort().withName("http").withPort(8080).withProtocol("TCP").endPort()
                .addNewEndpoint().withAddresses("10.1.0.1").withNodeName("node-a")
                .withNewTargetRef().withKind("Pod").withName("web-a").withNamespace("shop").endTargetRef().endEndpoint()
                .addNewEndpoint().withAddresses("10.1.0.2").withNodeName("node-b")
                .withNewTargetRef().withKind("Pod").withName("web-b").withNamespace("shop").endTargetRef().endEndpoint()
                .addNewEndpoint().withAddresses("10.1.0.3")
                .withNewTargetRef().withKind("Node").withName("node-a").endTargetRef().endEndpoint()
                .addNewEndpoint().withAddresses("10.1.0.4").endEndpoint()
                .addNewEndpoint().withAddresses("10.1.0.5").withNodeName("node-a")
                .withNewConditions().withReady(false).endConditions().endEndpoint()
                .build();
    }

    static Related nodeLocalPods() {
        return EndpointsTargetsTest.nodeLocalPods();
    }

    static List<Labels> nodeLocalTargets(boolean allNodes) {
        Labels g = plainGroup("shop", "web");
        Labels http = Labels.of(
                "__meta_kubernetes_endpointslice_port", "8080",
                "__meta_kubernetes_endpointslice_port_name", "http",
                "__meta_kubernetes_endpointslice_port_protocol", "TCP");
        List<Labels> nodeA = List.of(
                merged(g, http, Labels.of("__address__", "10.1.0.1:8080",
                                "__meta_kubernetes_endpointslice_endpoint_node_name", "node-a",
                                "__meta_kubernetes_endpointslice_address_target_kind", "Pod",
                                "__meta_kubernetes_endpointslice_address_target_name", "web-a"),
                        EndpointsTargetsTest.webPodLabels("web-a", "node-a", "10.1.0.1"),
                        container("app", "web:1", "http", "8080", "TCP", false)),
                merged(g, Labels.of("__address__", "10.1.0.1:9090"),
                        EndpointsTargetsTest.webPodLabels("web-a", "node-a", "10.1.0.1"),
                        container("app", "web:1", "metrics", "9090", "TCP", false)),
                merged(g, http, Labels.of("__address__", "10.1.0.3:8080",
                        "__meta_kubernetes_endpointslice_address_target_kind", "Node",
                        "__meta_kubernetes_endpointslice_address_target_name", "node-a")),
                merged(g, http, Labels.of("__address__", "10.1.0.5:8080",
                        "__meta_kubernetes_endpointslice_endpoint_conditions_ready", "false",
                        "__meta_kubernetes_endpointslice_endpoint_node_name", "node-a")));
        if (!allNodes) {
            return nodeA;
        }
        return Stream.concat(nodeA.stream(), Stream.of(
                merged(g, http, Labels.of("__address__", "10.1.0.2:8080",
                                "__meta_kubernetes_endpointslice_endpoint_node_name", "node-b",
                                "__meta_kubernetes_endpointslice_address_target_kind", "Pod",
                                "__meta_kubernetes_endpointslice_address_target_name", "web-b"),
                        EndpointsTargetsTest.webPodLabels("web-b", "node-b", "10.1.0.2"),
                        container("app", "web:1", "http", "8080", "TCP", false)),
                merged(g, Labels.of("__address__", "10.1.0.2:9090"),
                        EndpointsTargetsTest.webPodLabels("web-b", "node-b", "10.1.0.2"),
                        container("app", "web:1", "metrics", "9090", "TCP", false)),
                merged(g, http, Labels.of("__address__", "10.1.0.4:8080")))).toList();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void targetsAsPrometheusBuildsThem(Case c) {
        assertThat(sortedLabels(EndpointSliceTargets.of(c.slice, c.related, c.options))).isEqualTo(sorted(c.expected));
    }
}

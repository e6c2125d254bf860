package io.caravan.discovery;

import io.caravan.model.Labels;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.stream.Stream;

import static io.caravan.discovery.Related.sorted;
import static io.caravan.discovery.Related.sortedLabels;
import static io.caravan.discovery.Related.target;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * role: service, table-driven like Prometheus' discovery/kubernetes/service_test.go: each case is a service and the
 * full label set of every target Prometheus makes of it (its group labels overlaid by the target's own).
 */
class ServiceTargetsTest {

    record Case(String name, Service service, List<Labels> expected) {
        @Override
        public String toString() {
            return name;
        }
    }

    /** One TCP port "testport" 30900, type ClusterIP 10.0.0.1, no labels. */
    static Service clusterIpService(String namespace) {
        return new ServiceBuilder()
                .withNewMetadata().withName("testservice").withNamespace(namespace).endMetadata()
                .withNewSpec()
                .addNewPort().withName("testport").withProtocol("TCP").withPort(30900).endPort()
                .withType("ClusterIP").withClusterIP("10.0.0.1")
                .endSpec()
                .build();
    }

    /** Two named ports (TCP 30900, UDP 30901), a label and an annotation. */
    static Service twoPortServiceWithMetadata() {
        return new ServiceBuilder()
                .withNewMetadata().withName("testservice").withNamespace("default")
                .addToLabels("test-label", "testvalue")
                .addToAnnotations("test-annotation", "testannotationvalue")
                .endMetadata()
                .withNewSpec()
                .addNewPort().withName("testport0").withProtocol("TCP").withPort(30900).endPort()
                .addNewPort().withName("testport1").withProtocol("UDP").withPort(30901).endPort()
                .withType("ClusterIP").withClusterIP("10.0.0.1")
                .endSpec()
                .build();
    }

    static Service externalNameService() {
        return new ServiceBuilder()
                .withNewMetadata().withName("testservice-external").withNamespace("default").endMetadata()
                .withNewSpec()
                .addNewPort().withName("testport").withProtocol("TCP").withPort(31900).endPort()
                .withType("ExternalName").withExternalName("FooExternalName")
                .endSpec()
                .build();
    }

    /** A LoadBalancer service whose only address is the deprecated spec.loadBalancerIP. */
    static Service loadBalancerWithSpecIp() {
        return new ServiceBuilder()
                .withNewMetadata().withName("testservice-loadbalancer").withNamespace("default").endMetadata()
                .withNewSpec()
                .addNewPort().withName("testport").withProtocol("TCP").withPort(31900).endPort()
                .withType("LoadBalancer").withLoadBalancerIP("127.0.0.1").withClusterIP("10.0.0.1")
                .endSpec()
                .build();
    }

    /** A LoadBalancer service whose status lists an IPv4 and an IPv6 ingress address. */
    static Service loadBalancerWithStatusIps() {
        return new ServiceBuilder()
                .withNewMetadata().withName("testservice-lb-ingress").withNamespace("default").endMetadata()
                .withNewSpec()
                .addNewPort().withName("testport").withProtocol("TCP").withPort(31900).endPort()
                .withType("LoadBalancer").withClusterIP("10.0.0.1")
                .endSpec()
                .withNewStatus().withNewLoadBalancer()
                .addNewIngress().withIp("192.168.1.15").endIngress()
                .addNewIngress().withIp("2001:db8::1").endIngress()
                .endLoadBalancer().endStatus()
                .build();
    }

    static Labels group(String namespace, String name) {
        return Labels.of("__meta_kubernetes_namespace", namespace, "__meta_kubernetes_service_name", name);
    }

    static Stream<Case> cases() {
        Labels defaultGroup = group("default", "testservice");
        return Stream.of(
                new Case("ClusterIP service, one named port", clusterIpService("default"), List.of(
                        target(defaultGroup,
                                "__address__", "testservice.default.svc:30900",
                                "__meta_kubernetes_service_port_name", "testport",
                                "__meta_kubernetes_service_port_number", "30900",
                                "__meta_kubernetes_service_port_protocol", "TCP",
                                "__meta_kubernetes_service_type", "ClusterIP",
                                "__meta_kubernetes_service_cluster_ip", "10.0.0.1"))),

                new Case("the address names the service's own namespace", clusterIpService("ns2"), List.of(
                        target(group("ns2", "testservice"),
                                "__address__", "testservice.ns2.svc:30900",
                                "__meta_kubernetes_service_port_name", "testport",
                                "__meta_kubernetes_service_port_number", "30900",
                                "__meta_kubernetes_service_port_protocol", "TCP",
                                "__meta_kubernetes_service_type", "ClusterIP",
                                "__meta_kubernetes_service_cluster_ip", "10.0.0.1"))),

                new Case("ExternalName service: external_name instead of cluster_ip", externalNameService(), List.of(
                        target(group("default", "testservice-external"),
                                "__address__", "testservice-external.default.svc:31900",
                                "__meta_kubernetes_service_port_name", "testport",
                                "__meta_kubernetes_service_port_number", "31900",
                                "__meta_kubernetes_service_port_protocol", "TCP",
                                "__meta_kubernetes_service_type", "ExternalName",
                                "__meta_kubernetes_service_external_name", "FooExternalName"))),

                new Case("ExternalName service with a cluster IP set still has no cluster_ip label",
                        new ServiceBuilder(externalNameService()).editSpec().withClusterIP("10.0.0.9").endSpec().build(),
                        List.of(target(group("default", "testservice-external"),
                                "__address__", "testservice-external.default.svc:31900",
                                "__meta_kubernetes_service_port_name", "testport",
                                "__meta_kubernetes_service_port_number", "31900",
                                "__meta_kubernetes_service_port_protocol", "TCP",
                                "__meta_kubernetes_service_type", "ExternalName",
                                "__meta_kubernetes_service_external_name", "FooExternalName"))),

                new Case("LoadBalancer service: spec.loadBalancerIP without status addresses", loadBalancerWithSpecIp(), List.of(
                        target(group("default", "testservice-loadbalancer"),
                                "__address__", "testservice-loadbalancer.default.svc:31900",
                                "__meta_kubernetes_service_port_name", "testport",
                                "__meta_kubernetes_service_port_number", "31900",
                                "__meta_kubernetes_service_port_protocol", "TCP",
                                "__meta_kubernetes_service_type", "LoadBalancer",
                                "__meta_kubernetes_service_cluster_ip", "10.0.0.1",
                                "__meta_kubernetes_service_loadbalancer_ip", "127.0.0.1"))),

                new Case("LoadBalancer service: status ingress IPs joined by commas", loadBalancerWithStatusIps(), List.of(
                        target(group("default", "testservice-lb-ingress"),
                                "__address__", "testservice-lb-ingress.default.svc:31900",
                                "__meta_kubernetes_service_port_name", "testport",
                                "__meta_kubernetes_service_port_number", "31900",
                                "__meta_kubernetes_service_port_protocol", "TCP",
                                "__meta_kubernetes_service_type", "LoadBalancer",
                                "__meta_kubernetes_service_cluster_ip", "10.0.0.1",
                                "__meta_kubernetes_service_loadbalancer_ip", "192.168.1.15,2001:db8::1"))),

                new Case("LoadBalancer service: status IPs win over spec.loadBalancerIP",
                        new ServiceBuilder(loadBalancerWithStatusIps()).editSpec().withLoadBalancerIP("127.0.0.1").endSpec().build(),
                        List.of(target(group("default", "testservice-lb-ingress"),
                                "__address__", "testservice-lb-ingress.default.svc:31900",
                                "__meta_kubernetes_service_port_name", "testport",
                                "__meta_kubernetes_service_port_number", "31900",
                                "__meta_kubernetes_service_port_protocol", "TCP",
                                "__meta_kubernetes_service_type", "LoadBalancer",
                                "__meta_kubernetes_service_cluster_ip", "10.0.0.1",
                                "__meta_kubernetes_service_loadbalancer_ip", "192.168.1.15,2001:db8::1"))),

                new Case("LoadBalancer service: a hostname-only status entry falls back to spec.loadBalancerIP",
                        new ServiceBuilder(loadBalancerWithSpecIp()).withNewStatus().withNewLoadBalancer()
                                .addNewIngress().withHostname("lb.example.com").endIngress()
                                .endLoadBalancer().endStatus().build(),
                        List.of(target(group("default", "testservice-loadbalancer"),
                                "__address__", "testservice-loadbalancer.default.svc:31900",
                                "__meta_kubernetes_service_port_name", "testport",
                                "__meta_kubernetes_service_port_number", "31900",
                                "__meta_kubernetes_service_port_protocol", "TCP",
                                "__meta_kubernetes_service_type", "LoadBalancer",
                                "__meta_kubernetes_service_cluster_ip", "10.0.0.1",
                                "__meta_kubernetes_service_loadbalancer_ip", "127.0.0.1"))),

                new Case("LoadBalancer service with no address yet: no loadbalancer_ip label",
                        new ServiceBuilder(loadBalancerWithSpecIp()).editSpec().withLoadBalancerIP(null).endSpec().build(),
                        List.of(target(group("default", "testservice-loadbalancer"),
                                "__address__", "testservice-loadbalancer.default.svc:31900",
                                "__meta_kubernetes_service_port_name", "testport",
                                "__meta_kubernetes_service_port_number", "31900",
                                "__meta_kubernetes_service_port_protocol", "TCP",
                                "__meta_kubernetes_service_type", "LoadBalancer",
                                "__meta_kubernetes_service_cluster_ip", "10.0.0.1"))),

                new Case("ClusterIP service ignores spec.loadBalancerIP",
                        new ServiceBuilder(clusterIpService("default")).editSpec().withLoadBalancerIP("127.0.0.1").endSpec().build(),
                        List.of(target(defaultGroup,
                                "__address__", "testservice.default.svc:30900",
                                "__meta_kubernetes_service_port_name", "testport",
                                "__meta_kubernetes_service_port_number", "30900",
                                "__meta_kubernetes_service_port_protocol", "TCP",
                                "__meta_kubernetes_service_type", "ClusterIP",
                                "__meta_kubernetes_service_cluster_ip", "10.0.0.1"))),

                new Case("two ports, labels and annotations with their present labels", twoPortServiceWithMetadata(), List.of(
                        target(target(defaultGroup,
                                        "__meta_kubernetes_service_label_test_label", "testvalue",
                                        "__meta_kubernetes_service_labelpresent_test_label", "true",
                                        "__meta_kubernetes_service_annotation_test_annotation", "testannotationvalue",
                                        "__meta_kubernetes_service_annotationpresent_test_annotation", "true"),
                                "__address__", "testservice.default.svc:30900",
                                "__meta_kubernetes_service_port_name", "testport0",
                                "__meta_kubernetes_service_port_number", "30900",
                                "__meta_kubernetes_service_port_protocol", "TCP",
                                "__meta_kubernetes_service_type", "ClusterIP",
                                "__meta_kubernetes_service_cluster_ip", "10.0.0.1"),
                        target(target(defaultGroup,
                                        "__meta_kubernetes_service_label_test_label", "testvalue",
                                        "__meta_kubernetes_service_labelpresent_test_label", "true",
                                        "__meta_kubernetes_service_annotation_test_annotation", "testannotationvalue",
                                        "__meta_kubernetes_service_annotationpresent_test_annotation", "true"),
                                "__address__", "testservice.default.svc:30901",
                                "__meta_kubernetes_service_port_name", "testport1",
                                "__meta_kubernetes_service_port_number", "30901",
                                "__meta_kubernetes_service_port_protocol", "UDP",
                                "__meta_kubernetes_service_type", "ClusterIP",
                                "__meta_kubernetes_service_cluster_ip", "10.0.0.1"))),

                new Case("unnamed port: no port_name; an empty label value only marks presence",
                        new ServiceBuilder()
                                .withNewMetadata().withName("web").withNamespace("shop")
                                .addToLabels("app.kubernetes.io/name", "web").addToLabels("tier", "")
                                .endMetadata()
                                .withNewSpec()
                                .addNewPort().withProtocol("TCP").withPort(80).endPort()
                                .withType("ClusterIP").withClusterIP("10.96.0.20")
                                .endSpec()
                                .build(),
                        List.of(Labels.of(
                                "__address__", "web.shop.svc:80",
                                "__meta_kubernetes_namespace", "shop",
                                "__meta_kubernetes_service_name", "web",
                                "__meta_kubernetes_service_label_app_kubernetes_io_name", "web",
                                "__meta_kubernetes_service_labelpresent_app_kubernetes_io_name", "true",
                                "__meta_kubernetes_service_labelpresent_tier", "true",
                                "__meta_kubernetes_service_port_number", "80",
                                "__meta_kubernetes_service_port_protocol", "TCP",
                                "__meta_kubernetes_service_type", "ClusterIP",
                                "__meta_kubernetes_service_cluster_ip", "10.96.0.20"))),

                new Case("headless service: cluster_ip \"None\" as the API gives it",
                        new ServiceBuilder(clusterIpService("default")).editSpec().withClusterIP("None").endSpec().build(),
                        List.of(target(defaultGroup,
                                "__address__", "testservice.default.svc:30900",
                                "__meta_kubernetes_service_port_name", "testport",
                                "__meta_kubernetes_service_port_number", "30900",
                                "__meta_kubernetes_service_port_protocol", "TCP",
                                "__meta_kubernetes_service_type", "ClusterIP",
                                "__meta_kubernetes_service_cluster_ip", "None"))),

                new Case("service without ports: no targets",
                        new ServiceBuilder(clusterIpService("default")).editSpec().withPorts().endSpec().build(),
                        List.of()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void targetsAsPrometheusBuildsThem(Case c) {
        assertThat(sortedLabels(ServiceTargets.of(c.service))).isEqualTo(sorted(c.expected));
    }
}

package io.caravan.discovery;

import io.caravan.model.Target;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.ContainerPortBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The seed's pipelines from discovery to scrape targets: a two-node cluster in fabric8's mock API server
 * (with field selectors honoured), the agent of worker-1 discovering with nodeName=worker-1, and the shipped
 * rule files (src/main/resources/rules) applied by the relabel component, as the routes do.
 */
class SeedTargetsTest {

    private MockCluster cluster;
    private DefaultCamelContext camel;
    private final Map<String, List<Target>> latest = new ConcurrentHashMap<>();

    @BeforeEach
    void cluster() {
        cluster = new MockCluster();
        for (String node : List.of("worker-1", "worker-2")) {
            int n = node.endsWith("1") ? 1 : 2;
            cluster.client.resource(node(node, "192.168.10.1" + n)).create();
            cluster.client.resource(pod("kube-system", "coredns-" + n, node, "10.42." + n + ".2", "Running", "coredns",
                    Map.of("k8s-app", "kube-dns"), Map.of(), port("dns", 53, "UDP"), port("dns-tcp", 53, "TCP"), port("metrics", 9153, "TCP"))).create();
            cluster.client.resource(pod("shop", "checkout-" + n, node, "10.42." + n + ".3", "Running", "checkout",
                    Map.of("app.kubernetes.io/name", "checkout"),
                    Map.of("prometheus.io/scrape", "true", "prometheus.io/port", "8080", "prometheus.io/path", "/prom"),
                    port("http", 8080, "TCP"))).create();
            cluster.client.resource(pod("db", "pg-main-" + n, node, "10.42." + n + ".4", "Running", "postgres",
                    Map.of("cnpg.io/cluster", "pg-main"), Map.of(), port("postgresql", 5432, "TCP"), port("metrics", 9187, "TCP"))).create();
            cluster.client.resource(pod("batch", "report-" + n, node, "10.42." + n + ".5", "Succeeded", "report",
                    Map.of(), Map.of())).create();
            cluster.client.resource(pod("shop", "pending-" + n, node, null, "Pending", "web", Map.of(), Map.of())).create();
        }
    }

    @AfterEach
    void stop() {
        if (camel != null) {
            camel.stop();
        }
        cluster.close();
    }

    private void start(String... pipelines) throws Exception {
        camel = new DefaultCamelContext();
        camel.getRegistry().bind("kubernetesClient", cluster.client);
        camel.getPropertiesComponent().addInitialProperty("NODE_NAME", "worker-1");
        camel.getPropertiesComponent().addInitialProperty(io.caravan.component.CaravanComponent.DATA_DIR_PROPERTY,
                java.nio.file.Files.createTempDirectory("discovery-data").toString());
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                for (String p : pipelines) {
                    String role = Set.of("kubelet", "cadvisor", "apiserver", "etcd").contains(p) ? "node" : "pod";
                    from("k8s-discovery:" + role + "?nodeName={{NODE_NAME}}&debounce=100ms").routeId(p)
                            .to("relabel:" + p + "?rules=classpath:rules/" + p + ".yaml")
                            .process(e -> latest.put(p, e.getMessage().getMandatoryBody(List.class)));
                }
            }
        });
        camel.start();
    }

    private List<Target> await(String pipeline, Predicate<List<Target>> ready) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 10_000;
        while (System.currentTimeMillis() < deadline) {
            List<Target> l = latest.get(pipeline);
            if (l != null && ready.test(l)) {
                return l;
            }
            Thread.sleep(50);
        }
        throw new AssertionError(pipeline + " never reached the expected targets; last: " + latest.get(pipeline));
    }

    private static Set<String> values(List<Target> targets, String label) {
        Set<String> out = new TreeSet<>();
        targets.forEach(t -> out.add(t.labels().getOrEmpty(label)));
        return out;
    }

    @Test
    void podLogsFollowRunningContainersOfThisNodeOnly() throws Exception {
        start("pod-logs");
        List<Target> t = await("pod-logs", l -> l.size() >= 3);
        assertThat(values(t, "pod")).containsExactly("checkout-1", "coredns-1", "pg-main-1");
        assertThat(values(t, "node")).containsExactly("worker-1");
        assertThat(t).filteredOn(x -> x.labels().getOrEmpty("pod").equals("checkout-1"))
                .allSatisfy(x -> {
                    assertThat(x.labels().get("namespace")).isEqualTo("shop");
                    assertThat(x.labels().get("container")).isEqualTo("checkout");
                    assertThat(x.labels().get("app")).isEqualTo("checkout");
                });
    }

    @Test
    void annotatedPodsBecomeOneTargetEachWithTheirPortAndPath() throws Exception {
        start("pod-metrics");
        List<Target> t = await("pod-metrics", l -> !l.isEmpty());
        assertThat(values(t, "__address__")).containsExactly("10.42.1.3:8080");
        assertThat(values(t, "__metrics_path__")).containsExactly("/prom");
        assertThat(values(t, "namespace")).containsExactly("shop");
        assertThat(values(t, "pod")).containsExactly("checkout-1");
    }

    @Test
    void coreDnsAndCnpgAreFoundByLabelsOnThisNode() throws Exception {
        start("coredns", "cnpg");
        List<Target> dns = await("coredns", l -> !l.isEmpty());
        // three declared ports, one address: the scrape job keeps one target per distinct URL and label set
        assertThat(values(dns, "__address__")).containsExactly("10.42.1.2:9153");
        assertThat(values(dns, "pod")).containsExactly("coredns-1");
        assertThat(values(dns, "node")).containsExactly("worker-1");
        List<Target> pg = await("cnpg", l -> !l.isEmpty());
        assertThat(values(pg, "__address__")).containsExactly("10.42.1.4:9187");
        assertThat(values(pg, "cluster_name")).containsExactly("pg-main");
        assertThat(values(pg, "namespace")).containsExactly("db");
    }

    @Test
    void nodeTargetsAreThisNodesKubeletCadvisorApiserverAndEtcd() throws Exception {
        start("kubelet", "cadvisor", "apiserver", "etcd");
        List<Target> kubelet = await("kubelet", l -> !l.isEmpty());
        assertThat(kubelet).hasSize(1);
        assertThat(kubelet.get(0).labels().get("__address__")).isEqualTo("192.168.10.11:10250");
        assertThat(kubelet.get(0).labels().get("__metrics_path__")).isEqualTo("/metrics");
        assertThat(kubelet.get(0).labels().get("node")).isEqualTo("worker-1");
        assertThat(await("cadvisor", l -> !l.isEmpty()).get(0).labels().get("__metrics_path__")).isEqualTo("/metrics/cadvisor");
        assertThat(values(await("apiserver", l -> !l.isEmpty()), "__address__")).containsExactly("192.168.10.11:6443");
        assertThat(values(await("etcd", l -> !l.isEmpty()), "__address__")).containsExactly("192.168.10.11:2381");
    }

    @Test
    void aPodThatStartsRunningOnThisNodeJoinsAndOneThatGoesAwayLeaves() throws Exception {
        start("pod-logs");
        await("pod-logs", l -> values(l, "pod").size() == 3);
        Pod running = new PodBuilder(cluster.client.pods().inNamespace("shop").withName("pending-1").get())
                .editStatus().withPhase("Running").withPodIP("10.42.1.9").endStatus().build();
        cluster.client.resource(running).update();
        await("pod-logs", l -> values(l, "pod").contains("pending-1"));
        cluster.client.pods().inNamespace("shop").withName("checkout-1").delete();
        List<Target> after = await("pod-logs", l -> !values(l, "pod").contains("checkout-1"));
        assertThat(values(after, "pod")).containsExactly("coredns-1", "pending-1", "pg-main-1");
    }

    static ContainerPort port(String name, int number, String protocol) {
        return new ContainerPortBuilder().withName(name).withContainerPort(number).withProtocol(protocol).build();
    }

    static Pod pod(String ns, String name, String node, String ip, String phase, String container,
                   Map<String, String> labels, Map<String, String> annotations, ContainerPort... ports) {
        return new PodBuilder()
                .withNewMetadata().withNamespace(ns).withName(name).withUid(name + "-uid").withLabels(labels).withAnnotations(annotations).endMetadata()
                .withNewSpec().withNodeName(node)
                .addNewContainer().withName(container).withImage("registry.example/" + container + ":1").withPorts(ports).endContainer()
                .endSpec()
                .withNewStatus().withPhase(phase).withPodIP(ip).withHostIP("192.168.10.1").endStatus()
                .build();
    }

    static Node node(String name, String internalIp) {
        return new NodeBuilder()
                .withNewMetadata().withName(name).withLabels(Map.of("kubernetes.io/hostname", name)).endMetadata()
                .withNewSpec().withProviderID("rke2://" + name).endSpec()
                .withNewStatus()
                .addNewAddress().withType("InternalIP").withAddress(internalIp).endAddress()
                .addNewAddress().withType("Hostname").withAddress(name).endAddress()
                .withNewDaemonEndpoints().withNewKubeletEndpoint().withPort(10250).endKubeletEndpoint().endDaemonEndpoints()
                .endStatus()
                .build();
    }
}

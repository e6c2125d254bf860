package io.caravan.e2e;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.caravan.CaravanApplication;
import io.caravan.discovery.MockCluster;
import io.caravan.testing.LocalTls;
import io.caravan.testing.PrometheusServer;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The seed's metrics pipelines with the shipped routes and rules, end to end: a mock API server of one node
 * (its InternalIP 127.0.0.1) with CoreDNS, CNPG and annotated pods on loopback addresses; local servers stand
 * in for kubelet and cAdvisor (HTTPS, bearer token, CA), the apiserver (:6443 HTTPS), etcd (:2381 HTTP),
 * CoreDNS (:9153), CNPG (:9187) and the annotated app; the real Prometheus receives. Each series arrives with
 * exactly the seed's labels.
 */
// each agent stops with its class, while the suite goes on: not all together at the JVM's exit, against peers closed long before
@DirtiesContext
@SpringBootTest(classes = CaravanApplication.class, webEnvironment = SpringBootTest.WebEnvironment.DEFINED_PORT)
class SeedMetricsEndToEndTest {

    static final String TOKEN = "e2e-service-account-token";
    static PrometheusServer prometheus;
    static int agentPort;
    static MockCluster cluster;
    static final List<HttpServer> servers = new ArrayList<>();

    static void serve(HttpServer s, String path, String body, boolean needsToken) {
        s.createContext(path, (HttpExchange ex) -> {
            try {
                if (needsToken && !("Bearer " + TOKEN).equals(ex.getRequestHeaders().getFirst("Authorization"))) {
                    ex.sendResponseHeaders(401, -1);
                    return;
                }
                byte[] b = body.getBytes(StandardCharsets.UTF_8);
                ex.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4");
                ex.sendResponseHeaders(200, b.length);
                ex.getResponseBody().write(b);
            } finally {
                ex.close();
            }
        });
        s.start();
        servers.add(s);
    }

    static InetSocketAddress at(String ip, int port) throws IOException {
        return new InetSocketAddress(InetAddress.getByName(ip), port);
    }

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) throws Exception {
        Path dir = Files.createTempDirectory("caravan-seed-e2e");
        Path token = dir.resolve("token");
        Files.writeString(token, TOKEN);
        LocalTls tls = new LocalTls(dir);

        HttpServer kubelet = tls.server(at("127.0.0.1", 0));
        kubelet.createContext("/metrics/cadvisor", ex -> {
            byte[] b = "container_cpu_usage_seconds_total{container=\"app\",namespace=\"shop\",pod=\"checkout-1\"} 12.5\n".getBytes();
            ex.sendResponseHeaders(200, b.length);
            ex.getResponseBody().write(b);
            ex.close();
        });
        serve(kubelet, "/metrics", "kubelet_running_pods 3\n", true);
        serve(tls.server(at("127.0.0.1", 6443)), "/metrics", "apiserver_request_total{verb=\"GET\",code=\"200\"} 42\n", true);
        serve(HttpServer.create(at("127.0.0.1", 2381), 0), "/metrics", "etcd_server_has_leader 1\n", false);
        serve(HttpServer.create(at("127.0.0.2", 9153), 0), "/metrics", "coredns_dns_requests_total{server=\"dns://:53\"} 7\n", false);
        serve(HttpServer.create(at("127.0.0.3", 9187), 0), "/metrics", "cnpg_collector_up{datname=\"app\"} 1\n", false);
        HttpServer app = HttpServer.create(at("127.0.0.4", 0), 0);
        serve(app, "/prom", "checkout_orders_total 5\n", false);

        cluster = new MockCluster();
        cluster.client.resource(new NodeBuilder().withNewMetadata().withName("worker-1").endMetadata()
                .withNewStatus().addNewAddress().withType("InternalIP").withAddress("127.0.0.1").endAddress()
                .withNewDaemonEndpoints().withNewKubeletEndpoint().withPort(kubelet.getAddress().getPort()).endKubeletEndpoint().endDaemonEndpoints()
                .endStatus().build()).create();
        cluster.client.resource(pod("kube-system", "coredns-1", "127.0.0.2", "coredns", Map.of("k8s-app", "kube-dns"), Map.of())).create();
        cluster.client.resource(pod("db", "pg-1", "127.0.0.3", "postgres", Map.of("cnpg.io/cluster", "pg-main"), Map.of())).create();
        cluster.client.resource(pod("shop", "checkout-1", "127.0.0.4", "checkout", Map.of(), Map.of("prometheus.io/scrape", "true",
                "prometheus.io/port", Integer.toString(app.getAddress().getPort()), "prometheus.io/path", "/prom"))).create();
        System.setProperty("kubernetes.master", cluster.server.url("/"));
        System.setProperty("kubernetes.auth.tryKubeConfig", "false");
        System.setProperty("kubernetes.auth.tryServiceAccount", "false");
        System.setProperty("kubernetes.namespace", "default");

        prometheus = PrometheusServer.start();
        agentPort = PrometheusServer.freePort();
        registry.add("CARAVAN_HTTP_PORT", () -> agentPort);
        registry.add("camel.main.routes-include-pattern", () -> "classpath:routes/templates.yaml,classpath:routes/sinks.yaml,classpath:routes/kubelet.yaml,"
                + "classpath:routes/cadvisor.yaml,classpath:routes/apiserver.yaml,classpath:routes/etcd.yaml,"
                + "classpath:routes/coredns.yaml,classpath:routes/cnpg.yaml,classpath:routes/pod-metrics.yaml");
        registry.add("NODE_NAME", () -> "worker-1");
        registry.add("DC_LABEL", () -> "e2e-dc");
        registry.add("MIMIR_WRITE_URL", prometheus::remoteWriteUrl);
        registry.add("SCRAPE_INTERVAL", () -> "2s");
        registry.add("SCRAPE_TIMEOUT", () -> "1s");
        registry.add("KUBERNETES_TOKEN_FILE", token::toString);
        registry.add("KUBERNETES_CA_FILE", () -> tls.caFile().toString());
        registry.add("CARAVAN_DATA_DIR", () -> dir.resolve("data").toString());
    }

    @AfterAll
    static void stop() throws Exception {
        servers.forEach(s -> s.stop(0));
        cluster.close();
        prometheus.close();
        for (String p : List.of("kubernetes.master", "kubernetes.auth.tryKubeConfig", "kubernetes.auth.tryServiceAccount", "kubernetes.namespace")) {
            System.clearProperty(p);
        }
    }

    static Pod pod(String ns, String name, String ip, String container, Map<String, String> labels, Map<String, String> annotations) {
        return new PodBuilder()
                .withNewMetadata().withNamespace(ns).withName(name).withLabels(labels).withAnnotations(annotations).endMetadata()
                .withNewSpec().withNodeName("worker-1").addNewContainer().withName(container).withImage("x").endContainer().endSpec()
                .withNewStatus().withPhase("Running").withPodIP(ip).endStatus()
                .build();
    }

    private static void arrives(String series) throws Exception {
        long deadline = System.currentTimeMillis() + 45_000;
        while (System.currentTimeMillis() < deadline) {
            if (prometheus.query(series).size() == 1) {
                return;
            }
            Thread.sleep(250);
        }
        String targets = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create("http://127.0.0.1:" + agentPort + "/api/v1/targets")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString()).body();
        throw new AssertionError(series + " did not arrive exactly once; got " + prometheus.query(series) + "\nagent targets: " + targets);
    }

    @Test
    void everyPipelinesSeriesArrivesWithTheSeedsLabels() throws Exception {
        String common = "cluster=\"conveyor-platform\",dc=\"e2e-dc\"";
        // node-role targets carry instance = the node name, as kubernetes_sd sets it
        arrives("kubelet_running_pods{job=\"kubelet\",instance=\"worker-1\",node=\"worker-1\"," + common + "}");
        arrives("container_cpu_usage_seconds_total{job=\"cadvisor\",node=\"worker-1\",namespace=\"shop\",pod=\"checkout-1\"," + common + "}");
        arrives("apiserver_request_total{job=\"apiserver\",instance=\"worker-1\",node=\"worker-1\",verb=\"GET\"," + common + "}");
        arrives("etcd_server_has_leader{job=\"etcd\",instance=\"worker-1\",node=\"worker-1\"," + common + "}");
        arrives("coredns_dns_requests_total{job=\"coredns\",instance=\"127.0.0.2:9153\",pod=\"coredns-1\",node=\"worker-1\"," + common + "}");
        arrives("cnpg_collector_up{job=\"cnpg_metrics\",instance=\"127.0.0.3:9187\",namespace=\"db\",pod=\"pg-1\",cluster_name=\"pg-main\"," + common + "}");
        arrives("checkout_orders_total{job=\"pod_metrics\",namespace=\"shop\",pod=\"checkout-1\"," + common + "}");
        for (String job : List.of("kubelet", "cadvisor", "apiserver", "etcd", "coredns", "cnpg_metrics", "pod_metrics")) {
            arrives("up{job=\"" + job + "\"}"); // in another shard's request than the series above, maybe later
            assertThat(prometheus.scalar("up{job=\"" + job + "\"}")).as("up of %s", job).isEqualTo(1);
        }
    }
}

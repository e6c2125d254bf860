package io.caravan.e2e;

import io.caravan.CaravanApplication;
import io.caravan.discovery.MockCluster;
import io.caravan.loki.testing.LokiReceiver;
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

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The logs path end to end with the shipped routes: the audit log tailed, processed (json, labels, drop)
 * and pushed to Loki; the pod logs of this node's running containers discovered through a mock API server,
 * read from kubelet-style CRI files, processed and dual-written to two Loki receivers.
 */
// each agent stops with its class, while the suite goes on: not all together at the JVM's exit, against peers closed long before
@DirtiesContext
@SpringBootTest(classes = CaravanApplication.class, webEnvironment = SpringBootTest.WebEnvironment.DEFINED_PORT)
class LogsPathEndToEndTest {

    static Path dir;
    static MockCluster cluster;
    static LokiReceiver local;
    static LokiReceiver remote;
    static int port;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) throws Exception {
        dir = Files.createTempDirectory("caravan-logs-e2e");
        Path audit = dir.resolve("kube-audit/audit.log");
        Files.createDirectories(audit.getParent());
        Files.copy(Path.of(LogsPathEndToEndTest.class.getResource("/loki/audit.log").toURI()), audit);
        cluster = new MockCluster();
        cluster.client.resource(new NodeBuilder().withNewMetadata().withName("worker-1").endMetadata()
                .withNewStatus().addNewAddress().withType("InternalIP").withAddress("127.0.0.1").endAddress().endStatus().build()).create();
        // the API server assigns the uid, and the kubelet names the log directory after it
        String checkoutUid = cluster.client.resource(pod("shop", "checkout-1", "Running", "checkout",
                Map.of("app.kubernetes.io/name", "checkout"))).create().getMetadata().getUid();
        String reportUid = cluster.client.resource(pod("batch", "report-1", "Succeeded", "report", Map.of())).create().getMetadata().getUid();
        Path podLog = dir.resolve("pods/shop_checkout-1_" + checkoutUid + "/checkout/0.log");
        Files.createDirectories(podLog.getParent());
        Files.writeString(podLog, """
                2026-11-24T10:00:00.000000001Z stdout F started checkout
                2026-11-24T10:00:01.000000001Z stdout P part one,
                2026-11-24T10:00:01.000000002Z stdout F  part two
                2026-11-24T10:00:02.000000001Z stdout F\s
                2026-11-24T10:00:03.000000001Z stderr F warning: low stock
                """);
        Path finished = dir.resolve("pods/batch_report-1_" + reportUid + "/report/0.log");
        Files.createDirectories(finished.getParent());
        Files.writeString(finished, "2026-11-24T09:00:00.000000001Z stdout F report done\n");


        // the agent's fabric8 client finds the mock API server the way it finds any: through its standard settings
        System.setProperty("kubernetes.master", cluster.server.url("/"));
        System.setProperty("kubernetes.auth.tryKubeConfig", "false");
        System.setProperty("kubernetes.auth.tryServiceAccount", "false");
        System.setProperty("kubernetes.namespace", "default");

        local = new LokiReceiver();
        remote = new LokiReceiver();
        port = PrometheusServer.freePort();
        registry.add("CARAVAN_HTTP_PORT", () -> port);
        registry.add("camel.main.routes-include-pattern", () -> "classpath:routes/templates.yaml,classpath:routes/sinks.yaml,classpath:routes/audit-logs.yaml,classpath:routes/pod-logs.yaml");
        registry.add("NODE_NAME", () -> "worker-1");
        registry.add("DC_LABEL", () -> "e2e-dc");
        registry.add("CARAVAN_DATA_DIR", () -> dir.resolve("data").toString());
        System.setProperty("caravan.e2e.logs.data", dir.resolve("data").toString());
        registry.add("AUDIT_LOG_PATH", audit::toString);
        registry.add("POD_LOGS_DIR", () -> dir.resolve("pods").toString());
        registry.add("LOKI_WRITE_URL_LOCAL", local::url);
        registry.add("LOKI_WRITE_URL_REMOTE", remote::url);
    }

    @AfterAll
    static void stop() throws Exception {
        local.close();
        remote.close();
        cluster.close();
        for (String p : List.of("kubernetes.master", "kubernetes.auth.tryKubeConfig", "kubernetes.auth.tryServiceAccount", "kubernetes.namespace")) {
            System.clearProperty(p);
        }
    }

    static Pod pod(String ns, String name, String phase, String container, Map<String, String> labels) {
        return new PodBuilder()
                .withNewMetadata().withNamespace(ns).withName(name).withUid("uid-" + name).withLabels(labels).endMetadata()
                .withNewSpec().withNodeName("worker-1").addNewContainer().withName(container).withImage("x").endContainer().endSpec()
                .withNewStatus().withPhase(phase).withPodIP("10.42.1.7").endStatus()
                .build();
    }

    private static List<LokiReceiver.Received> await(LokiReceiver rx, Predicate<List<LokiReceiver.Received>> ok) throws Exception {
        long deadline = System.currentTimeMillis() + 40_000;
        while (System.currentTimeMillis() < deadline) {
            List<LokiReceiver.Received> got = rx.accepted();
            if (ok.test(got)) {
                return got;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("Loki did not receive what was expected; got " + rx.accepted() + "; refusals " + rx.refusals());
    }

    @Test
    void auditEventsArriveWithTheSeedsLabelsAndTheNoisyKindsDropped() throws Exception {
        List<LokiReceiver.Received> audit = await(local, l -> l.stream().filter(r -> r.stream().contains("job=\"kube-audit\"")).count() >= 20);
        Thread.sleep(2_000); // let the rest of the file arrive
        audit = local.accepted().stream().filter(r -> r.stream().contains("job=\"kube-audit\"")).toList();
        assertThat(audit).allSatisfy(r -> assertThat(r.stream())
                .contains("source=\"audit\"").contains("cluster=\"conveyor-platform\"").contains("dc=\"e2e-dc\"")
                .contains("verb=\"").contains("user=\"").contains("audit_level=\"").contains("filename=\""));
        assertThat(audit).noneSatisfy(r -> assertThat(r.stream()).containsAnyOf("resource=\"leases\"", "resource=\"selfsubjectaccessreviews\"",
                "resource=\"selfsubjectrulesreviews\"", "resource=\"customresourcedefinitions\""));
        assertThat(audit).anySatisfy(r -> assertThat(r.stream()).contains("resource=\"pods\"").contains("status_code=\""));
        assertThat(local.refusals()).as("nothing over Loki's limits was sent").isEmpty();
        assertThat(remote.accepted()).as("the audit pipeline writes to the local Loki only, as in the seed")
                .noneSatisfy(r -> assertThat(r.stream()).contains("kube-audit"));
    }

    @Test
    void healthShowsEachSinksQueueAndEachSourcesLag() throws Exception {
        await(local, l -> l.stream().anyMatch(r -> r.stream().contains("kube-audit")));
        String health = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create("http://127.0.0.1:" + port + "/actuator/health")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString()).body();
        assertThat(health).contains("\"lokiSinks\"").contains("\"loki-local\"").contains("\"queuedEntries\"")
                .contains("\"logSources\"").contains("tail://audit").contains("\"lagBytes\"");
    }

    @Test
    void podLogsOfRunningContainersAreDualWrittenWithTheSeedsLabels() throws Exception {
        for (LokiReceiver rx : List.of(local, remote)) {
            List<LokiReceiver.Received> got = await(rx, l -> l.stream().filter(r -> r.stream().contains("pod=\"checkout-1\"")).count() >= 3);
            List<LokiReceiver.Received> pod = got.stream().filter(r -> r.stream().contains("pod=\"checkout-1\"")).toList();
            assertThat(pod).extracting(LokiReceiver.Received::line)
                    .containsExactlyInAnyOrder("started checkout", "part one, part two", "warning: low stock");
            assertThat(pod).allSatisfy(r -> assertThat(r.stream()).contains("namespace=\"shop\"").contains("container=\"checkout\"")
                    .contains("node=\"worker-1\"").contains("app=\"checkout\"").contains("source=\"kubernetes\"")
                    .contains("cluster=\"conveyor-platform\"").contains("dc=\"e2e-dc\""));
            assertThat(got).noneSatisfy(r -> assertThat(r.line()).contains("report done"));
        }
    }
}

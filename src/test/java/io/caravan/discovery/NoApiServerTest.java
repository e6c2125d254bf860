package io.caravan.discovery;

import com.sun.net.httpserver.HttpServer;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.Status;

import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static io.caravan.discovery.FieldSelectingCrudDispatcherTest.pod;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The agent starts without a cluster, says why discovery is idle, and recovers when the API server appears. */
class NoApiServerTest {

    private static final Duration WAIT = Duration.ofSeconds(15);

    @Test
    void startsWithoutApiServerReportsItAndRecoversWhenOneAppears() throws Exception {
        int port = freePort();
        String url = "http://127.0.0.1:" + port + "/";
        try (KubernetesClient client = MockCluster.clientFor(url)) {
            long t0 = System.nanoTime();
            try (DiscoveryRoute route = new DiscoveryRoute(client, "k8s-discovery:pod?nodeName=node-a&debounce=50ms")) {
                assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(5));
                assertThat(route.camel.getRouteController().getRouteStatus("discovery").isStarted()).isTrue();

                DiscoveryRoute.awaitTrue(() -> route.status().lastError() != null, WAIT);
                DiscoveryStatus down = route.status();
                assertThat(down.synced()).isFalse();
                assertThat(down.lastError()).startsWith("no API server reachable at " + url.substring(0, url.length() - 1))
                        .contains("ConnectException");
                Health health = new io.caravan.ui.PipelineHealthIndicators().kubernetesDiscovery(route.camel).health();
                assertThat(health.getStatus()).isEqualTo(Status.UNKNOWN); // not DOWN: readiness must not fail
                assertThat(health.getDetails()).containsEntry("endpoints", 1);
                assertThat(route.emitted).isEmpty();

                // fabric8's default would have stopped the informer after the failed first list; ours retries
                try (MockCluster cluster = new MockCluster(new FieldSelectingCrudDispatcher(), port)) {
                    cluster.client.resource(pod("shop", "late", "node-a")).create();
                    // the first list may land before or after the create: wait for the emission that has the pod
                    assertThat(route.nextMatching(l -> !l.isEmpty(), WAIT))
                            .extracting(t -> t.labels().get("__meta_kubernetes_pod_name")).containsExactly("late");
                    DiscoveryStatus up = route.status();
                    assertThat(up.synced()).isTrue();
                    assertThat(up.lastError()).isNull();
                    assertThat(up.targets()).isEqualTo(1);
                    Health healthy = new io.caravan.ui.PipelineHealthIndicators().kubernetesDiscovery(route.camel).health();
                    assertThat(healthy.getStatus()).isEqualTo(Status.UP);
                    assertThat(((Map<?, ?>) healthy.getDetails().get(up.endpoint())).get("targets")).isEqualTo(1);
                }
            }
        }
    }

    /**
     * Two routes of one selection (their debounce differs, which is theirs alone) share one informer: each reports the
     * failed first list in its own status, and each recovers and gets its targets when the API server appears.
     */
    @Test
    void routesSharingAnInformerEachReportTheFailureAndTheRecovery() throws Exception {
        int port = freePort();
        try (KubernetesClient client = MockCluster.clientFor("http://127.0.0.1:" + port + "/");
             DiscoveryRoute route = new DiscoveryRoute(client, "k8s-discovery:pod?nodeName=node-a&debounce=50ms")) {
            java.util.concurrent.BlockingQueue<java.util.List<?>> second = new java.util.concurrent.LinkedBlockingQueue<>();
            route.camel.addRoutes(new org.apache.camel.builder.RouteBuilder() {
                @Override
                public void configure() {
                    from("k8s-discovery:pod?nodeName=node-a&debounce=80ms").routeId("second")
                            .process(e -> second.add(e.getMessage().getMandatoryBody(java.util.List.class)));
                }
            });
            DiscoveryRoute.awaitTrue(() -> route.component().getStatuses().stream().allMatch(s -> s.lastError() != null)
                    && route.component().getStatuses().size() == 2, WAIT);
            assertThat(route.component().getStatuses()).allMatch(s -> !s.synced() && s.lastError().startsWith("no API server reachable"));
            assertThat(new io.caravan.ui.PipelineHealthIndicators().kubernetesDiscovery(route.camel).health().getStatus()).isEqualTo(Status.UNKNOWN);

            try (MockCluster cluster = new MockCluster(new FieldSelectingCrudDispatcher(), port)) {
                cluster.client.resource(pod("shop", "late", "node-a")).create();
                route.nextMatching(l -> !l.isEmpty(), WAIT);
                DiscoveryRoute.awaitTrue(() -> second.stream().anyMatch(l -> !l.isEmpty()), WAIT);
                DiscoveryRoute.awaitTrue(() -> route.component().getStatuses().stream()
                        .allMatch(s -> s.synced() && s.watching() && s.lastError() == null && s.targets() == 1), WAIT);
                assertThat(new io.caravan.ui.PipelineHealthIndicators().kubernetesDiscovery(route.camel).health().getStatus()).isEqualTo(Status.UP);
            }
        }
    }

    /** The fabric8 7.4 behaviour the consumer works around: without our exception handler, one failed list is fatal. */
    @Test
    void fabric8DefaultInformerStopsForGoodWhenTheFirstListFails() throws Exception {
        try (KubernetesClient client = MockCluster.clientFor("http://127.0.0.1:" + freePort() + "/")) {
            var informer = client.pods().inAnyNamespace().runnableInformer(0);
            var started = informer.start().toCompletableFuture();
            assertThatThrownBy(() -> started.get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class);
            informer.stopped().toCompletableFuture().handle((v, t) -> t).get(10, TimeUnit.SECONDS);
            assertThat(informer.isRunning()).isFalse();
            informer.close();
        }
    }

    @Test
    void forbiddenSaysWhichPermissionIsMissing() throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        byte[] body = ("{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"reason\":\"Forbidden\",\"code\":403,"
                + "\"message\":\"pods is forbidden: User \\\"system:serviceaccount:caravan:caravan\\\" cannot list resource"
                + " \\\"pods\\\" in API group \\\"\\\" at the cluster scope\"}").getBytes(StandardCharsets.UTF_8);
        server.createContext("/", exchange -> {
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(403, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        try (KubernetesClient client = MockCluster.clientFor("http://127.0.0.1:" + server.getAddress().getPort() + "/");
             DiscoveryRoute route = new DiscoveryRoute(client, "k8s-discovery:pod")) {
            DiscoveryRoute.awaitTrue(() -> route.status().lastError() != null, WAIT);
            assertThat(route.status().lastError())
                    .startsWith("forbidden: the service account may not list pods cluster-wide; add the verb 'list' on pods to its ClusterRole")
                    .contains("cannot list resource");
            assertThat(route.status().synced()).isFalse();
        } finally {
            server.stop(0);
        }
    }

    @Test
    void healthIsUpWithNoDiscoveryEndpoints() throws Exception {
        try (org.apache.camel.impl.DefaultCamelContext camel = new org.apache.camel.impl.DefaultCamelContext()) {
            camel.start();
            Health health = new io.caravan.ui.PipelineHealthIndicators().kubernetesDiscovery(camel).health();
            assertThat(health.getStatus()).isEqualTo(Status.UP);
            assertThat(camel.hasComponent(KubernetesDiscoveryComponent.SCHEME)).isNull(); // looking did not create it
        }
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}

package io.caravan.discovery;

import io.caravan.component.ComponentStatus;
import io.caravan.model.Target;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import static io.caravan.discovery.FieldSelectingCrudDispatcherTest.pod;
import static org.assertj.core.api.Assertions.assertThat;

/** A node-local discovery started while the API server is away emits what the last run had, until the server answers. */
class LastKnownTargetsTest {

    private static final Duration WAIT = Duration.ofSeconds(15);
    private static final String URI = "k8s-discovery:pod?nodeName=node-a&debounce=50ms&lastKnownAfter=300ms";

    @TempDir
    Path dataDir;

    @Test
    void aStartWithoutTheApiServerUsesTheLastKnownTargetsUntilTheServerAnswers() throws Exception {
        int port = freePort();
        List<Target> before;
        try (MockCluster cluster = new MockCluster(new FieldSelectingCrudDispatcher(), port)) {
            cluster.client.resource(pod("shop", "web", "node-a")).create();
            cluster.client.resource(pod("shop", "api", "node-a")).create();
            cluster.client.resource(pod("shop", "elsewhere", "node-b")).create();
            try (DiscoveryRoute route = new DiscoveryRoute(cluster.client, URI, dataDir)) {
                before = route.nextMatching(l -> l.size() == 2, WAIT);
                assertThat(route.status().toMap()).containsEntry("targetsFrom", "api");
            }
        }
        Path saved = onlyFile(dataDir.resolve("discovery"));
        assertThat(saved.getFileName().toString()).matches("pod-[0-9a-f]{16}\\.json");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(saved))).isEqualTo("rw-------");

        try (KubernetesClient absent = MockCluster.clientFor("http://127.0.0.1:" + port + "/");
             DiscoveryRoute route = new DiscoveryRoute(absent, URI, dataDir)) {
            assertThat(route.next(WAIT)).isEqualTo(before);
            DiscoveryStatus status = route.status();
            assertThat(status.synced()).isFalse();
            assertThat(status.lastError()).contains("no API server reachable");
            assertThat(status.lastKnownSavedAt()).isNotNull();
            assertThat(status.toMap()).containsEntry("targetsFrom", "disk").containsKey("lastKnownAgeSeconds");
            ComponentStatus health = route.component().statuses().get(0);
            assertThat(health.health()).isEqualTo(ComponentStatus.Health.UNKNOWN);
            assertThat(health.state()).startsWith("last known targets, ").contains("s old (saved ");

            try (MockCluster back = new MockCluster(new FieldSelectingCrudDispatcher(), port)) {
                back.client.resource(pod("shop", "web", "node-a")).create();
                List<Target> now = route.nextMatching(l -> l.size() == 1, WAIT);
                assertThat(now).extracting(t -> t.labels().get("__meta_kubernetes_pod_name")).containsExactly("web");
                DiscoveryRoute.awaitTrue(() -> route.status().lastKnownSavedAt() == null, WAIT);
                assertThat(route.status().toMap()).containsEntry("targetsFrom", "api");
                assertThat(route.component().statuses().get(0).state()).doesNotContain("last known");
            }
        }
        // what the API server said last is what the next start falls back on
        try (KubernetesClient absent = MockCluster.clientFor("http://127.0.0.1:" + port + "/");
             DiscoveryRoute route = new DiscoveryRoute(absent, URI, dataDir)) {
            assertThat(route.next(WAIT)).extracting(t -> t.labels().get("__meta_kubernetes_pod_name")).containsExactly("web");
        }
    }

    @Test
    void anUnreadableFileIsIgnoredAndTheRouteWaitsForTheApiServer() throws Exception {
        int port = freePort();
        try (MockCluster cluster = new MockCluster(new FieldSelectingCrudDispatcher(), port)) {
            cluster.client.resource(pod("shop", "web", "node-a")).create();
            try (DiscoveryRoute route = new DiscoveryRoute(cluster.client, URI, dataDir)) {
                route.nextMatching(l -> l.size() == 1, WAIT);
            }
        }
        Files.writeString(onlyFile(dataDir.resolve("discovery")), "{\"endpoint\": \"k8s-discovery:pod\", \"targets\": [");
        try (KubernetesClient absent = MockCluster.clientFor("http://127.0.0.1:" + port + "/");
             DiscoveryRoute route = new DiscoveryRoute(absent, URI, dataDir)) {
            DiscoveryRoute.awaitTrue(() -> route.status().lastError() != null, WAIT);
            Thread.sleep(1000); // well past lastKnownAfter
            assertThat(route.emitted).isEmpty();
            assertThat(route.status().lastKnownSavedAt()).isNull();
        }
    }

    @Test
    void aClusterWideRouteKeepsNothingOnDisk() throws Exception {
        try (MockCluster cluster = new MockCluster();
             DiscoveryRoute route = new DiscoveryRoute(cluster.client, "k8s-discovery:node?debounce=50ms", dataDir)) {
            cluster.client.resource(SeedTargetsTest.node("node-a", "192.168.10.1")).create();
            route.nextMatching(l -> l.size() == 1, WAIT);
        }
        assertThat(dataDir.resolve("discovery")).doesNotExist();
    }

    private static Path onlyFile(Path dir) throws Exception {
        try (Stream<Path> files = Files.list(dir)) {
            List<Path> all = files.toList();
            assertThat(all).hasSize(1);
            return all.get(0);
        }
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}

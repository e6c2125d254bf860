package io.caravan.faults;

import com.sun.net.httpserver.HttpServer;
import io.caravan.discovery.DiscoveryStatus;
import io.caravan.discovery.FieldSelectingCrudDispatcher;
import io.caravan.discovery.KubernetesDiscoveryComponent;
import io.caravan.discovery.MockCluster;
import io.caravan.model.Target;
import io.caravan.testing.TcpProxy;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The API server misbehaving under the real k8s-discovery: component (fabric8 informers) against fabric8's mock
 * server, a scripted HTTP stand-in, or a proxy that cuts connections: every failure is counted in
 * caravan_discovery_errors_total with its reason and said in the status, the last good target list is kept, and
 * the list is right again once the server is. Starting with no API server at all: NoApiServerTest; a LIST
 * answered 403: NoApiServerTest.forbiddenSaysWhichPermissionIsMissing.
 */
@Tag("fault")
class KubernetesFaultsTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    /** A Camel context with one k8s-discovery route into a queue, metrics in a registry of its own. */
    static final class Discovery implements AutoCloseable {
        final DefaultCamelContext camel = new DefaultCamelContext();
        final MeterRegistry meters = new SimpleMeterRegistry();
        final BlockingQueue<List<Target>> emitted = new LinkedBlockingQueue<>();

        Discovery(KubernetesClient client, String uri) throws Exception {
            // a fresh data directory: no last known targets from another test to fall back on
            camel.getPropertiesComponent().addInitialProperty(io.caravan.component.CaravanComponent.DATA_DIR_PROPERTY,
                    java.nio.file.Files.createTempDirectory("discovery-data").toString());
            camel.getRegistry().bind("kubernetesClient", client);
            camel.getRegistry().bind("meters", meters);
            camel.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from(uri).routeId("discovery").process(e -> emitted.add(e.getMessage().getMandatoryBody(List.class)));
                }
            });
            camel.start();
        }

        DiscoveryStatus status() {
            return camel.getComponent(KubernetesDiscoveryComponent.SCHEME, KubernetesDiscoveryComponent.class).getStatuses().get(0);
        }

        double errors(String reason) {
            Counter c = meters.find("caravan_discovery_errors").tag("reason", reason).counter();
            return c == null ? 0 : c.count();
        }

        List<Target> next(Predicate<List<Target>> p) throws InterruptedException {
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (true) {
                long left = deadline - System.nanoTime();
                List<Target> list = left <= 0 ? null : emitted.poll(left, TimeUnit.NANOSECONDS);
                if (list == null) {
                    throw new AssertionError("no matching emission within " + WAIT);
                }
                if (p.test(list)) {
                    return list;
                }
            }
        }

        @Override
        public void close() {
            camel.stop();
        }
    }

    static Pod pod(String name, Map<String, String> labels) {
        return new PodBuilder().withNewMetadata().withNamespace("shop").withName(name).withLabels(labels).endMetadata()
                .withNewSpec().withNodeName("node-a").addNewContainer().withName("c").withImage("i").endContainer().endSpec()
                .withNewStatus().withPhase("Running").withPodIP("10.0.0." + (1 + Math.abs(name.hashCode() % 250))).endStatus().build();
    }

    static Pod pod(String name) {
        return pod(name, Map.of("app", name));
    }

    static List<String> names(List<Target> targets) {
        return targets.stream().map(t -> t.labels().get("__meta_kubernetes_pod_name")).toList();
    }

    /** These pods, each once, in any order (targets are sorted by their labels, __address__ first). */
    static Predicate<List<Target>> exactly(String... pods) {
        return l -> l.size() == pods.length && new java.util.HashSet<>(names(l)).equals(java.util.Set.of(pods));
    }

    @Test
    void theApiServerGoneKeepsTheLastTargetsCountsTheFailuresAndRecovers() throws Exception {
        int port = freePort();
        MockCluster first = new MockCluster(new FieldSelectingCrudDispatcher(), port);
        first.client.resource(pod("web-1")).create();
        first.client.resource(pod("web-2")).create();
        try (KubernetesClient client = MockCluster.clientFor("http://127.0.0.1:" + port + "/");
             Discovery d = new Discovery(client, "k8s-discovery:pod?nodeName=node-a&debounce=50ms")) {
            d.next(exactly("web-1", "web-2"));
            first.close(); // the API server goes away
            await(() -> d.status().lastError() != null && d.errors("unreachable") >= 1);
            assertThat(d.status().lastError()).startsWith("no API server reachable at http://127.0.0.1:" + port);
            assertThat(d.emitted.poll(1, TimeUnit.SECONDS)).as("the last good list stands; no empty list is emitted").isNull();
            assertThat(d.status().targets()).isEqualTo(2);

            try (MockCluster second = new MockCluster(new FieldSelectingCrudDispatcher(), port)) {
                second.client.resource(pod("web-1")).create();
                second.client.resource(pod("web-2")).create();
                second.client.resource(pod("web-3")).create();
                d.next(exactly("web-1", "web-2", "web-3"));
                await(() -> d.status().lastError() == null);
                assertThat(d.status().synced()).isTrue();
                double failures = d.errors("unreachable");
                second.client.pods().inNamespace("shop").withName("web-2").delete();
                d.next(exactly("web-1", "web-3"));
                assertThat(d.errors("unreachable")).as("no failure counted once the server is back").isEqualTo(failures);
            }
        }
    }

    @Test
    void aWatchAnswered403NamesTheMissingVerbAndTheListedTargetsStillFlow() throws Exception {
        String podList = "{\"kind\":\"PodList\",\"apiVersion\":\"v1\",\"metadata\":{\"resourceVersion\":\"7\"},\"items\":["
                + io.fabric8.kubernetes.client.utils.Serialization.asJson(pod("listed")) + "]}";
        String denied = "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"reason\":\"Forbidden\",\"code\":403,"
                + "\"message\":\"pods is forbidden: User \\\"system:serviceaccount:observability:caravan\\\" cannot watch resource"
                + " \\\"pods\\\" in API group \\\"\\\" at the cluster scope\"}";
        AtomicInteger watches = new AtomicInteger();
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", ex -> {
            boolean watch = String.valueOf(ex.getRequestURI().getQuery()).contains("watch=true");
            if (watch) {
                watches.incrementAndGet();
            }
            byte[] body = (watch ? denied : podList).getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("Content-Type", "application/json");
            ex.sendResponseHeaders(watch ? 403 : 200, body.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        try (KubernetesClient client = MockCluster.clientFor("http://127.0.0.1:" + server.getAddress().getPort() + "/");
             Discovery d = new Discovery(client, "k8s-discovery:pod?debounce=50ms")) {
            assertThat(names(d.next(l -> !l.isEmpty()))).as("what LIST gave is used").containsExactly("listed");
            await(() -> d.status().lastError() != null && d.errors("forbidden") >= 1);
            assertThat(d.status().lastError())
                    // a refused WebSocket upgrade carries no Status body: the verb comes from the watch's URL
                    .startsWith("forbidden: the service account may not watch pods cluster-wide; add the verb 'watch' on pods to its ClusterRole");
            await(() -> watches.get() >= 2); // retried, not given up (fabric8 may retry without telling: counted at least once)
            assertThat(d.errors("forbidden")).isGreaterThanOrEqualTo(1);
            assertThat(d.errors("unreachable") + d.errors("watch_lost")).as("the message stays the reason fabric8 gave").isZero();
            assertThat(d.status().watching()).isFalse();
        } finally {
            server.stop(0);
        }
    }

    /**
     * The proxy cuts every connection every 2 s; each time, once fabric8 has reconnected by itself, a change is made and
     * must arrive. (A real API server resumes a watch from its resourceVersion and replays what was missed; fabric8's
     * CRUD mock answers such a resumed watch 400 for ever, so the proxy drops resourceVersion from watch requests and
     * the test changes nothing while the watch is down. The agent does report a watch stuck like that:
     * KubernetesDiscoveryConsumer.checkWatches.)
     */
    @Test
    void aWatchThatClosesEveryFewSecondsMissesNoChangeAndEmitsNoDuplicate() throws Exception {
        try (MockCluster cluster = new MockCluster();
             TcpProxy proxy = new TcpProxy(cluster.server.getPort(), KubernetesFaultsTest::withoutWatchVersion);
             KubernetesClient client = MockCluster.clientFor("http://127.0.0.1:" + proxy.port() + "/");
             Discovery d = new Discovery(client, "k8s-discovery:pod?nodeName=node-a&debounce=50ms")) {
            cluster.client.resource(pod("p0")).create();
            d.next(exactly("p0"));
            List<List<String>> seen = new CopyOnWriteArrayList<>();
            for (int i = 1; i <= 5; i++) {
                long cutAt = System.nanoTime();
                int connections = proxy.accepted();
                proxy.cutAll();
                await(() -> proxy.accepted() > connections && d.status().watching()); // reconnected on its own
                cluster.client.resource(pod("p" + i)).create();
                cluster.client.pods().inNamespace("shop").withName("p" + (i - 1)).delete();
                seen.add(names(d.next(exactly("p" + i))));
                Thread.sleep(Math.max(0, 2000 - (System.nanoTime() - cutAt) / 1_000_000));
            }
            assertThat(proxy.cuts()).isEqualTo(5);
            assertThat(d.emitted.poll(2, TimeUnit.SECONDS)).as("re-listing after a cut emits no equal list again").isNull();
            assertThat(seen).containsExactly(List.of("p1"), List.of("p2"), List.of("p3"), List.of("p4"), List.of("p5"));
            assertThat(d.status().targets()).isEqualTo(1);
            assertThat(d.status().lastError()).as("a watch that comes back is no error").isNull();
        }
    }

    @Test
    void aPodWithThousandsOfLabelsBecomesOneTargetWithAllOfThemBesideAnOrdinaryPod() throws Exception {
        Map<String, String> many = new LinkedHashMap<>();
        for (int i = 0; i < 5000; i++) {
            many.put("example.com/label-" + i, "v" + i);
        }
        try (MockCluster cluster = new MockCluster();
             Discovery d = new Discovery(cluster.client, "k8s-discovery:pod?nodeName=node-a&debounce=50ms")) {
            cluster.client.resource(pod("crowded", many)).create();
            cluster.client.resource(pod("plain")).create();
            List<Target> targets = d.next(exactly("crowded", "plain"));
            Target crowded = targets.stream().filter(t -> "crowded".equals(t.labels().get("__meta_kubernetes_pod_name"))).findFirst().orElseThrow();
            Target plain = targets.stream().filter(t -> "plain".equals(t.labels().get("__meta_kubernetes_pod_name"))).findFirst().orElseThrow();
            long labels = crowded.labels().toMap().keySet().stream().filter(k -> k.startsWith("__meta_kubernetes_pod_label_")).count();
            long present = crowded.labels().toMap().keySet().stream().filter(k -> k.startsWith("__meta_kubernetes_pod_labelpresent_")).count();
            assertThat(labels).isEqualTo(5000);
            assertThat(present).isEqualTo(5000);
            assertThat(crowded.labels().get("__meta_kubernetes_pod_label_example_com_label_4999")).isEqualTo("v4999");
            assertThat(plain.labels().get("__meta_kubernetes_pod_label_app")).isEqualTo("plain");
            assertThat(d.errors("bad_object")).isZero();
            assertThat(d.status().targets()).isEqualTo(2);
        }
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within " + WAIT);
            }
            Thread.sleep(20);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static final Pattern WATCH_VERSION = Pattern.compile("(GET [^ ]*watch=true[^ ]*?)resourceVersion=\\d+&?");

    /** fabric8's CRUD mock answers a watch resumed from a resourceVersion 400 for ever: make it a fresh watch. */
    private static byte[] withoutWatchVersion(byte[] request) {
        if (request.length > 4 && request[0] == 'G' && request[1] == 'E' && request[2] == 'T') {
            String head = new String(request, StandardCharsets.ISO_8859_1);
            return WATCH_VERSION.matcher(head).replaceFirst("$1").getBytes(StandardCharsets.ISO_8859_1);
        }
        return request;
    }
}

package io.caravan.discovery;

import io.caravan.model.Target;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import org.apache.camel.FailedToCreateRouteException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static io.caravan.discovery.FieldSelectingCrudDispatcherTest.pod;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class KubernetesDiscoveryConsumerTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private MockCluster cluster;

    @BeforeEach
    void startCluster() {
        cluster = new MockCluster();
    }

    @AfterEach
    void stopCluster() {
        cluster.close();
    }

    /** A watch narrowed to this node says so in its log line (it read "pods cluster-wide" before). */
    @Test
    void aNodeScopedWatchNamesItsNodeInTheLog() throws Exception {
        ch.qos.logback.classic.Logger log = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(KubernetesDiscoveryConsumer.class);
        ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> lines = new ch.qos.logback.core.read.ListAppender<>();
        lines.start();
        log.addAppender(lines);
        try (DiscoveryRoute pods = new DiscoveryRoute(cluster.client, "k8s-discovery:pod?nodeName=node-a&debounce=50ms");
             DiscoveryRoute inShop = new DiscoveryRoute(cluster.client, "k8s-discovery:pod?nodeName=node-a&namespaces=shop&debounce=50ms");
             DiscoveryRoute nodes = new DiscoveryRoute(cluster.client, "k8s-discovery:node?nodeName=node-a&debounce=50ms");
             DiscoveryRoute all = new DiscoveryRoute(cluster.client, "k8s-discovery:pod?debounce=50ms")) {
            for (DiscoveryRoute r : List.of(pods, inShop, nodes, all)) {
                r.next(WAIT);
            }
            // the line is logged when the informer has synced, which may come after the first list was emitted
            List<String> said = List.of();
            for (long deadline = System.nanoTime() + WAIT.toNanos(); said.size() < 4 && System.nanoTime() < deadline; Thread.sleep(20)) {
                synchronized (lines) {
                    said = lines.list.stream().map(ch.qos.logback.classic.spi.ILoggingEvent::getFormattedMessage)
                            .filter(m -> m.endsWith("listed, watching")).toList();
                }
            }
            assertThat(said).containsExactlyInAnyOrder( // Camel sorts the URI's options
                    "k8s-discovery://pod?debounce=50ms&nodeName=node-a: pods of node node-a in all namespaces listed, watching",
                    "k8s-discovery://pod?debounce=50ms&namespaces=shop&nodeName=node-a: pods in namespace shop of node node-a listed, watching",
                    "k8s-discovery://node?debounce=50ms&nodeName=node-a: nodes named node-a listed, watching",
                    "k8s-discovery://pod?debounce=50ms: pods cluster-wide listed, watching");
        } finally {
            log.detachAppender(lines);
        }
    }

    @Test
    void podTargetsFollowAddChangeAndDeleteOfThisNodesPodsOnly() throws Exception {
        cluster.client.resource(pod("shop", "elsewhere", "node-b")).create();
        try (DiscoveryRoute route = new DiscoveryRoute(cluster.client, "k8s-discovery:pod?nodeName=node-a&debounce=50ms")) {
            // synced with nothing on node-a: the empty list is emitted once, so downstream knows
            assertThat(route.next(WAIT)).isEmpty();

            Pod starting = new PodBuilder(pod("shop", "web", "node-a")).editStatus().withPhase("Pending").withPodIP(null).endStatus().build();
            cluster.client.resource(starting).create();
            cluster.client.resource(pod("shop", "other-node-too", "node-b")).create();

            Pod running = new PodBuilder(cluster.client.pods().inNamespace("shop").withName("web").get())
                    .editStatus().withPhase("Running").withPodIP("10.1.0.9").endStatus().build();
            cluster.client.resource(running).update();
            List<Target> afterStart = route.next(WAIT);
            assertThat(afterStart).extracting(Target::address).containsExactly("10.1.0.9");
            assertThat(afterStart.get(0).labels().get("__meta_kubernetes_pod_phase")).isEqualTo("Running");
            assertThat(afterStart.get(0).labels().get("__meta_kubernetes_pod_node_name")).isEqualTo("node-a");

            cluster.client.pods().inNamespace("shop").withName("web").delete();
            assertThat(route.nextMatching(List::isEmpty, WAIT)).isEmpty();
            assertThat(route.emitted).isEmpty(); // pods of node-b never caused an emission
            assertThat(route.status().synced()).isTrue();
            assertThat(route.status().lastError()).isNull();
        }
    }

    @Test
    void phaseChangePendingToRunningIsEmitted() throws Exception {
        Pod pending = new PodBuilder(pod("shop", "job", "node-a")).editStatus().withPhase("Pending").endStatus().build();
        cluster.client.resource(pending).create();
        try (DiscoveryRoute route = new DiscoveryRoute(cluster.client, "k8s-discovery:pod?nodeName=node-a&debounce=50ms")) {
            assertThat(route.next(WAIT).get(0).labels().get("__meta_kubernetes_pod_phase")).isEqualTo("Pending");
            Pod running = new PodBuilder(cluster.client.pods().inNamespace("shop").withName("job").get())
                    .editStatus().withPhase("Running").endStatus().build();
            cluster.client.resource(running).update();
            assertThat(route.next(WAIT).get(0).labels().get("__meta_kubernetes_pod_phase")).isEqualTo("Running");
        }
    }

    @Test
    void namespacesAndLabelSelectorNarrowTheWatch() throws Exception {
        cluster.client.resource(labelled(pod("shop", "a", "n1"), "web")).create();
        cluster.client.resource(labelled(pod("ops", "b", "n2"), "web")).create();
        cluster.client.resource(labelled(pod("kube-system", "c", "n1"), "web")).create();
        cluster.client.resource(labelled(pod("shop", "d", "n1"), "db")).create();
        try (DiscoveryRoute route = new DiscoveryRoute(cluster.client,
                "k8s-discovery:pod?namespaces=shop,ops&labelSelector=app%3Dweb&debounce=50ms")) {
            List<Target> targets = route.nextMatching(l -> l.size() == 2, WAIT);
            assertThat(targets).extracting(t -> t.labels().get("__meta_kubernetes_pod_name")).containsExactlyInAnyOrder("a", "b");
            assertThat(route.component().getStatuses()).hasSize(1);
        }
    }

    @Test
    void nodeRoleWithNodeNameSeesOnlyItsOwnNode() throws Exception {
        cluster.client.resource(NodeTargetsTest.sampleNode("node-a")).create();
        cluster.client.resource(NodeTargetsTest.sampleNode("node-b")).create();
        try (DiscoveryRoute route = new DiscoveryRoute(cluster.client, "k8s-discovery:node?nodeName=node-a&debounce=50ms")) {
            List<Target> first = route.next(WAIT);
            assertThat(first).containsExactlyElementsOf(NodeTargets.of(NodeTargetsTest.sampleNode("node-a")));

            cluster.client.nodes().withName("node-b").edit(n -> new NodeBuilder(n).editMetadata().addToLabels("x", "y").endMetadata().build());
            cluster.client.nodes().withName("node-a").edit(n -> new NodeBuilder(n).editMetadata().addToLabels("zone", "z1").endMetadata().build());
            List<Target> changed = route.next(WAIT);
            assertThat(changed).hasSize(1);
            assertThat(changed.get(0).labels().get("__meta_kubernetes_node_label_zone")).isEqualTo("z1");
            assertThat(changed.get(0).labels().has("__meta_kubernetes_node_label_x")).isFalse();
        }
    }

    @Test
    void clusterWideNodeRoleListsAllNodesSorted() throws Exception {
        for (String n : List.of("node-c", "node-a", "node-b")) {
            Node node = new NodeBuilder(NodeTargetsTest.sampleNode(n)).editStatus().withAddresses()
                    .addNewAddress().withType("InternalIP").withAddress("10.0.0." + n.charAt(5)).endAddress().endStatus().build();
            cluster.client.resource(node).create();
        }
        try (DiscoveryRoute route = new DiscoveryRoute(cluster.client, "k8s-discovery:node?debounce=50ms")) {
            assertThat(route.next(WAIT)).extracting(Target::address)
                    .containsExactly("10.0.0.a:10250", "10.0.0.b:10250", "10.0.0.c:10250");
        }
    }

    @Test
    void burstOfEventsIsCoalescedIntoOneEmission() throws Exception {
        try (DiscoveryRoute route = new DiscoveryRoute(cluster.client, "k8s-discovery:pod?debounce=1500ms")) {
            assertThat(route.next(WAIT)).isEmpty();
            for (int i = 0; i < 5; i++) {
                cluster.client.resource(pod("shop", "p" + i, "n")).create();
            }
            assertThat(route.next(WAIT)).hasSize(5);
            assertThat(route.emitted.poll(2, java.util.concurrent.TimeUnit.SECONDS)).isNull();
        }
    }

    @Test
    void resyncThatChangesNothingEmitsNothing() throws Exception {
        cluster.client.resource(pod("shop", "steady", "n")).create();
        try (DiscoveryRoute route = new DiscoveryRoute(cluster.client, "k8s-discovery:pod?resyncPeriod=1s&debounce=10ms")) {
            assertThat(route.next(WAIT)).hasSize(1);
            // three resync periods: each replays the pod as an update of itself
            assertThat(route.emitted.poll(3500, java.util.concurrent.TimeUnit.MILLISECONDS)).isNull();
        }
    }

    @Test
    void badOptionsFailRouteStartNamingTheOption() {
        assertThatThrownBy(() -> new DiscoveryRoute(cluster.client, "k8s-discovery:pod?debounce=soon").close())
                .isInstanceOf(FailedToCreateRouteException.class).rootCause().hasMessageContaining("debounce");
        assertThatThrownBy(() -> new DiscoveryRoute(cluster.client, "k8s-discovery:services").close())
                .isInstanceOf(FailedToCreateRouteException.class).rootCause()
                .hasMessageContaining("unknown role 'services'; use one of pod, node, service, endpoints, endpointslice, ingress");
        assertThatThrownBy(() -> new DiscoveryRoute(cluster.client, "k8s-discovery:service?nodeName=node-a").close())
                .isInstanceOf(FailedToCreateRouteException.class).rootCause()
                .hasMessageContaining("nodeName does not apply to the service role");
        assertThatThrownBy(() -> new DiscoveryRoute(cluster.client, "k8s-discovery:ingress?attachNodeMetadata=true").close())
                .isInstanceOf(FailedToCreateRouteException.class).rootCause()
                .hasMessageContaining("attachNodeMetadata applies to the pod, endpoints and endpointslice roles only");
    }

    private static Pod labelled(Pod p, String app) {
        return new PodBuilder(p).editMetadata().addToLabels("app", app).endMetadata().build();
    }
}

package io.caravan.discovery;

import io.caravan.ShippedRoutes;
import io.caravan.component.CaravanComponent;
import io.caravan.model.Labels;
import io.caravan.model.Target;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.model.RouteDefinition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URLDecoder;
import java.nio.file.Files;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

import static io.caravan.discovery.DiscoveryRoute.awaitTrue;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every shipped route that starts from k8s-discovery, in one Camel context against the mock API server: the
 * server sees one list and one watch per role and selection, not one per route.
 */
class SharedInformerTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private final ConcurrentLinkedQueue<String> requests = new ConcurrentLinkedQueue<>();
    private MockCluster cluster;
    private DefaultCamelContext camel;
    private final Map<String, List<List<Target>>> emitted = new ConcurrentHashMap<>();

    @BeforeEach
    void startCluster() {
        cluster = new MockCluster(new FieldSelectingCrudDispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                requests.add(request.getMethod() + " " + URLDecoder.decode(request.getPath(), StandardCharsets.UTF_8));
                return super.dispatch(request);
            }
        }, 0);
        cluster.client.resource(SeedTargetsTest.node("node-a", "192.168.10.1")).create();
        cluster.client.resource(SeedTargetsTest.node("node-b", "192.168.10.2")).create();
        cluster.client.resource(FieldSelectingCrudDispatcherTest.pod("shop", "web", "node-a")).create();
        cluster.client.resource(FieldSelectingCrudDispatcherTest.pod("shop", "elsewhere", "node-b")).create();
        requests.clear();
    }

    @AfterEach
    void stop() {
        if (camel != null) {
            camel.stop();
        }
        cluster.close();
    }

    @Test
    void theShippedRoutesOpenOneWatchPerRoleAndSelection() throws Exception {
        List<String> uris = shippedDiscoveryUris();
        assertThat(uris).hasSize(8); // four pod pipelines, four node pipelines
        startRoutes(uris);

        awaitTrue(() -> emitted.size() == uris.size(), WAIT);
        for (String routeId : emitted.keySet()) {
            assertThat(emitted.get(routeId).get(0)).as(routeId).isNotEmpty();
        }
        List<DiscoveryStatus> statuses = component().getStatuses();
        assertThat(statuses).hasSize(uris.size()).allMatch(s -> s.synced() && s.watching() && s.targets() > 0);

        assertThat(watches()).containsExactlyInAnyOrder(
                "GET /api/v1/pods?fieldSelector=spec.nodeName=node-a",
                "GET /api/v1/nodes?fieldSelector=metadata.name=node-a");
        assertThat(lists()).containsExactlyInAnyOrder(
                "GET /api/v1/pods?fieldSelector=spec.nodeName=node-a",
                "GET /api/v1/nodes?fieldSelector=metadata.name=node-a");
    }

    /**
     * The watches of one agent with every node-local discovery on: the shipped routes (pods and the node of this node)
     * plus a node-local endpointslice job with attachNodeMetadata. Its pods and node informers are the shipped routes'
     * (same kind and selection), so it adds only the cluster's endpointslices and services: four watches in all.
     */
    @Test
    void everythingOnIsFourWatchesPerAgent() throws Exception {
        List<String> uris = new ArrayList<>(shippedDiscoveryUris());
        uris.add("k8s-discovery:endpointslice?nodeName={{NODE_NAME}}&attachNodeMetadata=true");
        startRoutes(uris);
        awaitTrue(() -> emitted.size() == uris.size(), WAIT);
        assertThat(watches()).containsExactlyInAnyOrder(
                "GET /api/v1/pods?fieldSelector=spec.nodeName=node-a",
                "GET /api/v1/nodes?fieldSelector=metadata.name=node-a",
                "GET /apis/discovery.k8s.io/v1/endpointslices",
                "GET /api/v1/services");
    }

    /** The informer outlives any one route, gives a late subscriber the list at once, and goes with the last one. */
    @Test
    void aLateRouteGetsTheCurrentListAndTheWatchStopsWithTheLastRoute() throws Exception {
        startRoutes(List.of("k8s-discovery:pod?nodeName=node-a&debounce=50ms"));
        awaitTrue(() -> emitted.containsKey("r0"), WAIT);

        camel.addRoutes(route("late", "k8s-discovery:pod?nodeName=node-a&debounce=50ms"));
        awaitTrue(() -> emitted.containsKey("late"), Duration.ofSeconds(2)); // no re-list, no debounce wait
        assertThat(emitted.get("late").get(0)).isEqualTo(emitted.get("r0").get(0));

        camel.getRouteController().stopRoute("r0");
        cluster.client.resource(FieldSelectingCrudDispatcherTest.pod("shop", "api", "node-a")).create();
        awaitTrue(() -> emitted.get("late").size() == 2, WAIT); // the remaining route still hears the watch
        assertThat(emitted.get("late").get(1)).hasSize(2);
        assertThat(watches()).hasSize(1);
        assertThat(lists()).hasSize(1);

        camel.getRouteController().stopRoute("late");
        camel.getRouteController().startRoute("late");
        awaitTrue(() -> emitted.get("late").size() == 3, WAIT);
        assertThat(watches()).as("the last route stopped the informer; its restart lists and watches anew").hasSize(2);
        assertThat(lists()).hasSize(2);
    }

    /**
     * The node-local endpoint role: each agent keeps the endpoints on its node, labelled from their service, their
     * pod and their node, and re-emits when any of the three changes. It asks for the slices and services of the
     * cluster (no field names an endpoint's node), but only its own node's pods and its own node, and only lists and
     * watches: what the chart's rbac.discoveryRoles grants (list, watch) is enough.
     */
    @Test
    void aNodeLocalEndpointSliceRouteWatchesWhatItNeedsAndFollowsItsServiceAndPods() throws Exception {
        cluster.client.resource(new ServiceBuilder().withNewMetadata().withNamespace("shop").withName("web")
                .addToLabels("tier", "front").endMetadata()
                .withNewSpec().withType("ClusterIP").withClusterIP("10.43.0.10").addNewPort().withName("http").withPort(80)
                .endPort().endSpec().build()).create();
        cluster.client.resource(new EndpointSliceBuilder().withNewMetadata().withNamespace("shop").withName("web-abc")
                .addToLabels("kubernetes.io/service-name", "web").endMetadata()
                .withAddressType("IPv4")
                .addNewPort().withName("http").withPort(8080).withProtocol("TCP").endPort()
                .addNewEndpoint().withAddresses("10.0.1.1").withNodeName("node-a").withNewConditions().withReady(true)
                .endConditions().withNewTargetRef().withKind("Pod").withNamespace("shop").withName("web").endTargetRef()
                .endEndpoint()
                .addNewEndpoint().withAddresses("10.0.2.2").withNodeName("node-b").withNewConditions().withReady(true)
                .endConditions().withNewTargetRef().withKind("Pod").withNamespace("shop").withName("elsewhere").endTargetRef()
                .endEndpoint()
                .build()).create();
        requests.clear();

        startRoutes(List.of("k8s-discovery:endpointslice?nodeName={{NODE_NAME}}&attachNodeMetadata=true&debounce=50ms"));
        awaitTrue(() -> emitted.containsKey("r0"), WAIT);
        List<Target> first = emitted.get("r0").get(0);
        assertThat(first).extracting(Target::address).containsExactly("10.0.1.1:8080");
        Labels labels = first.get(0).labels();
        assertThat(labels.get("__meta_kubernetes_endpointslice_endpoint_node_name")).isEqualTo("node-a");
        assertThat(labels.get("__meta_kubernetes_service_label_tier")).isEqualTo("front");
        assertThat(labels.get("__meta_kubernetes_pod_name")).isEqualTo("web");
        assertThat(labels.get("__meta_kubernetes_node_name")).isEqualTo("node-a");
        assertThat(labels.get("__meta_kubernetes_node_label_kubernetes_io_hostname")).isEqualTo("node-a");

        assertThat(watches()).containsExactlyInAnyOrder(
                "GET /apis/discovery.k8s.io/v1/endpointslices",
                "GET /api/v1/services",
                "GET /api/v1/pods?fieldSelector=spec.nodeName=node-a",
                "GET /api/v1/nodes?fieldSelector=metadata.name=node-a");
        assertThat(lists()).containsExactlyInAnyOrderElementsOf(watches());
        assertThat(requests).allMatch(r -> r.startsWith("GET "), "only lists and watches");

        // a change of the service, of the pod or of the node alone re-labels the target
        cluster.client.services().inNamespace("shop").withName("web")
                .edit(s -> new ServiceBuilder(s).editMetadata().addToLabels("tier", "edge").endMetadata().build());
        awaitTrue(() -> "edge".equals(lastLabel("r0", "__meta_kubernetes_service_label_tier")), WAIT);
        cluster.client.pods().inNamespace("shop").withName("web")
                .edit(p -> new PodBuilder(p).editMetadata().addToLabels("app", "web").endMetadata().build());
        awaitTrue(() -> "web".equals(lastLabel("r0", "__meta_kubernetes_pod_label_app")), WAIT);
        cluster.client.nodes().withName("node-a")
                .edit(n -> new NodeBuilder(n).editMetadata().addToLabels("zone", "z1").endMetadata().build());
        awaitTrue(() -> "z1".equals(lastLabel("r0", "__meta_kubernetes_node_label_zone")), WAIT);
        assertThat(emitted.get("r0")).allSatisfy(list -> assertThat(list).hasSize(1));
    }

    private String lastLabel(String routeId, String name) {
        List<List<Target>> lists = emitted.get(routeId);
        List<Target> last = lists.get(lists.size() - 1);
        return last.isEmpty() ? null : last.get(0).labels().get(name);
    }

    private void startRoutes(List<String> uris) throws Exception {
        camel = new DefaultCamelContext();
        Properties properties = new Properties();
        properties.setProperty("NODE_NAME", "node-a");
        properties.setProperty(CaravanComponent.DATA_DIR_PROPERTY, Files.createTempDirectory("discovery-data").toString());
        camel.getPropertiesComponent().setInitialProperties(properties);
        camel.getRegistry().bind("kubernetesClient", cluster.client);
        for (int i = 0; i < uris.size(); i++) {
            camel.addRoutes(route("r" + i, uris.get(i)));
        }
        camel.start();
    }

    private RouteBuilder route(String id, String uri) {
        return new RouteBuilder() {
            @Override
            public void configure() {
                from(uri).routeId(id).process(e -> emitted.computeIfAbsent(id, k -> new CopyOnWriteArrayList<>())
                        .add(e.getMessage().getMandatoryBody(List.class)));
            }
        };
    }

    private KubernetesDiscoveryComponent component() {
        return camel.getComponent(KubernetesDiscoveryComponent.SCHEME, KubernetesDiscoveryComponent.class);
    }

    /** The discovery URIs of the shipped routes (src/main/resources/routes, templated ones filled in), placeholders and all. */
    static List<String> shippedDiscoveryUris() throws Exception {
        List<String> uris = new ArrayList<>();
        for (RouteDefinition route : ShippedRoutes.definitions()) {
            if (route.getInput().getEndpointUri().startsWith("k8s-discovery:")) {
                uris.add(route.getInput().getEndpointUri());
            }
        }
        return uris;
    }

    /** Watch requests, without the parameters that vary (resourceVersion, timeouts, bookmarks). */
    private List<String> watches() {
        return requests.stream().filter(r -> r.contains("watch=true")).map(SharedInformerTest::withoutVaryingParameters).toList();
    }

    private List<String> lists() {
        return requests.stream().filter(r -> r.startsWith("GET /api") && !r.contains("watch=true"))
                .map(SharedInformerTest::withoutVaryingParameters).toList();
    }

    private static String withoutVaryingParameters(String request) {
        int q = request.indexOf('?');
        if (q < 0) {
            return request;
        }
        List<String> kept = Stream.of(request.substring(q + 1).split("&")).filter(p -> p.startsWith("fieldSelector=")
                || p.startsWith("labelSelector=")).toList();
        return request.substring(0, q) + (kept.isEmpty() ? "" : "?" + String.join("&", kept));
    }
}

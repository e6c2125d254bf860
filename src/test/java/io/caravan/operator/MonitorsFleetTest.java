package io.caravan.operator;

import com.sun.net.httpserver.HttpServer;
import io.caravan.component.CaravanComponent;
import io.caravan.component.ComponentStatus;
import io.caravan.discovery.MockCluster;
import io.caravan.model.Labels;
import io.caravan.model.Sample;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A ServiceMonitor and a PodMonitor against fabric8's mock API server, read by two agents of one DaemonSet (node-a and
 * node-b): each agent makes the monitors' jobs, scrapes only the targets on its own node, and so each target is
 * scraped once; the operator's labels and the monitors' own rules are on the samples; a deleted monitor's jobs go.
 * The targets are two small /metrics servers on 127.0.0.1 and 127.0.0.2, standing for a pod on each node.
 */
class MonitorsFleetTest {

    static final ResourceDefinitionContext SERVICE_MONITORS = new ResourceDefinitionContext.Builder()
            .withGroup("monitoring.coreos.com").withVersion("v1").withKind("ServiceMonitor").withPlural("servicemonitors")
            .withNamespaced(true).build();
    static final ResourceDefinitionContext POD_MONITORS = new ResourceDefinitionContext.Builder()
            .withGroup("monitoring.coreos.com").withVersion("v1").withKind("PodMonitor").withPlural("podmonitors")
            .withNamespaced(true).build();

    @TempDir
    Path dataDir;
    MockCluster cluster;
    int port;
    final List<HttpServer> servers = new ArrayList<>();
    final Map<String, AtomicInteger> scrapes = Map.of("127.0.0.1", new AtomicInteger(), "127.0.0.2", new AtomicInteger(),
            "127.0.0.3", new AtomicInteger());
    final List<DefaultCamelContext> agents = new ArrayList<>();
    final List<String> probes = new CopyOnWriteArrayList<>();
    final List<String> watches = new CopyOnWriteArrayList<>();
    final Map<String, List<Sample>> samples = Map.of("node-a", new CopyOnWriteArrayList<>(), "node-b", new CopyOnWriteArrayList<>(),
            "leader", new CopyOnWriteArrayList<>());

    @BeforeEach
    void cluster() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        for (String ip : scrapes.keySet()) {
            HttpServer server = HttpServer.create(new InetSocketAddress(ip, port), 0);
            server.createContext("/metrics", ex -> {
                scrapes.get(ip).incrementAndGet();
                byte[] body = "# TYPE app_requests_total counter\napp_requests_total 7\ndrop_me 1\n".getBytes(StandardCharsets.UTF_8);
                ex.sendResponseHeaders(200, body.length);
                ex.getResponseBody().write(body);
                ex.close();
            });
            server.createContext("/probe", ex -> {
                probes.add(ex.getRequestURI().getQuery());
                byte[] body = "probe_success 1\n".getBytes(StandardCharsets.UTF_8);
                ex.sendResponseHeaders(200, body.length);
                ex.getResponseBody().write(body);
                ex.close();
            });
            server.start();
            servers.add(server);
        }
        cluster = new MockCluster(new io.caravan.discovery.FieldSelectingCrudDispatcher() {
            @Override
            public io.fabric8.mockwebserver.http.MockResponse dispatch(io.fabric8.mockwebserver.http.RecordedRequest request) {
                if (request.getPath().contains("watch=true")) {
                    String path = java.net.URLDecoder.decode(request.getPath(), StandardCharsets.UTF_8);
                    int q = path.indexOf('?');
                    String field = java.util.stream.Stream.of(path.substring(q + 1).split("&"))
                            .filter(p -> p.startsWith("fieldSelector=")).findFirst().map(p -> "?" + p).orElse("");
                    watches.add(path.substring(0, q) + field);
                }
                return super.dispatch(request);
            }
        }, 0);
        for (String node : List.of("node-a", "node-b")) {
            cluster.client.resource(new NodeBuilder().withNewMetadata().withName(node).endMetadata().build()).create();
        }
        pod("web-a", "node-a", "127.0.0.1");
        pod("web-b", "node-b", "127.0.0.2");
        cluster.client.resource(new ServiceBuilder().withNewMetadata().withNamespace("shop").withName("web")
                .addToLabels("app", "web").addToLabels("team", "checkout").endMetadata()
                .withNewSpec().addNewPort().withName("http-metrics").withPort(port).endPort().endSpec().build()).create();
        cluster.client.resource(new EndpointSliceBuilder().withNewMetadata().withNamespace("shop").withName("web-x")
                .addToLabels("kubernetes.io/service-name", "web").endMetadata().withAddressType("IPv4")
                .addNewPort().withName("http-metrics").withPort(port).withProtocol("TCP").endPort()
                .addNewEndpoint().withAddresses("127.0.0.1").withNodeName("node-a").withNewConditions().withReady(true).endConditions()
                .withNewTargetRef().withKind("Pod").withNamespace("shop").withName("web-a").endTargetRef().endEndpoint()
                .addNewEndpoint().withAddresses("127.0.0.2").withNodeName("node-b").withNewConditions().withReady(true).endConditions()
                .withNewTargetRef().withKind("Pod").withNamespace("shop").withName("web-b").endTargetRef().endEndpoint()
                .addNewEndpoint().withAddresses("127.0.0.3").withNewConditions().withReady(true).endConditions().endEndpoint()
                .build()).create();
    }

    @AfterEach
    void stop() {
        agents.forEach(DefaultCamelContext::stop);
        servers.forEach(s -> s.stop(0));
        cluster.close();
    }

    @Test
    void eachAgentScrapesTheServiceMonitorsTargetsOnItsOwnNodeWithTheOperatorsLabels() throws Exception {
        cluster.client.genericKubernetesResources(SERVICE_MONITORS).inNamespace("shop").resource(monitor("ServiceMonitor", "web",
                Map.of("selector", Map.of("matchLabels", Map.of("app", "web")),
                        "targetLabels", List.of("team"),
                        "endpoints", List.of(Map.of("port", "http-metrics", "interval", "1s", "scrapeTimeout", "500ms",
                                "relabelings", List.of(Map.of("targetLabel", "cluster_role", "replacement", "shop")),
                                "metricRelabelings", List.of(Map.of("sourceLabels", List.of("__name__"), "regex", "drop_me",
                                        "action", "drop"))))))).create();
        startAgent("node-a");
        startAgent("node-b");
        startAgent("leader", "kinds=servicemonitor,probe&nodeless=true"); // the elected agent's route: endpoints on no node

        awaitTrue(() -> hasSample("node-a", "app_requests_total") && hasSample("node-b", "app_requests_total")
                && hasSample("leader", "app_requests_total"));
        assertThat(samples.get("leader")).allMatch(s -> ("127.0.0.3:" + port).equals(s.labels().get("instance")));
        assertThat(samples.get("node-a")).noneMatch(s -> ("127.0.0.3:" + port).equals(s.labels().get("instance")));
        Labels a = sample("node-a", "app_requests_total").labels();
        assertThat(a.toMap()).containsEntry("job", "web") // the service's name, as the operator relabels it
                .containsEntry("namespace", "shop").containsEntry("service", "web").containsEntry("pod", "web-a")
                .containsEntry("container", "app").containsEntry("endpoint", "http-metrics").containsEntry("team", "checkout")
                .containsEntry("cluster_role", "shop").containsEntry("instance", "127.0.0.1:" + port);
        assertThat(samples.get("node-a")).allMatch(s -> !("127.0.0.2:" + port).equals(s.labels().get("instance"))
                && !"drop_me".equals(s.labels().get("__name__")));
        assertThat(samples.get("node-b")).allMatch(s -> !("127.0.0.1:" + port).equals(s.labels().get("instance")));
        assertThat(sample("node-b", "app_requests_total").labels().get("pod")).isEqualTo("web-b");
        // what the agents watch: the monitors (the leader's route: probes too), and per agent the monitored namespace's
        // slices and services and its own node's pods there (the leader's nodeless job: no pods)
        assertThat(new java.util.TreeSet<>(watches)).containsExactlyInAnyOrder(
                "/api/v1/namespaces/shop/pods?fieldSelector=spec.nodeName=node-a",
                "/api/v1/namespaces/shop/pods?fieldSelector=spec.nodeName=node-b",
                "/apis/monitoring.coreos.com/v1/probes",
                "/api/v1/namespaces/shop/services",
                "/apis/discovery.k8s.io/v1/namespaces/shop/endpointslices",
                "/apis/monitoring.coreos.com/v1/podmonitors",
                "/apis/monitoring.coreos.com/v1/servicemonitors");
        ComponentStatus status = agents.get(0).getComponent("k8s-monitors", MonitorsComponent.class).statuses().get(0);
        assertThat(status.items()).extracting(ComponentStatus.Item::id).containsExactly("serviceMonitor/shop/web/0");
        assertThat(status.health()).isEqualTo(ComponentStatus.Health.UP);

        cluster.client.genericKubernetesResources(SERVICE_MONITORS).inNamespace("shop").withName("web").delete();
        awaitTrue(() -> agents.stream().allMatch(c -> c.getRoute("servicemonitor-shop-web-0") == null));
    }

    @Test
    void aPodMonitorIsScrapedNodeLocallyAndOneThatNeedsASecretIsReportedNotScraped() throws Exception {
        cluster.client.genericKubernetesResources(POD_MONITORS).inNamespace("shop").resource(monitor("PodMonitor", "web-pods",
                Map.of("selector", Map.of("matchLabels", Map.of("app", "web")),
                        "podMetricsEndpoints", List.of(
                                Map.of("port", "http-metrics", "interval", "1s", "scrapeTimeout", "500ms"),
                                Map.of("port", "http-metrics", "basicAuth", Map.of("username", Map.of("name", "creds", "key", "user")))))))
                .create();
        startAgent("node-a");
        startAgent("node-b");

        awaitTrue(() -> hasSample("node-a", "app_requests_total") && hasSample("node-b", "app_requests_total"));
        assertThat(sample("node-a", "app_requests_total").labels().toMap()).containsEntry("job", "shop/web-pods")
                .containsEntry("pod", "web-a").containsEntry("endpoint", "http-metrics");
        assertThat(samples.get("node-a")).allMatch(s -> !("127.0.0.2:" + port).equals(s.labels().get("instance")));
        ComponentStatus status = agents.get(0).getComponent("k8s-monitors", MonitorsComponent.class).statuses().get(0);
        assertThat(status.health()).isEqualTo(ComponentStatus.Health.DEGRADED);
        assertThat(status.items()).filteredOn(i -> i.id().equals("podMonitor/shop/web-pods/1")).singleElement()
                .satisfies(i -> assertThat(i.lastError()).contains("needs basicAuth"));
    }

    /** A Probe's static targets, each sent to the prober with its module; run where the probes route runs (the leader). */
    @Test
    void aProbesStaticTargetsGoToTheProberEachAsTarget() throws Exception {
        ResourceDefinitionContext probesCtx = new ResourceDefinitionContext.Builder().withGroup("monitoring.coreos.com")
                .withVersion("v1").withKind("Probe").withPlural("probes").withNamespaced(true).build();
        cluster.client.genericKubernetesResources(probesCtx).inNamespace("shop").resource(monitor("Probe", "site",
                Map.of("jobName", "site-checks", "module", "http_2xx", "interval", "1s", "scrapeTimeout", "500ms",
                        "prober", Map.of("url", "127.0.0.1:" + port),
                        "targets", Map.of("staticConfig", Map.of("static", List.of("https://shop.example", "10.0.0.9:80"),
                                "labels", Map.of("env", "prod")))))).create();
        startAgent("node-a", "kinds=probe");

        awaitTrue(() -> samples.get("node-a").stream().filter(s -> "probe_success".equals(s.labels().get("__name__")))
                .map(s -> s.labels().get("instance")).distinct().count() == 2);
        Sample one = samples.get("node-a").stream().filter(s -> "probe_success".equals(s.labels().get("__name__"))
                && "https://shop.example".equals(s.labels().get("instance"))).findFirst().orElseThrow();
        assertThat(one.labels().toMap()).containsEntry("job", "site-checks").containsEntry("env", "prod")
                .containsEntry("namespace", "shop");
        assertThat(probes).anyMatch(q -> q.contains("module=http_2xx") && q.contains("target=https://shop.example"))
                .anyMatch(q -> q.contains("target=10.0.0.9:80"));
    }

    /** A bearer token from a Secret: not read unless the agent is allowed to, then presented to the target. */
    @Test
    void aTokenInASecretIsReadOnlyWhereAllowedAndThenPresented() throws Exception {
        HttpServer guarded = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        List<String> seen = new CopyOnWriteArrayList<>();
        guarded.createContext("/metrics", ex -> {
            seen.add(String.valueOf(ex.getRequestHeaders().getFirst("Authorization")));
            boolean ok = "Bearer s3cret".equals(ex.getRequestHeaders().getFirst("Authorization"));
            byte[] body = (ok ? "guarded_up 1\n" : "").getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(ok ? 200 : 401, body.length == 0 ? -1 : body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        guarded.start();
        servers.add(guarded);
        cluster.client.resource(new io.fabric8.kubernetes.api.model.SecretBuilder().withNewMetadata().withNamespace("shop")
                .withName("scrape-token").endMetadata().addToData("token", java.util.Base64.getEncoder()
                        .encodeToString("s3cret".getBytes(StandardCharsets.UTF_8))).build()).create();
        cluster.client.resource(new PodBuilder().withNewMetadata().withNamespace("shop").withName("guarded").addToLabels("app", "guarded")
                .endMetadata().withNewSpec().withNodeName("node-a").addNewContainer().withName("app").withImage("g:1")
                .addNewPort().withName("metrics").withContainerPort(guarded.getAddress().getPort()).endPort().endContainer().endSpec()
                .withNewStatus().withPhase("Running").withPodIP("127.0.0.1").endStatus().build()).create();
        cluster.client.genericKubernetesResources(POD_MONITORS).inNamespace("shop").resource(monitor("PodMonitor", "guarded",
                Map.of("selector", Map.of("matchLabels", Map.of("app", "guarded")),
                        "podMetricsEndpoints", List.of(Map.of("port", "metrics", "interval", "1s", "scrapeTimeout", "500ms",
                                "authorization", Map.of("credentials", Map.of("name", "scrape-token", "key", "token"))))))).create();

        startAgent("node-a", "kinds=podmonitor");
        awaitTrue(() -> !agents.get(0).getComponent("k8s-monitors", MonitorsComponent.class).statuses().get(0).items().isEmpty());
        ComponentStatus off = agents.get(0).getComponent("k8s-monitors", MonitorsComponent.class).statuses().get(0);
        assertThat(off.items()).filteredOn(i -> i.id().equals("podMonitor/shop/guarded/0")).singleElement()
                .satisfies(i -> assertThat(i.lastError()).contains("needs Secret shop/scrape-token key token")
                        .contains("reading Secrets and ConfigMaps is off").doesNotContain("s3cret"));
        agents.remove(0).stop();

        startAgent("node-a", "kinds=podmonitor&readSecrets=true");
        awaitTrue(() -> hasSample("node-a", "guarded_up"));
        assertThat(seen).contains("Bearer s3cret");
        Path token = dataDir.resolve("node-a/monitors/credentials/podmonitor-shop-guarded-0-bearerTokenFile");
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(java.nio.file.Files.getPosixFilePermissions(token)))
                .isEqualTo("rw-------");
    }

    private void startAgent(String node) throws Exception {
        startAgent(node, "kinds=servicemonitor,podmonitor");
    }

    private void startAgent(String node, String kinds) throws Exception {
        DefaultCamelContext camel = new DefaultCamelContext();
        camel.getPropertiesComponent().addInitialProperty(CaravanComponent.DATA_DIR_PROPERTY, dataDir.resolve(node).toString());
        camel.getRegistry().bind("kubernetesClient", cluster.client);
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                String local = node.startsWith("node-") ? "nodeName=" + node + "&" : "";
                from("k8s-monitors:operator?" + local + "debounce=100ms&" + kinds).routeId("monitors").to("log:monitors?level=OFF");
                from("direct:mimir").routeId("sink").process(e -> samples.get(node).addAll(e.getMessage().getMandatoryBody(List.class)));
            }
        });
        camel.start();
        agents.add(camel);
    }

    private void pod(String name, String node, String ip) {
        cluster.client.resource(new PodBuilder().withNewMetadata().withNamespace("shop").withName(name).addToLabels("app", "web")
                .endMetadata().withNewSpec().withNodeName(node).addNewContainer().withName("app").withImage("web:1")
                .addNewPort().withName("http-metrics").withContainerPort(port).withProtocol("TCP").endPort().endContainer().endSpec()
                .withNewStatus().withPhase("Running").withPodIP(ip).endStatus().build()).create();
    }

    private static GenericKubernetesResource monitor(String kind, String name, Map<String, Object> spec) {
        GenericKubernetesResource r = new GenericKubernetesResourceBuilder().withApiVersion("monitoring.coreos.com/v1")
                .withKind(kind).withNewMetadata().withNamespace("shop").withName(name).endMetadata().build();
        r.setAdditionalProperty("spec", spec);
        return r;
    }

    private boolean hasSample(String node, String name) {
        return samples.get(node).stream().anyMatch(s -> name.equals(s.labels().get("__name__")));
    }

    private Sample sample(String node, String name) {
        return samples.get(node).stream().filter(s -> name.equals(s.labels().get("__name__"))).findFirst().orElseThrow();
    }

    private static void awaitTrue(BooleanSupplier ok) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 20_000;
        while (!ok.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("not within 20 s");
            }
            Thread.sleep(50);
        }
    }
}

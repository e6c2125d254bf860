package io.caravan.logs.events;

import io.caravan.component.CaravanComponent;
import io.caravan.component.ComponentStatus;
import io.caravan.discovery.FieldSelectingCrudDispatcher;
import io.caravan.discovery.MockCluster;
import io.caravan.model.LogEntry;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/** k8s-events: against fabric8's mock API server: the first list, the watch, a restart, a watch the server cannot resume. */
class KubernetesEventsTest {

    private static final Duration WAIT = Duration.ofSeconds(15);
    private static final String URI = "k8s-events:events?batchWait=20ms";

    @TempDir
    Path dataDir;
    private final AtomicReference<String> goneFor = new AtomicReference<>(); // a watch from this resourceVersion gets 410
    private MockCluster cluster;
    private DefaultCamelContext camel;
    private final List<LogEntry> received = new CopyOnWriteArrayList<>();

    @BeforeEach
    void startCluster() {
        cluster = new MockCluster(new FieldSelectingCrudDispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                String path = URLDecoder.decode(request.getPath(), StandardCharsets.UTF_8);
                String stale = goneFor.get();
                if (stale != null && path.contains("/events?") && path.contains("watch=true")
                        && path.contains("resourceVersion=" + stale + "&")) {
                    return new MockResponse().setResponseCode(410).setBody("{\"kind\":\"Status\",\"apiVersion\":\"v1\","
                            + "\"status\":\"Failure\",\"reason\":\"Expired\",\"code\":410,\"message\":\"too old resource version\"}");
                }
                return super.dispatch(request);
            }
        }, 0);
    }

    @AfterEach
    void stop() {
        if (camel != null) {
            camel.stop();
        }
        cluster.close();
    }

    @Test
    void theFirstStartSendsWhatTheServerHoldsThenEachNewOrChangedEventOnce() throws Exception {
        create(event("web-1.a", "shop", "web-1", "Pulled", 1));
        create(event("api-1.a", "ops", "api-1", "Started", 1));
        start(URI);
        awaitTrue(() -> received.size() == 2);
        assertThat(messages()).containsExactlyInAnyOrder("Pulled web-1", "Started api-1");
        assertThat(received).extracting(e -> e.labels().get("namespace")).containsExactlyInAnyOrder("shop", "ops");

        create(event("web-1.b", "shop", "web-1", "BackOff", 1));
        cluster.client.v1().events().inNamespace("shop").withName("web-1.a")
                .edit(e -> new EventBuilder(e).withCount(2).withLastTimestamp("2024-03-01T10:01:00Z").build());
        awaitTrue(() -> received.size() == 4);
        assertThat(received.get(2).line()).contains("reason=BackOff");
        assertThat(received.get(3).line()).contains("reason=Pulled").contains("count=2");
        String cursor = statusDetail("resourceVersion");
        assertThat(Files.readString(dataDir.resolve("positions/k8s-events-events.json"))).contains("\"\":\"" + cursor + "\"");
        ComponentStatus status = camel.getComponent("k8s-events", KubernetesEventsComponent.class).statuses().get(0);
        assertThat(status.health()).isEqualTo(ComponentStatus.Health.UP);
        assertThat(status.items().get(0).details()).containsEntry("delivered", 4L);
    }

    @Test
    void aRestartSendsOnlyWhatCameMeanwhile() throws Exception {
        create(event("web-1.a", "shop", "web-1", "Pulled", 1));
        start(URI);
        awaitTrue(() -> received.size() == 1);
        camel.stop();
        create(event("web-1.b", "shop", "web-1", "Created", 1));
        create(event("web-1.c", "shop", "web-1", "Started", 1));
        received.clear();

        start(URI);
        awaitTrue(() -> received.size() == 2);
        Thread.sleep(500); // nothing more comes: the watch's replay of what the server holds is filtered by the cursor
        assertThat(messages()).containsExactly("Created web-1", "Started web-1");
    }

    @Test
    void aWatchTheServerCannotResumeIsReplacedByAListAndNothingIsSkippedOrRepeated() throws Exception {
        create(event("web-1.a", "shop", "web-1", "Pulled", 1));
        start(URI);
        awaitTrue(() -> received.size() == 1);
        camel.stop();
        String cursor = Files.readString(dataDir.resolve("positions/k8s-events-events.json")).replaceAll("\\D", "");
        goneFor.set(cursor); // as if the events after it had left the API server's watch window
        create(event("web-1.b", "shop", "web-1", "Created", 1));
        received.clear();

        start(URI);
        awaitTrue(() -> received.size() == 1);
        create(event("web-1.c", "shop", "web-1", "Started", 1));
        awaitTrue(() -> received.size() == 2);
        Thread.sleep(300);
        assertThat(messages()).containsExactly("Created web-1", "Started web-1");
    }

    @Test
    void badOptionsAreRefusedNamingTheOption() {
        DefaultCamelContext c = new DefaultCamelContext();
        for (String[] bad : new String[][]{
                {"k8s-events:events?logFormat=yaml", "logFormat 'yaml' is not logfmt or json"},
                {"k8s-events:Events", "the name must be lower-case letters"},
                {"k8s-events:events?cursorLease=lease-without-namespace", "is not NAMESPACE/NAME"}}) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> c.getEndpoint(bad[0]))
                    .hasStackTraceContaining(bad[1]);
        }
    }

    private void start(String uri) throws Exception {
        camel = new DefaultCamelContext();
        camel.getPropertiesComponent().addInitialProperty(CaravanComponent.DATA_DIR_PROPERTY, dataDir.toString());
        camel.getRegistry().bind("kubernetesClient", cluster.client);
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(uri).routeId("events").process(e -> received.addAll(e.getMessage().getMandatoryBody(List.class)));
            }
        });
        camel.start();
    }

    private String statusDetail(String key) {
        ComponentStatus s = camel.getComponent("k8s-events", KubernetesEventsComponent.class).statuses().get(0);
        return String.valueOf(s.items().get(0).details().get(key));
    }

    private List<String> messages() {
        return received.stream().map(e -> e.line().replaceAll(".*reason=(\\S+).*msg=\"([^\"]*)\".*", "$1 $2")
                .replaceAll("^(\\S+) \\S+ (\\S+)$", "$1 $2")).toList();
    }

    static Event event(String name, String namespace, String pod, String reason, int count) {
        return new EventBuilder().withNewMetadata().withNamespace(namespace).withName(name).endMetadata()
                .withNewInvolvedObject().withKind("Pod").withNamespace(namespace).withName(pod).endInvolvedObject()
                .withReason(reason).withType("Normal").withCount(count).withLastTimestamp("2024-03-01T10:00:00Z")
                .withMessage(reason + " " + pod).build();
    }

    private void create(Event e) {
        KubernetesClient c = cluster.client;
        c.resource(e).create();
    }

    private static void awaitTrue(BooleanSupplier ok) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!ok.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + WAIT);
            }
            Thread.sleep(20);
        }
    }
}

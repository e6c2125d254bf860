package io.caravan.logs.pods;

import io.caravan.logs.LogRoute;
import io.caravan.model.Labels;
import io.caravan.model.LogEntry;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static io.caravan.logs.pods.CriParserTest.nanos;
import static io.caravan.logs.pods.PodLogsFilesTest.target;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * mode=api against fabric8's mock API server (expectations): each expectation is one connection's body, after
 * which the server closes the stream, as the API does when the kubelet ends a follow. sinceTime has whole
 * seconds, so a reconnect replays lines that were delivered; they must not come twice, and new lines at the
 * same instant must not be skipped.
 */
class PodLogsApiTest {

    static final Duration WAIT = Duration.ofSeconds(10);
    static final String LOG = "/api/v1/namespaces/shop/pods/web-1/log?pretty=false&container=web";
    static final String FOLLOW = "&timestamps=true&follow=true";

    @TempDir
    Path dir;
    KubernetesMockServer server;
    KubernetesClient client;

    @BeforeEach
    void start() {
        server = new KubernetesMockServer(false);
        server.init();
        client = new KubernetesClientBuilder().withConfig(new ConfigBuilder(Config.empty()).withMasterUrl(server.url("/"))
                .withRequestRetryBackoffLimit(0).build()).build();
    }

    @AfterEach
    void stop() {
        client.close();
        server.destroy();
    }

    LogRoute route(LogRoute.Hook hook) throws Exception {
        LogRoute r = new LogRoute(hook, "pod-logs:api");
        r.camel.getRegistry().bind("kubernetesClient", client);
        r.camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:targets").to("pod-logs:api?mode=api&dataDir=" + dir + "&pollInterval=20ms&retryInterval=20ms");
            }
        });
        r.start();
        r.camel.createProducerTemplate().sendBody("direct:targets", List.of(target("shop", "web-1", "u-1", "web", "8080")));
        return r;
    }

    static String body(String... lines) {
        return String.join("\n", lines) + "\n";
    }

    List<String> requests() throws InterruptedException {
        List<String> out = new ArrayList<>();
        int n = server.getRequestCount();
        for (int i = 0; i < n; i++) {
            String p = server.takeRequest().getPath();
            if (p.contains("/log")) {
                out.add(p);
            }
        }
        return out;
    }

    @Test
    void reconnectsAfterTheStreamEndsWithoutDuplicatesOrGaps() throws Exception {
        server.expect().get().withPath(LOG + FOLLOW).andReturn(200, body(
                "2024-01-01T00:00:00.1Z first",
                "2024-01-01T00:00:01.5Z at one and a half",
                "2024-01-01T00:00:01.5Z also at one and a half",
                "2024-01-01T00:00:02Z same",
                "2024-01-01T00:00:02Z same")).once();
        server.expect().get().withPath(LOG + "&sinceTime=2024-01-01T00:00:02Z" + FOLLOW).andReturn(200, body(
                "2024-01-01T00:00:02Z same",   // replayed
                "2024-01-01T00:00:02Z same",   // replayed
                "2024-01-01T00:00:02Z same",   // a third one, new: written after the stream closed
                "2024-01-01T00:00:03.25Z next")).once();
        server.expect().get().withPath(LOG + "&sinceTime=2024-01-01T00:00:03Z" + FOLLOW).andReturn(200, body(
                "2024-01-01T00:00:03.25Z next")).always();
        try (LogRoute r = route(null)) {
            List<LogEntry> got = r.entries(7, WAIT);
            assertThat(got).extracting(LogEntry::line).containsExactly("first", "at one and a half", "also at one and a half",
                    "same", "same", "same", "next");
            assertThat(got.get(0).timestampNanos()).isEqualTo(nanos("2024-01-01T00:00:00.1Z"));
            assertThat(got.get(6).timestampNanos()).isEqualTo(nanos("2024-01-01T00:00:03.25Z"));
            assertThat(got.get(0).labels()).isEqualTo(Labels.of("namespace", "shop", "pod", "web-1", "container", "web",
                    "node", "node-a", "app", "web"));
            r.quietFor(Duration.ofMillis(300)); // several more reconnects, each replaying "next": nothing new
            assertThat(r.camel.getComponent("pod-logs", PodLogsComponent.class).statuses().get(0).items())
                    .singleElement().satisfies(f -> assertThat(f.state()).contains("connections"));
        }
        // the agent restarts: it goes on from the stored timestamp, and the replay is skipped again
        int before = requests().size();
        try (LogRoute r = route(null)) {
            r.quietFor(Duration.ofMillis(300));
            List<String> after = requests();
            assertThat(after).isNotEmpty().allSatisfy(p -> assertThat(p).contains("sinceTime=2024-01-01T00:00:03Z"));
            assertThat(before).isGreaterThanOrEqualTo(3);
        }
    }

    @Test
    void aFailedBatchIsFetchedAgainAndDeliveredOnce() throws Exception {
        server.expect().get().withPath(LOG + FOLLOW).andReturn(200, body(
                "2024-01-01T00:00:00.1Z one", "2024-01-01T00:00:00.2Z two")).always();
        server.expect().get().withPath(LOG + "&sinceTime=2024-01-01T00:00:00Z" + FOLLOW).andReturn(200, body(
                "2024-01-01T00:00:00.1Z one", "2024-01-01T00:00:00.2Z two", "2024-01-01T00:00:00.3Z three")).always();
        AtomicInteger calls = new AtomicInteger();
        try (LogRoute r = route(batch -> {
            if (calls.incrementAndGet() <= 2) {
                throw new IllegalStateException("sink down");
            }
        })) {
            assertThat(r.lines(3, WAIT)).containsExactly("one", "two", "three");
            r.quietFor(Duration.ofMillis(300));
            assertThat(r.counter("caravan_logs_errors", "name", "api", "reason", "route_failed")).isEqualTo(1);
        }
    }

    @Test
    void seenLinesSurviveTheirEncoding() {
        SeenLines s = new SeenLines();
        assertThat(s.accept(10, "a")).isTrue();
        assertThat(s.accept(10, "a")).isTrue();
        assertThat(s.accept(10, "b")).isTrue();
        SeenLines back = SeenLines.decode(s.lastTimestamp(), s.encode());
        back.newConnection();
        assertThat(back.accept(9, "old")).isFalse();
        assertThat(back.accept(10, "a")).isFalse();
        assertThat(back.accept(10, "b")).isFalse();
        assertThat(back.accept(10, "a")).isFalse();
        assertThat(back.accept(10, "a")).isTrue(); // a third "a": new
        assertThat(back.accept(11, "a")).isTrue();
    }
}

package io.caravan.ui;

import io.caravan.component.ComponentStatus;
import io.caravan.component.ComponentStatus.Health;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** A route is DEGRADED, with the reason, by each of the three rules; UP otherwise. */
class RouteHealthTest {

    // the seed's shape: discovery -> relabel -> scrape:pods, scrape:pods -> direct:mimir, direct:mimir -> remote-write:mimir
    static final List<RouteHealth.Ends> ROUTES = List.of(
            new RouteHealth.Ends("pod-metrics", "k8s-discovery://pod?nodeName=n1",
                    List.of("relabel:pod-metrics?rules=x.yaml", "scrape:pod-metrics?interval={{SCRAPE_INTERVAL:30s}}&jobName=pod_metrics")),
            new RouteHealth.Ends("pod-metrics-samples", "scrape://pod-metrics", List.of("direct:mimir")),
            new RouteHealth.Ends("sink-mimir", "direct://mimir", List.of("remote-write:mimir?url=RAW(http://m)")),
            new RouteHealth.Ends("blackbox", "master:blackbox:static-targets:blackbox?file=t.yaml", List.of("scrape:blackbox?metricsPath=/probe")));

    static ComponentStatus.Item target(String state, Boolean probeSuccess) {
        Map<String, Object> details = probeSuccess == null ? Map.of("lastSamples", 1) : Map.of("lastSamples", 1, "probeSuccess", probeSuccess);
        return new ComponentStatus.Item("http://h/metrics", Map.of("job", "j"), state, state.equals("DOWN") ? "boom" : null, details);
    }

    static ComponentStatus job(String name, List<ComponentStatus.Item> items) {
        return new ComponentStatus("scrape", name, "scrape://" + name, Health.UP, "ok", items, null, null, null, Map.of());
    }

    static ComponentStatus sink(long queued) {
        return new ComponentStatus("remote-write", "mimir", "remote-write:mimir?url=http://m", Health.DEGRADED, "retrying", List.of(),
                new ComponentStatus.Queue(queued, queued * 100, 0), "503", null, Map.of());
    }

    @Test
    void everyRouteIsUpWhenTargetsAreUpProbesSucceedAndNoQueueGrows() {
        List<ComponentStatus> statuses = List.of(
                job("pod-metrics", List.of(target("UP", null), target("PENDING", null))),
                job("blackbox", List.of(target("UP", true))),
                sink(10));
        Map<String, RouteHealth> health = RouteHealth.of(ROUTES, statuses, new QueueTrend());
        assertThat(health).containsOnlyKeys("pod-metrics", "pod-metrics-samples", "sink-mimir", "blackbox");
        assertThat(health.values()).allSatisfy(h -> {
            assertThat(h.health()).isEqualTo("UP");
            assertThat(h.reasons()).isEmpty();
        });
    }

    @Test
    void targetsDownDegradeTheRouteThatSendsTheJobItsTargets() {
        List<ComponentStatus.Item> nine = new java.util.ArrayList<>();
        for (int i = 0; i < 9; i++) {
            nine.add(target(i < 6 ? "DOWN" : "UP", null));
        }
        Map<String, RouteHealth> health = RouteHealth.of(ROUTES, List.of(job("pod-metrics", nine)), new QueueTrend());
        assertThat(health.get("pod-metrics").health()).isEqualTo("DEGRADED");
        assertThat(health.get("pod-metrics").reasons()).containsExactly("6/9 targets down");
        assertThat(health.get("pod-metrics-samples").degraded()).as("the route reading the samples drives nothing down").isFalse();
    }

    @Test
    void failingProbesDegradeTheProbeRouteThoughEveryTargetIsUp() {
        List<ComponentStatus> statuses = List.of(job("blackbox", List.of(target("UP", true), target("UP", false), target("UP", false),
                target("UP", true), target("UP", true))));
        RouteHealth blackbox = RouteHealth.of(ROUTES, statuses, new QueueTrend()).get("blackbox");
        assertThat(blackbox.health()).isEqualTo("DEGRADED");
        assertThat(blackbox.reasons()).containsExactly("2/5 probes failing (probe_success 0)");
    }

    @Test
    void aProbeTargetDownCountsAsDownNotAsAFailingProbe() {
        // the exporter itself did not answer: no probe_success was read
        RouteHealth blackbox = RouteHealth.of(ROUTES, List.of(job("blackbox", List.of(target("DOWN", null), target("UP", true)))),
                new QueueTrend()).get("blackbox");
        assertThat(blackbox.reasons()).containsExactly("1/2 targets down");
    }

    @Test
    void aGrowingQueueDegradesTheSinkRoute() {
        QueueTrend trend = new QueueTrend();
        long[] entries = {3_000, 4_000, 5_500, 7_000, 9_000, 10_500, 12_000};
        for (int i = 0; i < entries.length; i++) {
            trend.observe("remote-write:mimir", entries[i], i * QueueTrend.PERIOD_MS);
        }
        Map<String, RouteHealth> health = RouteHealth.of(ROUTES, List.of(sink(12_000)), trend);
        assertThat(health.get("sink-mimir").reasons()).containsExactly("queue growing: 12,000 entries (+9,000 in 60 s)");
        assertThat(health.get("pod-metrics-samples").degraded()).as("only the route writing to the sink").isFalse();
    }

    @Test
    void aRetryingSinkWhoseQueueDoesNotGrowIsNotDegradedByThisRule() {
        Map<String, RouteHealth> health = RouteHealth.of(ROUTES, List.of(sink(12_000)), new QueueTrend());
        assertThat(health.get("sink-mimir").degraded()).isFalse();
    }

    @Test
    void aSourceNoRouteSendsToBelongsToTheRouteReadingIt() {
        ComponentStatus source = new ComponentStatus("scrape", "pod-metrics", "scrape://pod-metrics", Health.DOWN, "down",
                List.of(target("DOWN", null)), null, null, null, Map.of());
        List<RouteHealth.Ends> onlyReader = List.of(new RouteHealth.Ends("reader", "scrape://pod-metrics", List.of("direct:mimir")));
        assertThat(RouteHealth.of(onlyReader, List.of(source), new QueueTrend()).get("reader").reasons()).containsExactly("1/1 targets down");
    }

    @Test
    void endpointKeysLinkUrisAsTheGraphDoes() {
        assertThat(RouteHealth.key("scrape://cnpg?interval=30s")).isEqualTo("scrape:cnpg");
        assertThat(RouteHealth.key("scrape:cnpg")).isEqualTo("scrape:cnpg");
        assertThat(RouteHealth.key("master:blackbox:static-targets:blackbox?file=x")).isEqualTo("static-targets:blackbox");
        assertThat(RouteHealth.key(sink(1))).isEqualTo("remote-write:mimir");
    }
}

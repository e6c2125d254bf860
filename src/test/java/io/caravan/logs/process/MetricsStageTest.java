package io.caravan.logs.process;

import io.caravan.model.Labels;
import io.caravan.model.LogEntry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.boot.actuate.metrics.export.prometheus.PrometheusOutputFormat;
import org.springframework.boot.actuate.metrics.export.prometheus.PrometheusScrapeEndpoint;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * metrics: Alloy's documented examples and the rules its docs state, as a stage file, the entries through it, time
 * passing, and the exact lines of the Prometheus exposition that are the stage's (the agent's own meters left out).
 * Its arguments are in {@link StageArgsTest}.
 */
class MetricsStageTest {

    static final Labels A = Labels.of("app", "a");
    static final Labels B = Labels.of("app", "b");

    static LogEntry in(Labels labels, String line) {
        return new LogEntry(labels, 1, line);
    }

    static Stream<Arguments> cases() {
        return Stream.of(
                arguments("docs: match_all counts every entry, per label set", """
                                - metrics:
                                    metric:
                                      - counter: {name: log_lines_total, description: total number of log lines,
                                                  prefix: my_custom_tracking_, match_all: true, action: inc, max_idle_duration: 24h}""",
                        List.of(in(A, "x"), in(B, "y"), in(A, "z")), Duration.ZERO, List.of(
                                "# HELP my_custom_tracking_log_lines_total total number of log lines",
                                "# TYPE my_custom_tracking_log_lines_total counter",
                                "my_custom_tracking_log_lines_total{app=\"a\"} 2.0",
                                "my_custom_tracking_log_lines_total{app=\"b\"} 1.0")),
                arguments("docs: count_entry_bytes adds the lines' bytes (UTF-8)", """
                                - metrics:
                                    metric:
                                      - counter: {name: log_bytes_total, description: total bytes of log lines,
                                                  prefix: my_custom_tracking_, match_all: true, count_entry_bytes: true, action: add}""",
                        List.of(in(A, "abc"), in(A, "héllo")), Duration.ZERO, List.of(
                                "# HELP my_custom_tracking_log_bytes_total total bytes of log lines",
                                "# TYPE my_custom_tracking_log_bytes_total counter",
                                "my_custom_tracking_log_bytes_total{app=\"a\"} 9.0")),
                arguments("docs: counters with value count only the entries whose source equals it", """
                                - regex: {expression: '^.* order_status=(?P<order_status>.*?) .*$'}
                                - metrics:
                                    metric:
                                      - counter: {name: successful_orders_total, description: successful orders,
                                                  source: order_status, value: success, action: inc}
                                      - counter: {name: failed_orders_total, description: failed orders,
                                                  source: order_status, value: fail, action: inc}""",
                        List.of(in(A, "t order_status=success id=1"), in(A, "t order_status=fail id=2"),
                                in(A, "t order_status=success id=3"), in(A, "no status here")), Duration.ZERO, List.of(
                                "# HELP loki_process_custom_failed_orders_total failed orders",
                                "# TYPE loki_process_custom_failed_orders_total counter",
                                "loki_process_custom_failed_orders_total{app=\"a\"} 1.0",
                                "# HELP loki_process_custom_successful_orders_total successful orders",
                                "# TYPE loki_process_custom_successful_orders_total counter",
                                "loki_process_custom_successful_orders_total{app=\"a\"} 2.0")),
                arguments("docs: a gauge adds the extracted number (a _total name: Alloy's series name, TYPE counter)", """
                                - regex: {expression: '^.* retries=(?P<retries>\\d+) .*$'}
                                - metrics: {metric: {gauge: {name: retries_total, description: total_retries, source: retries, action: add}}}""",
                        List.of(in(A, "x retries=3 y"), in(A, "x retries=2 y")), Duration.ZERO, List.of(
                                "# HELP loki_process_custom_retries_total total_retries",
                                "# TYPE loki_process_custom_retries_total counter",
                                "loki_process_custom_retries_total{app=\"a\"} 5.0")),
                arguments("docs: a histogram puts numbers and durations in its buckets", """
                                - regex: {expression: 'took=(?P<response_time>\\S+)'}
                                - metrics:
                                    metric:
                                      - histogram: {name: http_response_time_seconds, description: recorded response times,
                                                    source: response_time, buckets: [0.001, 0.0025, 0.005, 0.010, 0.025, 0.050]}""",
                        List.of(in(A, "took=0.002"), in(A, "took=2ms"), in(A, "took=0.04"), in(A, "took=1"), in(A, "took=slow")),
                        Duration.ZERO, List.of(
                                "# HELP loki_process_custom_http_response_time_seconds recorded response times",
                                "# TYPE loki_process_custom_http_response_time_seconds histogram",
                                "loki_process_custom_http_response_time_seconds_bucket{app=\"a\",le=\"0.001\"} 0",
                                "loki_process_custom_http_response_time_seconds_bucket{app=\"a\",le=\"0.0025\"} 2",
                                "loki_process_custom_http_response_time_seconds_bucket{app=\"a\",le=\"0.005\"} 2",
                                "loki_process_custom_http_response_time_seconds_bucket{app=\"a\",le=\"0.01\"} 2",
                                "loki_process_custom_http_response_time_seconds_bucket{app=\"a\",le=\"0.025\"} 2",
                                "loki_process_custom_http_response_time_seconds_bucket{app=\"a\",le=\"0.05\"} 3",
                                "loki_process_custom_http_response_time_seconds_bucket{app=\"a\",le=\"+Inf\"} 4",
                                "loki_process_custom_http_response_time_seconds_count{app=\"a\"} 4",
                                "loki_process_custom_http_response_time_seconds_sum{app=\"a\"} 1.044")),
                arguments("gauge actions: set, inc, dec, sub; source defaults to the name", """
                                - json: {expressions: {queue: queue, level: level}}
                                - metrics:
                                    metric:
                                      - gauge: {name: queue, action: set}
                                      - gauge: {name: warnings, source: level, value: warn, action: inc}
                                      - gauge: {name: healthy, source: level, value: ok, action: dec}
                                      - gauge: {name: drained, source: queue, action: sub}""",
                        List.of(in(A, "{\"queue\": 7, \"level\": \"warn\"}"), in(A, "{\"queue\": 4, \"level\": \"warn\"}"),
                                in(A, "{\"level\": \"ok\"}")), Duration.ZERO, List.of(
                                "# TYPE loki_process_custom_drained gauge",
                                "loki_process_custom_drained{app=\"a\"} -11.0",
                                "# TYPE loki_process_custom_healthy gauge",
                                "loki_process_custom_healthy{app=\"a\"} -1.0",
                                "# TYPE loki_process_custom_queue gauge",
                                "loki_process_custom_queue{app=\"a\"} 4.0",
                                "# TYPE loki_process_custom_warnings gauge",
                                "loki_process_custom_warnings{app=\"a\"} 2.0")),
                arguments("counter add: numbers, Go durations in seconds, booleans; nothing for negatives or text", """
                                - json: {expressions: {cost: cost}}
                                - metrics: {metric: {counter: {name: cost_seconds_total, source: cost, action: add}}}""",
                        List.of(in(A, "{\"cost\": 2}"), in(A, "{\"cost\": \"1.5s\"}"), in(A, "{\"cost\": \"250ms\"}"),
                                in(A, "{\"cost\": true}"), in(A, "{\"cost\": -4}"), in(A, "{\"cost\": \"lots\"}"),
                                in(A, "{\"cost\": null}")), Duration.ZERO, List.of(
                                "# TYPE loki_process_custom_cost_seconds_total counter",
                                "loki_process_custom_cost_seconds_total{app=\"a\"} 4.75")),
                arguments("a counter named without _total keeps its name (untyped), as Alloy's exposition shows it", """
                                - metrics: {metric: {counter: {name: lines, match_all: true, action: inc}}}""",
                        List.of(in(A, "x")), Duration.ZERO, List.of(
                                "# TYPE loki_process_custom_lines untyped",
                                "loki_process_custom_lines{app=\"a\"} 1.0")),
                arguments("series carry the labels at the stage, reserved and invalid names left out", """
                                - static_labels: {values: {level: error}}
                                - metrics: {metric: {counter: {name: lines_total, match_all: true, action: inc}}}""",
                        List.of(in(Labels.of("app", "a", "__path__", "/x"), "x")), Duration.ZERO, List.of(
                                "# TYPE loki_process_custom_lines_total counter",
                                "loki_process_custom_lines_total{app=\"a\",level=\"error\"} 1.0")),
                arguments("a missing source changes nothing: no series at all", """
                                - metrics: {metric: {counter: {name: bytes_total, source: size, action: add}}}""",
                        List.of(in(A, "x")), Duration.ZERO, List.of()),
                arguments("max_idle_duration: a series still there just before it", """
                                - metrics: {metric: {counter: {name: lines_total, match_all: true, action: inc, max_idle_duration: 1m}}}""",
                        List.of(in(A, "x")), Duration.ofSeconds(59), List.of(
                                "# TYPE loki_process_custom_lines_total counter",
                                "loki_process_custom_lines_total{app=\"a\"} 1.0")),
                arguments("max_idle_duration (5m by default): an idle series is removed", """
                                - metrics: {metric: {counter: {name: lines_total, match_all: true, action: inc}}}""",
                        List.of(in(A, "x")), Duration.ofMinutes(5), List.of()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void exports_alloys_metrics(String name, String yaml, List<LogEntry> entries, Duration idle, List<String> expected) {
        AtomicLong clock = new AtomicLong();
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        CustomMetrics.in(registry.getPrometheusRegistry(), clock::get);
        Pipeline pipeline = Pipeline.parse(yaml, "t.yaml", "test", registry);

        assertThat(pipeline.process(entries)).as("every entry passes, its line unchanged").extracting(LogEntry::line)
                .containsExactlyElementsOf(entries.stream().map(LogEntry::line).toList());
        clock.addAndGet(idle.toNanos());
        assertThat(stageLines(registry.scrape())).containsExactlyElementsOf(expected);
    }

    @Test
    void actuator_prometheus_shows_them_next_to_the_agents_own_meters() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        Pipeline pipeline = Pipeline.parse("""
                - metrics: {metric: {counter: {name: log_lines_total, description: lines, match_all: true, action: inc}}}
                - drop: {expression: drop-me}""", "t.yaml", "test", registry);
        pipeline.process(List.of(in(A, "x"), in(B, "drop-me")));

        // what /actuator/prometheus answers: Spring Boot's endpoint over the registry's Prometheus registry
        PrometheusScrapeEndpoint endpoint = new PrometheusScrapeEndpoint(registry.getPrometheusRegistry(), new Properties());
        String text = new String(endpoint.scrape(PrometheusOutputFormat.CONTENT_TYPE_004, null).getBody(), StandardCharsets.UTF_8);

        assertThat(text).contains("""
                # HELP loki_process_custom_log_lines_total lines
                # TYPE loki_process_custom_log_lines_total counter
                loki_process_custom_log_lines_total{app="a"} 1.0
                loki_process_custom_log_lines_total{app="b"} 1.0
                """);
        assertThat(text).contains("caravan_logs_dropped_entries_total{reason=\"drop_stage\"} 1.0");
    }

    @Test
    void a_name_defined_twice_must_be_defined_alike() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        Pipeline.parse("- metrics: {metric: {counter: {name: hits_total, match_all: true, action: inc}}}", "a.yaml", "a", registry);
        Pipeline.parse("- metrics: {metric: {counter: {name: hits_total, action: add}}}", "b.yaml", "b", registry);
        assertThatThrownBy(() -> Pipeline.parse("- metrics: {metric: {gauge: {name: hits_total, action: set}}}", "c.yaml", "c", registry))
                .isInstanceOf(PipelineConfigException.class)
                .hasMessage("stage metrics in pipeline 'c': metric 'loki_process_custom_hits_total' is already defined (by this or "
                        + "another stage file) as a counter idle after 300s; define it alike everywhere, or give it another name");
    }

    /** The exposition's lines about the stage's metrics: everything but the agent's own caravan_ meters. */
    private static List<String> stageLines(String exposition) {
        return Arrays.stream(exposition.split("\n")).filter(l -> !l.isBlank() && !l.contains("caravan_")).toList();
    }
}

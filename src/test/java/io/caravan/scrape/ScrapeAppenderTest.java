package io.caravan.scrape;

import io.caravan.model.Exemplar;
import io.caravan.model.Labels;
import io.caravan.model.MetricMetadata;
import io.caravan.model.NativeHistogram;
import io.caravan.model.Sample;
import io.caravan.model.Target;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** The appender on bodies handed to it directly: no HTTP, no schedule, one target's series across scrapes. */
class ScrapeAppenderTest {

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final ScrapeSettings settings = new ScrapeSettings("test", 1000, 800, "http", "/metrics", false, true, 3,
            1 << 20, 7_200_000, true, Labels.EMPTY, null);
    private final ScrapeTarget target = target();
    private final ScrapeAppender appender = new ScrapeAppender(target, new ScrapeMetrics(meters));

    private ScrapeTarget target() {
        try {
            return ScrapeTarget.of(Target.of("__address__", "h:1", "team", "core"), settings);
        } catch (ScrapeTarget.Invalid e) {
            throw new AssertionError(e);
        }
    }

    private ScrapeAppender.Outcome append(String body) {
        return appender.append(settings, System.currentTimeMillis(), System.nanoTime(),
                new Fetched(body.getBytes(StandardCharsets.UTF_8), "text/plain; version=0.0.4"), null);
    }

    private static Optional<Sample> find(List<Sample> samples, String name) {
        return samples.stream().filter(s -> s.metricName().equals(name)).findFirst();
    }

    private static double value(List<Sample> samples, String name) {
        return find(samples, name).orElseThrow(() -> new AssertionError(name + " not in " + samples)).value();
    }

    private double counted(String meter, String reason) {
        var c = meters.find(meter).tags("job", "test", "reason", reason).counter();
        return c == null ? 0 : c.count();
    }

    @Test
    void aBodyBecomesSamplesWithTargetLabelsAndReportSeriesAndAVanishedSeriesGoesStale() {
        ScrapeAppender.Outcome first = append("a 1\nb{job=\"exposed\"} 2\n");
        assertThat(first.failure()).isNull();
        assertThat(find(first.samples(), "b").orElseThrow().labels())
                .isEqualTo(Labels.of("__name__", "b", "job", "test", "exported_job", "exposed", "instance", "h:1", "team", "core"));
        assertThat(value(first.samples(), "up")).isEqualTo(1);
        assertThat(value(first.samples(), "scrape_samples_scraped")).isEqualTo(2);
        assertThat(value(first.samples(), "scrape_samples_post_metric_relabeling")).isEqualTo(2);
        assertThat(value(first.samples(), "scrape_series_added")).isEqualTo(2);
        assertThat(first.kept()).isEqualTo(2);

        ScrapeAppender.Outcome second = append("a 1\n");
        assertThat(Sample.isStaleMarker(value(second.samples(), "b"))).isTrue();
        assertThat(value(second.samples(), "scrape_series_added")).isZero();

        List<Sample> gone = appender.endOfLife(System.currentTimeMillis(), true);
        assertThat(gone).extracting(Sample::metricName).containsExactly("a", "up", "scrape_duration_seconds", "scrape_samples_scraped",
                "scrape_samples_post_metric_relabeling", "scrape_series_added");
        assertThat(gone).allSatisfy(s -> assertThat(Sample.isStaleMarker(s.value())).isTrue());
    }

    private ScrapeAppender.Outcome appendOpenMetrics(long at, String body) {
        return appender.append(settings, at, System.nanoTime(),
                new Fetched(body.getBytes(StandardCharsets.UTF_8), "application/openmetrics-text; version=1.0.0"), null);
    }

    @Test
    void exemplarsGoWithTheirSampleOnceEachAsPrometheusAgentPassesThemOn() {
        String longValue = "x".repeat(ScrapedExemplars.MAX_LABEL_SET_LENGTH - "trace_id".length() + 1);
        String body = "# TYPE req counter\n"
                + "req_total{code=\"200\"} 7 # {trace_id=\"abc\"} 0.5 1700000000.25\n"
                + "req_total{code=\"500\"} 1 # {trace_id=\"def\"} 2\n"
                + "req_total{code=\"503\"} 1 # {trace_id=\"" + longValue + "\"} 2\n"
                + "# EOF\n";
        ScrapeAppender.Outcome first = appendOpenMetrics(1_700_000_010_000L, body);
        assertThat(first.failure()).isNull();
        Labels trace = Labels.of("trace_id", "abc");
        assertThat(series(first.samples(), "200").exemplars()).containsExactly(new Exemplar(trace, 0.5, 1_700_000_000_250L));
        assertThat(series(first.samples(), "500").exemplars()).as("no time of its own: the sample's")
                .containsExactly(new Exemplar(Labels.of("trace_id", "def"), 2, 1_700_000_010_000L));
        assertThat(series(first.samples(), "503").exemplars()).as("labels over 128 characters").isEmpty();
        assertThat(counted("caravan_scrape_exemplars_dropped", ScrapedExemplars.LABELS_TOO_LONG)).isEqualTo(1);

        ScrapeAppender.Outcome second = appendOpenMetrics(1_700_000_020_000L, body);
        assertThat(series(second.samples(), "200").exemplars()).as("the same exemplar, exposed again, is not sent again").isEmpty();
        assertThat(series(second.samples(), "500").exemplars()).as("an untimed one is new at every scrape")
                .containsExactly(new Exemplar(Labels.of("trace_id", "def"), 2, 1_700_000_020_000L));
        assertThat(series(second.samples(), "200").value()).isEqualTo(7);
    }

    @Test
    void theFamiliesTypeHelpAndUnitComeWithTheScrapeTheSameListWhenUnchanged() {
        String body = "# TYPE req counter\n# HELP req Requests \\\"served\\\".\n"
                + "req_total{code=\"200\"} 7\n# TYPE room_celsius gauge\n# UNIT room_celsius celsius\n"
                + "room_celsius 21.5\n# EOF\n";
        ScrapeAppender.Outcome first = appendOpenMetrics(1_000, body);
        assertThat(first.metadata()).containsExactly(
                new MetricMetadata("req", MetricMetadata.Type.COUNTER, "Requests \"served\".", ""),
                new MetricMetadata("room_celsius", MetricMetadata.Type.GAUGE, "", "celsius"));
        assertThat(appendOpenMetrics(2_000, body).metadata()).isSameAs(first.metadata());
        ScrapeAppender.Outcome failed = appender.append(settings, 3_000, System.nanoTime(), null, new HttpTimeoutException("late"));
        assertThat(failed.metadata()).isEmpty();
    }

    /** Prometheus' Java client with a labelled counter, a classic histogram and a summary, and when each was created. */
    private static io.prometheus.metrics.model.registry.PrometheusRegistry createdRegistry() {
        var registry = new io.prometheus.metrics.model.registry.PrometheusRegistry();
        var requests = io.prometheus.metrics.core.metrics.Counter.builder().name("requests").help("Requests.")
                .labelNames("code").withoutExemplars().register(registry);
        requests.labelValues("200").inc(3);
        requests.labelValues("500").inc();
        io.prometheus.metrics.core.metrics.Histogram.builder().name("latency_seconds").help("Latency.").classicOnly()
                .classicUpperBounds(0.1, 1).withoutExemplars().register(registry).observe(0.5);
        io.prometheus.metrics.core.metrics.Summary.builder().name("size_bytes").help("Size.").quantile(0.5)
                .withoutExemplars().register(registry).observe(10);
        return registry;
    }

    private ScrapeAppender.Outcome appendWithCreated(boolean createdTimestamps, byte[] body, String contentType) {
        ScrapeSettings s = new ScrapeSettings("test", 1000, 800, "http", "/metrics", false, true, 0, 1 << 20, 7_200_000, true,
                Labels.EMPTY, null, new io.caravan.scrape.parse.ExpositionOptions(null, false, false, 0, 0, createdTimestamps, false));
        return appender.append(s, System.currentTimeMillis(), System.nanoTime(), new Fetched(body, contentType), null);
    }

    @Test
    void createdTimestampsOfPrometheusJavaClientAreReadFromOpenMetricsWhenAsked() throws Exception {
        var registry = createdRegistry();
        var snapshots = registry.scrape();
        java.util.Map<String, Long> created = new java.util.HashMap<>();
        for (var family : snapshots) {
            for (var point : family.getDataPoints()) {
                String code = point.getLabels().get("code");
                created.put(family.getMetadata().getName() + (code == null ? "" : "/" + code), point.getCreatedTimestampMillis());
            }
        }
        java.io.ByteArrayOutputStream om = new java.io.ByteArrayOutputStream();
        new io.prometheus.metrics.expositionformats.OpenMetricsTextFormatWriter(true, false).write(om, snapshots);
        assertThat(om.toString(StandardCharsets.UTF_8)).contains("requests_created{code=\"200\"}", "latency_seconds_created ",
                "size_bytes_created ");
        String omType = "application/openmetrics-text; version=1.0.0";

        ScrapeAppender.Outcome on = appendWithCreated(true, om.toByteArray(), omType);
        assertThat(on.failure()).isNull();
        List<Sample> scraped = on.samples().stream().filter(x -> !x.metricName().startsWith("scrape_") && !x.metricName().equals("up")).toList();
        assertThat(scraped).extracting(Sample::metricName).noneMatch(n -> n.endsWith("_created"));
        assertThat(scraped).extracting(Sample::metricName).contains("requests_total", "latency_seconds_bucket", "latency_seconds_count",
                "latency_seconds_sum", "size_bytes", "size_bytes_count", "size_bytes_sum");
        for (Sample x : scraped) {
            String family = x.metricName().replaceAll("_(total|bucket|count|sum)$", "");
            String code = x.labels().get("code");
            assertThat(x.createdTimestampMs()).as(x.labels().toString()).isPositive()
                    .isEqualTo(created.get(family + (code == null ? "" : "/" + code)));
        }

        ScrapeAppender.Outcome off = appendWithCreated(false, om.toByteArray(), omType);
        assertThat(off.samples()).extracting(Sample::metricName).contains("requests_created", "latency_seconds_created", "size_bytes_created");
        assertThat(off.samples()).allSatisfy(x -> assertThat(x.createdTimestampMs()).isZero());
        // the client's protobuf writer (1.3.10) sends no created timestamps; PrometheusProtobufParserTest reads them
    }

    /** Prometheus' Java client's native histogram over protobuf: 1,000 observations from 1e-6 to 1e6. */
    private static byte[] javaClientNativeHistogram() throws Exception {
        io.prometheus.metrics.model.registry.PrometheusRegistry registry = new io.prometheus.metrics.model.registry.PrometheusRegistry();
        io.prometheus.metrics.core.metrics.Histogram h = io.prometheus.metrics.core.metrics.Histogram.builder().name("spread_seconds")
                .help("Spread.").nativeOnly().nativeMaxNumberOfBuckets(10_000).withoutExemplars().register(registry);
        for (int i = 0; i < 1_000; i++) {
            h.observe(Math.pow(10, -6 + 12.0 * i / 1_000));
        }
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        new io.prometheus.metrics.expositionformats.PrometheusProtobufWriter().write(out, registry.scrape());
        return out.toByteArray();
    }

    private ScrapeAppender.Outcome appendNative(byte[] body, int bucketLimit) {
        return appendNative(body, bucketLimit, 0);
    }

    private ScrapeAppender.Outcome appendNative(byte[] body, int bucketLimit, double minBucketFactor) {
        ScrapeSettings s = new ScrapeSettings("test", 1000, 800, "http", "/metrics", false, true, 0, 1 << 20, 7_200_000, true,
                Labels.EMPTY, null, new io.caravan.scrape.parse.ExpositionOptions(null, true, false, bucketLimit, minBucketFactor, false, false));
        return appender.append(s, System.currentTimeMillis(), System.nanoTime(), new Fetched(body,
                "application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily; encoding=delimited"), null);
    }

    @Test
    void aNativeHistogramFinerThanTheMinBucketFactorIsBroughtToItsSchema() throws Exception {
        byte[] body = javaClientNativeHistogram();
        NativeHistogram full = find(appendNative(body, 0).samples(), "spread_seconds").orElseThrow().histogram();
        assertThat(full.schema()).isEqualTo(5); // the client's default

        NativeHistogram coarse = find(appendNative(body, 0, 1.1).samples(), "spread_seconds").orElseThrow().histogram();
        assertThat(coarse).isEqualTo(full.reduceResolution(2)); // buckets growing by 2^(1/4) = 1.19 >= 1.1
        NativeHistogram both = find(appendNative(body, 20, 1.1).samples(), "spread_seconds").orElseThrow().histogram();
        assertThat(both.bucketCount()).isLessThanOrEqualTo(20);
        assertThat(both.schema()).isLessThan(2); // the bucket limit goes on from the factor's schema
        assertThat(find(appendNative(body, 0, 1.002).samples(), "spread_seconds").orElseThrow().histogram())
                .as("schema 8 allowed: as exposed").isEqualTo(full);
    }

    @Test
    void aNativeHistogramOverTheBucketLimitIsBroughtToALowerSchemaOrFailsTheScrape() throws Exception {
        byte[] body = javaClientNativeHistogram();
        Sample full = find(appendNative(body, 0).samples(), "spread_seconds").orElseThrow();
        assertThat(full.histogram().bucketCount()).isGreaterThan(100);

        Sample reduced = find(appendNative(body, 20).samples(), "spread_seconds").orElseThrow();
        NativeHistogram r = reduced.histogram();
        assertThat(r.bucketCount()).isLessThanOrEqualTo(20);
        assertThat(r.schema()).isLessThan(full.histogram().schema());
        assertThat(java.util.Arrays.stream(r.positiveCounts()).sum()).as("no observation lost").isEqualTo(1_000);
        assertThat(r.count()).isEqualTo(full.histogram().count());
        // bucket by bucket what lowering the full histogram to that schema gives
        NativeHistogram expected = full.histogram();
        while (expected.schema() > r.schema()) {
            expected = expected.reduceResolution(expected.schema() - 1);
        }
        assertThat(r).isEqualTo(expected);

        ScrapeAppender.Outcome failed = appendNative(body, 1); // 12 decades span ~40 powers of two: more than one bucket even at schema -4 (2^16 wide)
        assertThat(failed.failure().reason()).isEqualTo(ScrapeMetrics.BUCKET_LIMIT);
        assertThat(failed.failure().message()).contains("native_histogram_bucket_limit exceeded").contains("spread_seconds")
                .contains("limit 1");
        assertThat(counted("caravan_scrape_failures", ScrapeMetrics.BUCKET_LIMIT)).isEqualTo(1);
    }

    private static final String CLASSIC_HISTOGRAM = "# TYPE rpc_seconds histogram\n"
            + "rpc_seconds_bucket{le=\"0.1\"} 3\n"
            + "rpc_seconds_bucket{le=\"1\"} 5\n"
            + "rpc_seconds_bucket{le=\"+Inf\"} 6\n"
            + "rpc_seconds_sum 2.5\n"
            + "rpc_seconds_count 6\n";

    private ScrapeAppender.Outcome appendConverting(ScrapeAppender to, boolean keepClassic, long at, String body) {
        ScrapeSettings s = new ScrapeSettings("test", 1000, 800, "http", "/metrics", false, true, 0, 1 << 20, 7_200_000, true,
                Labels.EMPTY, null, new io.caravan.scrape.parse.ExpositionOptions(null, false, keepClassic, 0, 0, false, true));
        return to.append(s, at, System.nanoTime(), new Fetched(body.getBytes(StandardCharsets.UTF_8), "text/plain; version=0.0.4"), null);
    }

    @Test
    void convertClassicHistogramsToNhcbGivesOneCustomBucketsSampleAndTheClassicSeriesOnlyWhenKept() {
        long now = System.currentTimeMillis();
        NativeHistogram expected = new NativeHistogram(false, NativeHistogram.ResetHint.UNKNOWN, NativeHistogram.CUSTOM_BUCKETS_SCHEMA,
                0, 0, 6, 2.5, null, null, new int[]{0, 3}, new double[]{3, 2, 1}, new double[]{0.1, 1.0});
        ScrapeAppender.Outcome converted = appendConverting(appender, false, now, CLASSIC_HISTOGRAM);
        assertThat(converted.failure()).isNull();
        Sample nhcb = find(converted.samples(), "rpc_seconds").orElseThrow();
        assertThat(nhcb.histogram()).isEqualTo(expected);
        assertThat(nhcb.labels()).isEqualTo(Labels.of("__name__", "rpc_seconds", "job", "test", "instance", "h:1", "team", "core"));
        assertThat(nhcb.timestampMs()).isEqualTo(now);
        assertThat(converted.samples()).extracting(Sample::metricName).doesNotContain("rpc_seconds_bucket", "rpc_seconds_sum",
                "rpc_seconds_count");
        assertThat(value(converted.samples(), "scrape_samples_scraped")).isEqualTo(1);
        assertThat(value(converted.samples(), "scrape_series_added")).isEqualTo(1);

        // the next scrape finds the NHCB's series by its key: nothing added, nothing duplicate; then it goes stale
        ScrapeAppender.Outcome again = appendConverting(appender, false, now + 1000, CLASSIC_HISTOGRAM);
        assertThat(find(again.samples(), "rpc_seconds").orElseThrow().histogram()).isEqualTo(expected);
        assertThat(value(again.samples(), "scrape_series_added")).isZero();
        assertThat(counted("caravan_scrape_samples_dropped", ScrapeMetrics.DUPLICATE)).isZero();
        ScrapeAppender.Outcome gone = appendConverting(appender, false, now + 2000, "other 1\n");
        assertThat(Sample.isStaleMarker(value(gone.samples(), "rpc_seconds"))).isTrue();

        ScrapeAppender keeping = new ScrapeAppender(target, new ScrapeMetrics(meters));
        ScrapeAppender.Outcome both = appendConverting(keeping, true, now, CLASSIC_HISTOGRAM);
        assertThat(find(both.samples(), "rpc_seconds").orElseThrow().histogram()).isEqualTo(expected);
        assertThat(both.samples().stream().filter(s -> s.metricName().startsWith("rpc_seconds_")))
                .extracting(s -> s.metricName() + s.labels().getOrEmpty("le") + "=" + s.value())
                .containsExactly("rpc_seconds_bucket0.1=3.0", "rpc_seconds_bucket1.0=5.0", "rpc_seconds_bucket+Inf=6.0",
                        "rpc_seconds_sum=2.5", "rpc_seconds_count=6.0");
        assertThat(value(both.samples(), "scrape_samples_scraped")).isEqualTo(6);
    }

    private static Sample series(List<Sample> samples, String code) {
        return samples.stream().filter(s -> code.equals(s.labels().get("code"))).findFirst().orElseThrow();
    }

    @Test
    void aFailedFetchIsUpZeroClassifiedCountedAndMarksTheLastScrapeStale() {
        append("a 1\n");
        ScrapeAppender.Outcome failed = appender.append(settings, System.currentTimeMillis(), System.nanoTime(), null,
                new HttpTimeoutException("scrape timed out"));
        assertThat(failed.failure().reason()).isEqualTo(ScrapeMetrics.TIMEOUT);
        assertThat(failed.failure().message()).contains("timed out after 800ms");
        assertThat(value(failed.samples(), "up")).isZero();
        assertThat(Sample.isStaleMarker(value(failed.samples(), "a"))).isTrue();
        assertThat(value(failed.samples(), "scrape_samples_scraped")).isZero();
        assertThat(counted("caravan_scrape_failures", ScrapeMetrics.TIMEOUT)).isEqualTo(1);
    }

    @Test
    void duplicatesAreDroppedAndTooManySamplesFailTheWholeScrape() {
        ScrapeAppender.Outcome dup = append("a 1\na 2\n");
        assertThat(dup.samples().stream().filter(s -> s.metricName().equals("a"))).extracting(Sample::value).containsExactly(1.0);
        assertThat(counted("caravan_scrape_samples_dropped", ScrapeMetrics.DUPLICATE)).isEqualTo(1);

        ScrapeAppender.Outcome tooMany = append("a 1\nb 2\nc 3\nd 4\n");
        assertThat(tooMany.failure().reason()).isEqualTo(ScrapeMetrics.SAMPLE_LIMIT);
        assertThat(tooMany.failure().message()).contains("4 samples after relabeling, limit 3");
        assertThat(find(tooMany.samples(), "b")).isEmpty();
        assertThat(counted("caravan_scrape_samples_dropped", ScrapeMetrics.SAMPLE_LIMIT)).isEqualTo(4);
    }
}

package io.caravan.scrape.parse;

import static io.caravan.scrape.parse.PrometheusProtobufParserTest.help;
import static io.caravan.scrape.parse.PrometheusProtobufParserTest.native_;
import static io.caravan.scrape.parse.PrometheusProtobufParserTest.series;
import static io.caravan.scrape.parse.PrometheusProtobufParserTest.type;
import static org.assertj.core.api.Assertions.assertThat;

import io.caravan.model.Exemplar;
import io.caravan.model.Labels;
import io.caravan.model.NativeHistogram;
import io.caravan.model.NativeHistogram.ResetHint;
import io.caravan.scrape.parse.ExpositionParser.MetricType;
import io.caravan.scrape.parse.PrometheusProtobufParserTest.Got;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.core.metrics.Summary;
import io.prometheus.metrics.expositionformats.PrometheusProtobufWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A real peer: Prometheus' own Java client (1.x) writes its registry with PrometheusProtobufWriter, and the parser
 * must give back exactly what was observed into it.
 */
class PrometheusJavaClientProtobufTest {

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private long before;
    private long after;


    /**
     * Only the counter samples exemplars: the client's sampler for plain observations needs its tracer initializer,
     * which micrometer leaves out of the classpath; an explicit exemplar does not.
     */
    @BeforeEach
    void fill() {
        before = System.currentTimeMillis();
        Counter requests = Counter.builder().name("requests_total").help("Requests.").labelNames("path").register(registry);
        requests.labelValues("/a").incWithExemplar(2, io.prometheus.metrics.model.snapshots.Labels.of("trace_id", "abc"));

        Gauge temperature = Gauge.builder().name("temperature").help("Degrees.").labelNames("room").withoutExemplars()
                .register(registry);
        temperature.labelValues("hall").set(21.5);

        Summary latency = Summary.builder().name("latency").help("Latency.").quantile(0.5, 0.01).quantile(0.9, 0.01)
                .withoutExemplars().register(registry);
        for (int i = 0; i < 3; i++) {
            latency.observe(4);
        }

        Histogram classic = Histogram.builder().name("classic").help("Classic only.").classicOnly()
                .classicUpperBounds(1, 2.5, 5).withoutExemplars().register(registry);
        classic.observe(0.5);
        classic.observe(2);
        classic.observe(7);

        // at the client's initial schema 5, bucket i holds (2^((i-1)/32), 2^(i/32)]: 1 is in bucket 0, 2 in 32, 3 in 51
        Histogram nativeOnly = Histogram.builder().name("native").help("Native only.").nativeOnly().withoutExemplars()
                .register(registry);
        for (double v : new double[]{1, 2, 3, 0, -1}) {
            nativeOnly.observe(v);
        }

        Histogram both = Histogram.builder().name("both").help("Native and classic.").classicUpperBounds(1, 10)
                .withoutExemplars().register(registry);
        both.observe(1);
        both.observe(4);
        after = System.currentTimeMillis();
    }

    private byte[] expose() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new PrometheusProtobufWriter().write(out, registry.scrape());
        return out.toByteArray();
    }

    @Test
    void parsesWhatTheClientExposes() throws Exception {
        List<Got> got = PrometheusProtobufParserTest.parse(new PrometheusProtobufParser(false, false), expose());
        Got counter = got.stream().filter(g -> g.labels() != null && "requests_total".equals(g.labels().get("__name__")))
                .findFirst().orElseThrow();
        // the client stamps the exemplar with the clock; its 1.3 protobuf writer sends no start timestamps
        assertThat(counter.exemplars()).hasSize(1);
        Exemplar e = counter.exemplars().get(0);
        assertThat(e.labels()).isEqualTo(Labels.of("trace_id", "abc"));
        assertThat(e.value()).isEqualTo(2);
        assertThat(e.timestampMs()).isBetween(before, after);

        NativeHistogram nativeHistogram = new NativeHistogram(false, ResetHint.UNKNOWN, 5, Math.pow(2, -128), 1, 5, 5,
                new int[]{0, 1}, new double[]{1}, new int[]{0, 1, 31, 1, 18, 1}, new double[]{1, 1, 1}, null);
        // 1 and 4 at schema 5: buckets 0 and 64
        NativeHistogram bothNative = new NativeHistogram(false, ResetHint.UNKNOWN, 5, Math.pow(2, -128), 0, 2, 5,
                null, null, new int[]{0, 1, 63, 1}, new double[]{1, 1}, null);

        assertThat(withoutClockStamps(got)).containsExactly(
                help("both", "Native and classic."), type("both", MetricType.HISTOGRAM),
                native_(bothNative, "__name__", "both"),
                help("classic", "Classic only."), type("classic", MetricType.HISTOGRAM),
                series(3, "__name__", "classic_count"),
                series(9.5, "__name__", "classic_sum"),
                series(1, "__name__", "classic_bucket", "le", "1.0"),
                series(2, "__name__", "classic_bucket", "le", "2.5"),
                series(2, "__name__", "classic_bucket", "le", "5.0"),
                series(3, "__name__", "classic_bucket", "le", "+Inf"),
                help("latency", "Latency."), type("latency", MetricType.SUMMARY),
                series(3, "__name__", "latency_count"),
                series(12, "__name__", "latency_sum"),
                series(4, "__name__", "latency", "quantile", "0.5"),
                series(4, "__name__", "latency", "quantile", "0.9"),
                help("native", "Native only."), type("native", MetricType.HISTOGRAM),
                native_(nativeHistogram, "__name__", "native"),
                help("requests_total", "Requests."), type("requests_total", MetricType.COUNTER),
                series(2, "__name__", "requests_total", "path", "/a").with(new Exemplar(Labels.EMPTY, 0, 0)),
                help("temperature", "Degrees."), type("temperature", MetricType.GAUGE),
                series(21.5, "__name__", "temperature", "room", "hall"));
    }

    @Test
    void keepsTheClassicBucketsOfAHistogramWithBoth() throws Exception {
        List<Got> got = withoutClockStamps(PrometheusProtobufParserTest.parse(new PrometheusProtobufParser(false, true), expose()));
        assertThat(got.subList(2, 8)).containsExactly(
                native_(new NativeHistogram(false, ResetHint.UNKNOWN, 5, Math.pow(2, -128), 0, 2, 5,
                        null, null, new int[]{0, 1, 63, 1}, new double[]{1, 1}, null), "__name__", "both"),
                series(2, "__name__", "both_count"),
                series(5, "__name__", "both_sum"),
                series(1, "__name__", "both_bucket", "le", "1.0"),
                series(2, "__name__", "both_bucket", "le", "10.0"),
                series(2, "__name__", "both_bucket", "le", "+Inf"));
        // the native-only histogram has no classic buckets to keep
        assertThat(got.get(got.size() - 7).histogram()).isNotNull();
        assertThat(got.get(got.size() - 6).entry()).isEqualTo(ExpositionParser.Entry.HELP);
    }

    @Test
    void withNativeHistogramsIgnoredEveryHistogramIsReadAsClassic() throws Exception {
        List<Got> got = withoutClockStamps(PrometheusProtobufParserTest.parse(new PrometheusProtobufParser(true, false), expose()));
        assertThat(got).noneMatch(g -> g.histogram() != null);
        assertThat(got).containsSubsequence(
                series(5, "__name__", "native_count"),
                series(5, "__name__", "native_sum"),
                series(5, "__name__", "native_bucket", "le", "+Inf"));
        assertThat(got).containsSubsequence(
                series(2, "__name__", "both_count"),
                series(5, "__name__", "both_sum"),
                series(1, "__name__", "both_bucket", "le", "1.0"),
                series(2, "__name__", "both_bucket", "le", "10.0"),
                series(2, "__name__", "both_bucket", "le", "+Inf"));
    }

    /** Exemplars stamped from the clock (checked to lie in [before, after]) become a blank exemplar. */
    private List<Got> withoutClockStamps(List<Got> got) {
        return got.stream().map(g -> {
            if (g.exemplars().isEmpty()) {
                return g;
            }
            assertThat(g.exemplars()).allSatisfy(x -> assertThat(x.timestampMs()).isBetween(before, after));
            return g.with(new Exemplar(Labels.EMPTY, 0, 0));
        }).toList();
    }
}

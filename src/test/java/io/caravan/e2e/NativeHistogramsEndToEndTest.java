package io.caravan.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.caravan.testing.PrometheusServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import io.prometheus.metrics.expositionformats.ExpositionFormats;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Labels;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Callable;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * A real peer end to end: Prometheus' own Java client (1.x) exposes a native histogram, a classic one and a counter
 * with an exemplar, choosing its format from the Accept header as its exporters do; Caravan scrapes it, sends it
 * with remote_write 1.0, and the real Prometheus from Debian (2.42, native histograms and exemplar storage on) is
 * asked what arrived. With scrapeNativeHistograms the scrape asks for protobuf first and the native histogram
 * arrives as one; without, the client answers OpenMetrics and the exemplar still arrives.
 */
class NativeHistogramsEndToEndTest {

    private final List<AutoCloseable> closing = new ArrayList<>();
    private final List<String> accepts = new CopyOnWriteArrayList<>();
    private final List<String> contentTypes = new CopyOnWriteArrayList<>();
    @TempDir
    Path data;

    @AfterEach
    void tearDown() throws Exception {
        for (int i = closing.size() - 1; i >= 0; i--) {
            closing.get(i).close();
        }
    }

    /** The Java client behind an HTTP server that answers in the format the Accept header picks (ExpositionFormats). */
    private String javaClientTarget() throws Exception {
        PrometheusRegistry registry = new PrometheusRegistry();
        Counter requests = Counter.builder().name("jc_requests_total").help("Requests.").labelNames("path").register(registry);
        requests.labelValues("/a").incWithExemplar(3, Labels.of("trace_id", "4bf92f3577b34da6"));
        Histogram latency = Histogram.builder().name("jc_latency_seconds").help("Latency.").nativeOnly().withoutExemplars()
                .register(registry);
        for (double v : new double[]{1, 2, 3, 0, -1}) {
            latency.observe(v); // schema 5: buckets 0, 32, 51, the zero bucket, negative bucket 0
        }
        Histogram sizes = Histogram.builder().name("jc_size_bytes").help("Sizes.").classicOnly().classicUpperBounds(10, 100)
                .withoutExemplars().register(registry);
        sizes.observe(5);
        sizes.observe(50);
        ExpositionFormats formats = ExpositionFormats.init();
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/metrics", exchange -> {
            String accept = exchange.getRequestHeaders().getFirst("Accept");
            accepts.add(accept);
            ExpositionFormatWriter writer = formats.findWriter(accept);
            contentTypes.add(writer.getContentType());
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            writer.write(body, registry.scrape());
            exchange.getResponseHeaders().set("Content-Type", writer.getContentType());
            exchange.sendResponseHeaders(200, body.size());
            try (OutputStream out = exchange.getResponseBody()) {
                body.writeTo(out);
            }
        });
        server.start();
        closing.add(() -> server.stop(0));
        return "127.0.0.1:" + server.getAddress().getPort();
    }

    private void scrape(String target, String options, PrometheusServer prometheus) throws Exception {
        DefaultCamelContext camel = new DefaultCamelContext();
        camel.getRegistry().bind("meters", new SimpleMeterRegistry());
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("static-targets:jc?addresses=" + target).to("scrape:jc?interval=1s&timeout=800ms" + options);
                from("scrape:jc").to("remote-write:jc?url=" + prometheus.remoteWriteUrl() + "&batchSendDeadline=50ms&shards=1&queueDir="
                        + data.resolve("wal"));
            }
        });
        camel.start();
        closing.add(camel::stop);
    }

    @Test
    void scrapingNativeHistogramsTheJavaClientsArriveInPrometheusAsSent() throws Exception {
        PrometheusServer prometheus = PrometheusServer.start("--enable-feature=native-histograms,exemplar-storage");
        closing.add(prometheus);
        scrape(javaClientTarget(), "&scrapeNativeHistograms=true", prometheus);

        assertThat(await(() -> prometheus.scalar("histogram_count(jc_latency_seconds)"))).isEqualTo(5);
        assertThat(prometheus.scalar("histogram_sum(jc_latency_seconds)")).isEqualTo(5);
        JsonNode h = prometheus.query("jc_latency_seconds").get(0);
        assertThat(h.path("metric").path("job").asText()).isEqualTo("jc");
        // schema 5: bucket i is (2^((i-1)/32), 2^(i/32)], negative ones mirrored; the zero bucket spans the client's 2^-128
        Map<Double, Double> countByUpper = new HashMap<>();
        for (JsonNode b : h.path("histogram").get(1).path("buckets")) {
            countByUpper.put(b.get(2).asDouble(), b.get(3).asDouble());
        }
        assertThat(countByUpper).hasSize(5).containsEntry(1.0, 1.0).containsEntry(2.0, 1.0).containsEntry(Math.pow(2, -128), 1.0);
        assertThat(countByUpper.keySet()).anySatisfy(u -> assertThat(u).isCloseTo(Math.pow(2, 51 / 32.0), within(1e-9)))
                .anySatisfy(u -> assertThat(u).isCloseTo(-Math.pow(2, -1 / 32.0), within(1e-9)));
        assertThat(prometheus.scalar("jc_size_bytes_bucket{le=\"100.0\"}")).as("a classic-only histogram stays classic").isEqualTo(2);
        assertThat(prometheus.scalar("jc_requests_total")).isEqualTo(3);
        assertThat(exemplarTraceIds(prometheus)).containsExactly("4bf92f3577b34da6");
        assertThat(accepts.get(0)).startsWith("application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited;q=0.6,");
        assertThat(contentTypes.get(0)).startsWith("application/vnd.google.protobuf");
    }

    @Test
    void withoutNativeHistogramsTheClientAnswersOpenMetricsAndTheExemplarStillArrives() throws Exception {
        PrometheusServer prometheus = PrometheusServer.start("--enable-feature=native-histograms,exemplar-storage");
        closing.add(prometheus);
        scrape(javaClientTarget(), "", prometheus);

        assertThat(await(() -> prometheus.scalar("jc_requests_total"))).isEqualTo(3);
        assertThat(exemplarTraceIds(prometheus)).containsExactly("4bf92f3577b34da6");
        assertThat(prometheus.query("jc_latency_seconds")).as("no native histogram asked for").isEmpty();
        assertThat(contentTypes.get(0)).startsWith("application/openmetrics-text");
    }

    private static List<String> exemplarTraceIds(PrometheusServer prometheus) throws Exception {
        long now = System.currentTimeMillis() / 1000;
        List<String> ids = new ArrayList<>();
        JsonNode data = await(() -> {
            JsonNode d = prometheus.api("/api/v1/query_exemplars?query=" + URLEncoder.encode("jc_requests_total", StandardCharsets.UTF_8)
                    + "&start=" + (now - 300) + "&end=" + (now + 60));
            return d.size() == 0 ? null : d;
        });
        for (JsonNode series : data) {
            for (JsonNode e : series.path("exemplars")) {
                ids.add(e.path("labels").path("trace_id").asText());
            }
        }
        return ids;
    }

    /** The first non-null, non-NaN answer within 30 s. */
    private static <T> T await(Callable<T> probe) throws Exception {
        long deadline = System.currentTimeMillis() + 30_000;
        while (true) {
            T v = probe.call();
            if (v != null && !(v instanceof Double d && d.isNaN())) {
                return v;
            }
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("nothing within 30 s");
            }
            Thread.sleep(200);
        }
    }
}

package io.caravan.bench;

import io.caravan.model.Labels;
import io.caravan.model.Sample;
import io.caravan.remotewrite.WriteRequestEncoder;
import io.caravan.scrape.parse.ExpositionParseException;
import io.caravan.scrape.parse.ExpositionParser;
import io.caravan.scrape.parse.ExpositionParser.Entry;
import io.caravan.scrape.parse.PrometheusProtobufParser;
import io.caravan.scrape.parse.PrometheusTextParser;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusProtobufWriter;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * What one histogram costs on the scrape-to-WAL path, native against classic: the same 1,000 observations in each of
 * 200 histograms, exposed by Prometheus' Java client as native histograms over protobuf (schema 5, ~40 populated
 * buckets) and as classic ones over the text format (the client's 11 default bounds: 14 series each). Each operation
 * parses one histogram's worth of the body and encodes what it gives as remote_write TimeSeries (labels already
 * known, as on the scrape cache's hit path). Scores are histograms per second, so the two compare directly.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class HistogramCostBenchmark {

    static final int HISTOGRAMS = 200;

    private byte[] protobuf;
    private byte[] text;
    private final ExpositionParser nativeParser = new PrometheusProtobufParser(false, false);
    private final ExpositionParser textParser = new PrometheusTextParser();
    private final WriteRequestEncoder encoder = new WriteRequestEncoder(Labels.of("cluster", "east"));
    private final List<Labels> seriesLabels = new ArrayList<>();

    @Setup
    public void expose() throws Exception {
        PrometheusRegistry nativeRegistry = new PrometheusRegistry();
        PrometheusRegistry classicRegistry = new PrometheusRegistry();
        Histogram nativeOnly = Histogram.builder().name("http_request_duration_seconds").help("Latency.").labelNames("route")
                .nativeOnly().withoutExemplars().register(nativeRegistry);
        Histogram classicOnly = Histogram.builder().name("http_request_duration_seconds").help("Latency.").labelNames("route")
                .classicOnly().withoutExemplars().register(classicRegistry);
        Random random = new Random(42);
        for (int h = 0; h < HISTOGRAMS; h++) {
            for (int i = 0; i < 1_000; i++) {
                double v = Math.exp(random.nextGaussian() * 1.5 - 3); // latencies around 50 ms, spread over decades
                nativeOnly.labelValues("/api/" + h).observe(v);
                classicOnly.labelValues("/api/" + h).observe(v);
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new PrometheusProtobufWriter().write(out, nativeRegistry.scrape());
        protobuf = out.toByteArray();
        out.reset();
        new PrometheusTextFormatWriter(false).write(out, classicRegistry.scrape());
        text = out.toByteArray();
        for (int i = 0; i < 16 * HISTOGRAMS; i++) {
            seriesLabels.add(Labels.of("__name__", "http_request_duration_seconds", "route", "/api/" + i, "job", "api"));
        }
        // the sizes per histogram, printed with the run: exposition bytes and remote_write bytes (uncompressed)
        System.out.printf("per histogram: native %d B exposed, %d B remote_write; classic %d B exposed, %d B remote_write%n",
                protobuf.length / HISTOGRAMS, parseAndEncode(nativeParser, protobuf) / HISTOGRAMS,
                text.length / HISTOGRAMS, parseAndEncode(textParser, text) / HISTOGRAMS);
    }

    @Benchmark
    @OperationsPerInvocation(HISTOGRAMS)
    public int nativeOverProtobuf() throws ExpositionParseException {
        return parseAndEncode(nativeParser, protobuf);
    }

    @Benchmark
    @OperationsPerInvocation(HISTOGRAMS)
    public int classicOverText() throws ExpositionParseException {
        return parseAndEncode(textParser, text);
    }

    private int parseAndEncode(ExpositionParser parser, byte[] body) throws ExpositionParseException {
        parser.reset(body, 0, body.length);
        encoder.reset();
        int k = 0;
        for (Entry e = parser.next(); e != Entry.EOF; e = parser.next()) {
            if (e == Entry.SERIES) {
                Labels labels = seriesLabels.get(k++);
                encoder.add(parser.histogram() != null ? Sample.ofHistogram(labels, 1_700_000_000_000L, parser.histogram())
                        : new Sample(labels, 1_700_000_000_000L, parser.value()));
            }
        }
        return encoder.size();
    }
}

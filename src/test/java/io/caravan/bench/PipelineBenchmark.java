package io.caravan.bench;

import io.caravan.model.Labels;
import io.caravan.model.Sample;
import io.caravan.relabel.RelabelRules;
import io.caravan.remotewrite.WriteRequestEncoder;
import io.caravan.scrape.parse.ExpositionParser;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.xerial.snappy.Snappy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The metrics hot path on one thread: parse a cAdvisor-sized body (2,000 series), relabel each new
 * series with a metric_relabel rule set, build samples, encode the remote_write request and snappy it.
 * Two modes: every series new (first scrape of a target) and every series known (steady state, where the
 * scrape loop's series cache skips label parsing and relabeling, as Prometheus' does).
 * Run: bench/jmh.sh PipelineBenchmark
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class PipelineBenchmark {

    static final int SERIES = 2_000;

    private byte[] body;
    private RelabelRules metricRelabel;
    private WriteRequestEncoder encoder;
    private final Map<String, Labels> cache = new HashMap<>();
    private final Labels.Builder scratch = new Labels.Builder();
    private final Labels target = Labels.of("job", "cadvisor", "instance", "10.0.0.1:10250", "node", "node-a");
    private byte[] compressed = new byte[0];

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        StringBuilder sb = new StringBuilder();
        sb.append("# HELP container_cpu_usage_seconds_total Cumulative cpu time consumed\n# TYPE container_cpu_usage_seconds_total counter\n");
        for (int i = 0; i < SERIES; i++) {
            sb.append("container_cpu_usage_seconds_total{container=\"app-").append(i % 40)
                    .append("\",cpu=\"total\",id=\"/kubepods/burstable/pod").append(i).append("/abcdef").append(i)
                    .append("\",image=\"registry.example/team/app:1.").append(i % 13)
                    .append("\",name=\"k8s_app_").append(i).append("\",namespace=\"ns-").append(i % 17)
                    .append("\",pod=\"app-").append(i).append("-7d9f8c\"} ").append(1234.5 + i).append(" 1700000000000\n");
        }
        body = sb.toString().getBytes(StandardCharsets.UTF_8);
        metricRelabel = RelabelRules.parse("""
                - source_labels: [__name__]
                  regex: container_(network_tcp_usage_total|tasks_state|memory_failures_total)
                  action: drop
                - source_labels: [namespace]
                  regex: kube-system
                  action: drop
                - regex: (id|name)
                  action: labeldrop
                """, "bench-metric-relabel.yaml");
        encoder = new WriteRequestEncoder(Labels.of("cluster", "conveyor-platform", "dc", "ProdDC"));
    }


    @Benchmark
    @OperationsPerInvocation(SERIES)
    public int coldEverySeriesNew() throws Exception {
        cache.clear();
        return scrapeOnce();
    }

    @Benchmark
    @OperationsPerInvocation(SERIES)
    public int warmSeriesCached() throws Exception {
        return scrapeOnce();
    }

    private int scrapeOnce() throws Exception {
        ExpositionParser parser = ExpositionParser.forContentType("text/plain; version=0.0.4");
        parser.reset(body, 0, body.length);
        List<Sample> samples = new ArrayList<>(SERIES);
        ExpositionParser.Entry e;
        while ((e = parser.next()) != ExpositionParser.Entry.EOF) {
            if (e != ExpositionParser.Entry.SERIES) {
                continue;
            }
            String key = new String(body, parser.seriesOffset(), parser.seriesLength(), StandardCharsets.ISO_8859_1);
            Labels labels = cache.get(key);
            if (labels == null) {
                scratch.reset();
                parser.labels(scratch);
                for (int i = 0; i < target.size(); i++) {
                    scratch.set(target.name(i), target.value(i));
                }
                labels = metricRelabel.apply(scratch.build());
                cache.put(key, labels == null ? Labels.EMPTY : labels);
            }
            if (labels != null && !labels.isEmpty()) {
                samples.add(new Sample(labels, parser.hasTimestamp() ? parser.timestampMs() : 0, parser.value()));
            }
        }
        byte[] raw = encoder.encode(samples);
        int max = Snappy.maxCompressedLength(encoder.size());
        if (compressed.length < max) {
            compressed = new byte[max];
        }
        return Snappy.rawCompress(raw, 0, encoder.size(), compressed, 0);
    }
}

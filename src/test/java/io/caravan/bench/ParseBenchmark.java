package io.caravan.bench;

import io.caravan.model.Labels;
import io.caravan.scrape.parse.ExpositionParseException;
import io.caravan.scrape.parse.ExpositionParser;
import io.caravan.scrape.parse.ExpositionParser.Entry;
import io.caravan.scrape.parse.PrometheusTextParser;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Parsing a 2,000-series cAdvisor-like scrape on one thread. Scores are samples per second:
 * {@code valuesOnly} is the scrape loop's cache-hit path, {@code withLabels} the cache-miss path.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class ParseBenchmark {

    static final int SERIES = 2000;

    private byte[] body;
    private final ExpositionParser parser = new PrometheusTextParser();
    private final Labels.Builder builder = new Labels.Builder();

    @Setup
    public void generate() {
        String[] metrics = {"container_cpu_usage_seconds_total", "container_memory_working_set_bytes",
            "container_memory_rss", "container_fs_usage_bytes", "container_network_receive_bytes_total"};
        StringBuilder sb = new StringBuilder(SERIES * 400);
        int perMetric = SERIES / metrics.length;
        long ts = 1718372945123L;
        for (String m : metrics) {
            sb.append("# HELP ").append(m).append(" cAdvisor metric.\n# TYPE ").append(m).append(" gauge\n");
            for (int i = 0; i < perMetric; i++) {
                int pod = i / 4;
                sb.append(m).append("{container=\"app-").append(i % 4)
                        .append("\",id=\"/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod")
                        .append(String.format("%08x", pod * 2654435761L & 0xffffffffL))
                        .append(".slice/cri-containerd-").append(String.format("%064x", (long) i * 0x9E3779B97F4A7C15L))
                        .append(".scope\",image=\"ghcr.io/acme/service-").append(pod % 37).append(":1.").append(i % 11)
                        .append(".0\",name=\"").append(String.format("%064x", (long) i * 0x9E3779B97F4A7C15L))
                        .append("\",namespace=\"team-").append(pod % 13).append("\",pod=\"service-").append(pod)
                        .append("-7f9c6d8b5-lm2qz\"} ").append(1234.5 + i * 17.25).append(' ').append(ts + i).append('\n');
            }
        }
        body = sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    @Benchmark
    @OperationsPerInvocation(SERIES)
    public void valuesOnly(Blackhole bh) throws ExpositionParseException {
        ExpositionParser p = parser;
        p.reset(body, 0, body.length);
        for (Entry e = p.next(); e != Entry.EOF; e = p.next()) {
            if (e == Entry.SERIES) {
                bh.consume(p.seriesLength());
                bh.consume(p.value());
            }
        }
    }

    @Benchmark
    @OperationsPerInvocation(SERIES)
    public void withLabels(Blackhole bh) throws ExpositionParseException {
        ExpositionParser p = parser;
        p.reset(body, 0, body.length);
        for (Entry e = p.next(); e != Entry.EOF; e = p.next()) {
            if (e == Entry.SERIES) {
                builder.reset();
                p.labels(builder);
                bh.consume(builder.build());
                bh.consume(p.value());
            }
        }
    }
}

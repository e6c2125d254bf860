package io.caravan.bench;

import io.caravan.logs.process.Pipeline;
import io.caravan.loki.PushEncoder;
import io.caravan.model.Labels;
import io.caravan.model.LogEntry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The seed's audit pipeline on one thread, in lines per second: json (7 expressions), labels, drop, then
 * the push encoding of the survivors (protobuf + snappy), on ~1 KB kube-apiserver audit lines from
 * src/test/resources/loki/audit.log (the 330 KB CRD line left out: it is dropped by the pipeline and would
 * only measure JSON skipping). Two variants: "fastPath" (all expressions are dotted paths: the streaming
 * scanner) and "jmespath" (one extra non-path expression sends the stage through the Jackson tree and
 * the JMESPath interpreter, as a library-only build would).
 * Run (offline): mvn -o -q test-compile; mvn -o -q dependency:build-classpath -Dmdep.outputFile=cp.txt
 * -Dmdep.includeScope=test; java -cp target/test-classes:target/classes:$(cat cp.txt) org.openjdk.jmh.Main
 * AuditPipelineBenchmark -f 1 -wi 2 -i 3
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class AuditPipelineBenchmark {

    static final int LINES = 1_000;

    private List<LogEntry> batch;
    private Pipeline fastPath;
    private Pipeline jmespath;
    private Pipeline jsonOnly;
    private PushEncoder encoder;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        String log = resource("audit.log");
        String yaml = resource("audit-pipeline.yaml");
        List<String> lines = new ArrayList<>();
        for (String l : log.split("\n")) {
            if (l.length() < 4096) {
                lines.add(l);
            }
        }
        Labels labels = Labels.of("job", "kube-audit", "source", "audit", "filename", "/var/log/kube-audit/audit.log");
        batch = new ArrayList<>(LINES);
        for (int i = 0; i < LINES; i++) {
            batch.add(new LogEntry(labels, 1_700_000_000_000_000_000L + i, lines.get(i % lines.size())));
        }
        fastPath = Pipeline.parse(yaml, "audit-pipeline.yaml", "bench", new SimpleMeterRegistry());
        jmespath = Pipeline.parse(yaml.replace("audit_level: level", "audit_level: level\n      n: 'length(@)'"),
                "audit-pipeline.yaml", "bench", new SimpleMeterRegistry());
        jsonOnly = Pipeline.parse(yaml.substring(0, yaml.indexOf("- labels:")), "audit-pipeline.yaml", "bench", new SimpleMeterRegistry());
        encoder = new PushEncoder(Labels.of("cluster", "conveyor-platform", "dc", "east"));
    }

    private static String resource(String name) throws Exception {
        try (InputStream in = AuditPipelineBenchmark.class.getResourceAsStream("/loki/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Benchmark
    @OperationsPerInvocation(LINES)
    public int fastPath() throws Exception {
        List<LogEntry> out = fastPath.process(batch);
        encoder.encode(out);
        return encoder.compressedSize();
    }

    @Benchmark
    @OperationsPerInvocation(LINES)
    public int jmespath() throws Exception {
        List<LogEntry> out = jmespath.process(batch);
        encoder.encode(out);
        return encoder.compressedSize();
    }

    @Benchmark
    @OperationsPerInvocation(LINES)
    public int encodeOnly() throws Exception {
        encoder.encode(batch);
        return encoder.compressedSize();
    }

    @Benchmark
    @OperationsPerInvocation(LINES)
    public int stagesOnly() {
        return fastPath.process(batch).size();
    }

    /** The json stage alone: the seven paths found by the scanner, the rest of the line checked and passed over. */
    @Benchmark
    @OperationsPerInvocation(LINES)
    public int jsonOnly() {
        return jsonOnly.process(batch).size();
    }
}

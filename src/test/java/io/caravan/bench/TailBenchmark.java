package io.caravan.bench;

import io.caravan.logs.FileFollower;
import io.caravan.logs.FollowSettings;
import io.caravan.logs.FollowedPath;
import io.caravan.logs.LogSourceMetrics;
import io.caravan.logs.PositionStore;
import io.caravan.logs.RotatedNames;
import io.caravan.logs.pods.ContainerLogDecoder;
import io.caravan.logs.pods.LogFormat;
import io.caravan.model.Labels;
import io.caravan.model.LogEntry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Lines per second through the file-tailing path on one thread: read a 20 MB container log of ~1 KB CRI lines
 * from the start in batches of 1,000, split lines, check UTF-8, parse the CRI prefix, make LogEntries, and store
 * the position after every batch (temp file + fsync + rename, as in production). "plain" is the same without
 * the CRI parse (tail: of an audit log). Each invocation reads the whole file with a fresh follower.
 *
 * <p>Run (offline, from the worktree):
 * <pre>
 * mvn -B -o -q test-compile dependency:build-classpath -Dmdep.outputFile=target/test-classpath.txt -Dmdep.includeScope=test
 * java -cp target/test-classes:target/classes:$(cat target/test-classpath.txt) org.openjdk.jmh.Main TailBenchmark -f 1 -wi 2 -i 3
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(java.util.concurrent.TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
public class TailBenchmark {

    static final int LINES = 20_000;

    Path dir;
    Path file;
    int round;
    long consumed;
    final LogSourceMetrics metrics = new LogSourceMetrics(new SimpleMeterRegistry(), "bench", "bench");
    final FollowSettings settings = new FollowSettings(1 << 20, 1000, 1 << 20, 250, 1000, RotatedNames.defaults());
    final Labels labels = Labels.of("namespace", "shop", "pod", "web-1", "container", "web", "node", "node-a", "app", "web",
            "filename", "/var/log/pods/shop_web-1_u/web/0.log");

    @Setup(Level.Trial)
    public void writeFile() throws IOException {
        dir = Files.createTempDirectory("tail-bench");
        file = dir.resolve("0.log");
        StringBuilder payload = new StringBuilder();
        while (payload.length() < 960) {
            payload.append("level=info msg=\"request served\" path=/api/v1/orders status=200 bytes=5123 ");
        }
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            for (int i = 0; i < LINES; i++) {
                w.write(String.format("2024-01-01T00:%02d:%02d.%09dZ %s F %d %s%n", (i / 60) % 60, i % 60, i,
                        i % 10 == 0 ? "stderr" : "stdout", i, payload.substring(0, 960)));
            }
        }
    }

    @TearDown(Level.Trial)
    public void removeFile() throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    private long readAll(java.util.function.Function<Path, io.caravan.logs.LineDecoder> decoders) {
        PositionStore positions = PositionStore.open(dir.resolve("positions-" + (round++) + ".jsonl"), metrics);
        long[] n = new long[1];
        FileFollower f = new FileFollower("bench", file.toString(), FollowedPath.fixed(file), decoders,
                (List<LogEntry> batch) -> n[0] += batch.size(), positions, settings, metrics, false, null);
        while (n[0] < LINES) {
            f.poll();
        }
        f.close();
        consumed += n[0];
        return n[0];
    }

    @Benchmark
    @OperationsPerInvocation(LINES)
    public long cri() {
        return readAll(p -> new ContainerLogDecoder(LogFormat.CRI, labels, 1 << 20, metrics));
    }

    @Benchmark
    @OperationsPerInvocation(LINES)
    public long plain() {
        return readAll(p -> (line, start, readNanos, out) -> out.add(new LogEntry(labels, readNanos, line)));
    }
}

package io.caravan.remotewrite;

import io.caravan.model.Labels;
import io.caravan.model.MetricMetadata;
import io.caravan.model.Sample;
import io.caravan.wire.ProtoWriter;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * What a shard spends to turn WAL records into one request body, remote_write 1.0 against 2.0, per sample: a
 * request of 2,000 cAdvisor-like float samples (11 labels each) from four WAL records of 500. 1.0 merges the
 * records' TimeSeries bytes and compresses once ({@code v1Merged}; a record big enough on its own is sent as it is
 * stored, at no cost); 2.0 transcodes every series into the symbol table and adds each family's metadata
 * ({@code v2}). Both start from the records' compressed blocks, as a shard reads them from disk.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class RequestEncodingBenchmark {

    static final int SAMPLES = 2_000;
    static final int PER_RECORD = 500;

    private final List<byte[]> records = new ArrayList<>();
    private final ProtoWriter body = new ProtoWriter(256 * 1024);
    private final RequestV2Encoder v2 = new RequestV2Encoder();
    private byte[] compressed;
    private final Function<String, MetricMetadata> metadata = family -> new MetricMetadata(family, MetricMetadata.Type.COUNTER,
            "Cumulative cpu time consumed in seconds.", "");

    @Setup
    public void writeRecords() throws IOException {
        WriteRequestEncoder encoder = new WriteRequestEncoder(Labels.of("cluster", "east", "dc", "dc1"));
        String[] names = {"container_cpu_usage_seconds_total", "container_memory_working_set_bytes",
            "container_network_receive_bytes_total", "container_fs_reads_total"};
        for (int r = 0; r < SAMPLES / PER_RECORD; r++) {
            encoder.reset();
            for (int i = 0; i < PER_RECORD; i++) {
                int n = r * PER_RECORD + i;
                encoder.add(new Sample(Labels.of("__name__", names[n % names.length], "container", "app-" + (n % 40),
                        "cpu", "total", "id", "/kubepods/burstable/pod" + n, "image", "registry.example/app:1." + (n % 7),
                        "instance", "node-1", "job", "cadvisor", "name", "k8s_app_" + n, "namespace", "team-" + (n % 9),
                        "pod", "app-" + n + "-7d9f8c6b5-x2x4z"), 1_700_000_000_000L + n, n * 1.5));
            }
            int rawLen = encoder.size();
            byte[] block = WalRecord.compressBuffer(null, rawLen);
            int len = WalRecord.compress(encoder.array(), rawLen, block);
            ProtoWriter out = new ProtoWriter(len + 16);
            WalRecord.write(out, 1_700_000_000_000L, rawLen, block, len);
            records.add(java.util.Arrays.copyOf(out.array(), out.size()));
        }
        System.out.printf("request bytes (snappy): 1.0 %d, 2.0 %d%n", v1Merged(), v2());
    }

    /** The records as a shard reads them back: compressed, their series not yet indexed. */
    private List<WalRecord.Series> series() {
        List<WalRecord.Series> all = new ArrayList<>(SAMPLES);
        for (byte[] r : records) {
            all.addAll(WalRecord.decode(r, 0, r.length, PER_RECORD));
        }
        return all;
    }

    @Benchmark
    @OperationsPerInvocation(SAMPLES)
    public int v1Merged() throws IOException {
        body.reset();
        for (WalRecord.Series s : series()) {
            s.chunk().writeSeries(s.index(), body);
        }
        compressed = WalRecord.compressBuffer(compressed, body.size());
        return WalRecord.compress(body.array(), body.size(), compressed);
    }

    @Benchmark
    @OperationsPerInvocation(SAMPLES)
    public int v2() throws IOException {
        byte[] raw = v2.encode(series(), metadata);
        compressed = WalRecord.compressBuffer(compressed, v2.size());
        return WalRecord.compress(raw, v2.size(), compressed);
    }
}

package io.caravan.remotewrite;

import io.caravan.http.UserAgent;
import io.caravan.model.Labels;
import io.caravan.model.Sample;
import io.caravan.sink.PushClient;
import io.caravan.sink.Sender;
import io.caravan.wal.SegmentLog;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * Prometheus' queue manager on a write-ahead log: samples are spread over a fixed number of shards by
 * series, so each series stays in order; each shard appends to its own {@link SegmentLog} under
 * {@code walDir/shard-N} and one {@link Sender} per shard reads it back in batches (by count and deadline,
 * see {@link Shard}), sends one request at a time, retries recoverable failures with exponential backoff,
 * splits a batch the receiver refuses for one of its samples until only the refused series' samples are
 * dropped, and only then acknowledges the batch in the log.
 * <p>
 * What that buys: {@link #offer} returns once the samples are in the log, so a slow or dead receiver never
 * holds up a scrape and memory stays flat; a restart or a {@code kill -9} resends what the receiver had not
 * acknowledged (duplicates: at most the batch each shard had in flight); an outage costs nothing until the
 * WAL reaches maxWalBytes (the oldest segments go, counted as wal_full) or a sample waits longer than
 * maxWalAge (counted as too_old, since a receiver would refuse it anyway).
 * <p>
 * A WAL written with more shards than now configured is drained by shard (N mod shards) before its own log,
 * so nothing is stranded when the shard count goes down.
 */
final class RemoteWriteQueue {

    private static final Logger LOG = LoggerFactory.getLogger(RemoteWriteQueue.class);

    /** The remote_write 1.0 headers every request carries. */
    static final Map<String, String> HEADERS = Map.of(
            "Content-Encoding", "snappy",
            "Content-Type", "application/x-protobuf",
            "X-Prometheus-Remote-Write-Version", "0.1.0",
            "User-Agent", UserAgent.CARAVAN);

    private final String sink;
    private final RemoteWriteSettings settings;
    private final RemoteWriteMetrics metrics;
    private final List<Sender<WalRecord.Series, Shard.Batch>> shards = new ArrayList<>();
    private final ThreadLocal<WalAppender> appenders;

    /** A remote_write client: a 4xx about the content is REFUSED, so the shard splits the batch. */
    static PushClient client(CloseableHttpClient http, URI url, Supplier<String> authorization) {
        return new PushClient(http, url, HEADERS, authorization, true);
    }

    RemoteWriteQueue(String sink, RemoteWriteSettings settings, Path walDir, Labels externalLabels,
                     RemoteWriteMetrics metrics, Supplier<PushClient> clients) throws IOException {
        this(sink, settings, walDir, externalLabels, metrics, clients, WriteProtocol.v1(sink));
    }

    RemoteWriteQueue(String sink, RemoteWriteSettings settings, Path walDir, Labels externalLabels,
                     RemoteWriteMetrics metrics, Supplier<PushClient> clients, WriteProtocol protocol) throws IOException {
        this.sink = sink;
        this.settings = settings;
        this.metrics = metrics;
        this.appenders = ThreadLocal.withInitial(() -> new WalAppender(externalLabels, protocol));
        Refusals refusals = new Refusals(sink);
        TreeMap<Integer, Path> existing = existingShardDirs(walDir);
        try {
            for (int i = 0; i < settings.shards(); i++) {
                shards.add(new Sender<>("remote-write " + sink + " shard " + i, "samples", open(walDir.resolve("shard-" + i), "shard " + i),
                        clients.get(), new Shard(i, settings, refusals, sink, protocol), metrics,
                        settings.minBackoffMs(), settings.maxBackoffMs()));
            }
            for (var e : existing.entrySet()) {
                if (e.getKey() >= shards.size()) {
                    int heir = e.getKey() % shards.size();
                    SegmentLog<WalRecord.Series> left = open(e.getValue(), "shard " + e.getKey() + " (left by a run with more shards)");
                    shards.get(heir).inherit(left);
                    LOG.info("remote-write {}: {} has {} samples from a run with more shards; shard {} sends them first",
                            sink, e.getValue(), left.pendingEntries(), heir);
                }
            }
        } catch (IOException | RuntimeException e) {
            close();
            throw e;
        }
    }

    private SegmentLog<WalRecord.Series> open(Path dir, String what) throws IOException {
        return new SegmentLog<>("remote-write " + sink + " " + what, dir, settings.segmentBytesPerShard(),
                settings.maxBytesPerShard(), settings.walSyncIntervalMs(), WalRecord.CODEC, metrics);
    }

    private static TreeMap<Integer, Path> existingShardDirs(Path walDir) throws IOException {
        TreeMap<Integer, Path> out = new TreeMap<>();
        if (!Files.isDirectory(walDir)) {
            return out;
        }
        try (Stream<Path> s = Files.list(walDir)) {
            s.forEach(p -> {
                String f = p.getFileName().toString();
                if (f.startsWith("shard-") && Files.isDirectory(p)) {
                    try {
                        out.put(Integer.parseInt(f.substring(6)), p);
                    } catch (NumberFormatException notOurs) {
                        // someone else's directory: leave it alone
                    }
                }
            });
        }
        return out;
    }

    void start(ExecutorService executor) {
        for (Sender<WalRecord.Series, Shard.Batch> s : shards) {
            executor.submit(s);
        }
    }

    /**
     * Sends what is in the WAL without waiting for batch deadlines for up to flushTimeoutMs (not at all once every
     * shard waits out a failed attempt), then stops the shards and closes the logs. Whatever is not acknowledged
     * stays in the WAL for the next start.
     */
    void stop(long flushTimeoutMs) throws InterruptedException {
        Sender.stopAll(shards, flushTimeoutMs);
        long left = pending();
        close();
        if (left > 0) {
            LOG.info("remote-write {}: {} samples stay in the WAL and are sent first at the next start", sink, left);
        }
    }

    private void close() {
        for (Sender<WalRecord.Series, Shard.Batch> s : shards) {
            s.closeLogs();
        }
    }

    /** The shards' senders, for the sink's status. */
    List<Sender<WalRecord.Series, Shard.Batch>> senders() {
        return shards;
    }

    /**
     * Appends the samples to their shards' logs; returns how many could not be written (disk full or
     * broken, counted as wal_write_error). Never waits for the receiver. The producer calls it inside one step of
     * the sink's ledger, where it counted the samples as produced.
     */
    int offer(List<Sample> samples) {
        WalAppender appender = appenders.get();
        int dropped = 0;
        List<List<Sample>> byShard = appender.split(samples, shards.size());
        for (int i = 0; i < shards.size(); i++) {
            List<Sample> part = byShard.get(i);
            // records of at most one request's worth, so a big one goes out as it is stored
            for (int from = 0; from < part.size(); from += settings.maxSamplesPerSend()) {
                List<Sample> chunk = part.subList(from, Math.min(part.size(), from + settings.maxSamplesPerSend()));
                try {
                    appender.append(shards.get(i).log(), chunk);
                } catch (IOException | RuntimeException e) {
                    dropped += chunk.size();
                    metrics.dropped("wal_write_error", chunk.size());
                    LOG.error("remote-write {}: cannot write {} samples to the WAL in {}: {} (check that the volume is writable and not full)",
                            sink, chunk.size(), shards.get(i).log().dir(), e.toString());
                }
            }
        }
        appender.clear();
        return dropped;
    }

    long pending() {
        return Sender.pending(shards);
    }

    long walBytes() {
        long n = 0;
        for (Sender<WalRecord.Series, Shard.Batch> s : shards) {
            n += s.diskBytes();
        }
        return n;
    }

    int shardCount() {
        return shards.size();
    }

    /** Per appending thread: encodes samples as TimeSeries fields and compresses them into a WAL record. */
    private static final class WalAppender {
        private final WriteRequestEncoder encoder;
        private final List<List<Sample>> parts = new ArrayList<>();
        private byte[] compressed;

        WalAppender(Labels externalLabels, WriteProtocol protocol) {
            this.encoder = new WriteRequestEncoder(externalLabels, protocol::v2); // 2.0 sends created timestamps
        }

        List<List<Sample>> split(List<Sample> samples, int n) {
            while (parts.size() < n) {
                parts.add(new ArrayList<>());
            }
            for (int i = 0; i < n; i++) {
                parts.get(i).clear();
            }
            for (Sample s : samples) {
                parts.get(Math.floorMod(s.labels().hashCode(), n)).add(s);
            }
            return parts;
        }

        /** Lets go of the samples of the last call (the lists are reused by the next). */
        void clear() {
            for (List<Sample> p : parts) {
                p.clear();
            }
        }

        void append(SegmentLog<WalRecord.Series> log, List<Sample> samples) throws IOException {
            if (samples.isEmpty()) {
                return;
            }
            encoder.reset();
            for (Sample s : samples) {
                encoder.add(s);
            }
            int rawLen = encoder.size();
            compressed = WalRecord.compressBuffer(compressed, rawLen);
            int len = WalRecord.compress(encoder.array(), rawLen, compressed);
            long now = System.currentTimeMillis();
            byte[] c = compressed;
            log.append(samples.size(), out -> WalRecord.write(out, now, rawLen, c, len));
        }
    }
}

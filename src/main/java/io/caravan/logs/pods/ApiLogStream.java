package io.caravan.logs.pods;

import io.caravan.logs.BatchSink;
import io.caravan.logs.FollowSettings;
import io.caravan.logs.FollowerStatus;
import io.caravan.logs.LogSourceMetrics;
import io.caravan.logs.Position;
import io.caravan.logs.PositionStore;
import io.caravan.model.Labels;
import io.caravan.model.LogEntry;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.Loggable;
import io.fabric8.kubernetes.client.dsl.LogWatch;
import io.fabric8.kubernetes.client.dsl.TimeTailPrettyLoggable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Follows one container's log through the API server ({@code pods/log?follow=true&timestamps=true}), as Alloy's
 * loki.source.kubernetes does. The API closes such streams (kubelet timeouts, container restarts, API server
 * restarts); each reconnect asks for {@code sinceTime} = the last delivered timestamp, and {@link SeenLines} drops
 * what the server sends again. Its state is stored only after the route took a batch, so a crash re-sends at most
 * that batch. Runs on a worker thread of its own for as long as it follows (reads block).
 */
final class ApiLogStream implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(ApiLogStream.class);

    private final String source;
    private final ContainerRef ref;
    private final Labels labels;
    private final KubernetesClient client;
    private final PositionStore positions;
    private final BatchSink sink;
    private final FollowSettings settings;
    private final LogSourceMetrics metrics;
    private SeenLines committed;
    private volatile boolean stopped;
    private volatile LogWatch watch;
    private int failures;
    private String errorReason;
    private volatile String lastError;
    private volatile Instant lastErrorAt;
    private volatile String state = "starting";
    private volatile long linesRead;
    private volatile long connections;

    ApiLogStream(String source, ContainerRef ref, Labels labels, KubernetesClient client, PositionStore positions,
                 BatchSink sink, FollowSettings settings, LogSourceMetrics metrics) {
        this.source = source;
        this.ref = ref;
        this.labels = labels;
        this.client = client;
        this.positions = positions;
        this.sink = sink;
        this.settings = settings;
        this.metrics = metrics;
        Position p = positions.get(ref.key());
        this.committed = p != null && p.timestampNanos() != null ? SeenLines.decode(p.timestampNanos(), p.seen()) : new SeenLines();
    }

    @Override
    public void run() {
        metrics.followed(1);
        try {
            while (!stopped) {
                boolean clean;
                try {
                    clean = streamOnce();
                } catch (Exception e) {
                    if (stopped) {
                        break;
                    }
                    problem(e instanceof RouteFailed ? "route_failed" : "api_stream",
                            (e instanceof RouteFailed ? "the route failed a batch of " + ref + " (" + e.getCause()
                                    : "the log stream of " + ref + " failed (" + e) + "); reconnecting from the last delivered line");
                    clean = false;
                }
                if (stopped) {
                    break;
                }
                failures = clean ? 0 : failures + 1;
                state = "reconnecting";
                sleep(clean ? settings.pollMillis() : Math.min(30_000, settings.retryMillis() << Math.min(failures - 1, 5)));
            }
        } finally {
            metrics.followed(-1);
            state = "stopped";
        }
    }

    /** One connection, read until the server ends it. True when it ended normally. */
    private boolean streamOnce() throws Exception {
        SeenLines working = committed.copy();
        working.newConnection();
        TimeTailPrettyLoggable request = client.pods().inNamespace(ref.namespace()).withName(ref.pod())
                .inContainer(ref.container()).usingTimestamps();
        Loggable loggable = working.hasPosition() ? request.sinceTime(Rfc3339.formatSeconds(working.lastTimestamp())) : request;
        try (LogWatch w = loggable.watchLog()) {
            watch = w;
            if (stopped) {
                return true;
            }
            connections++;
            state = "following";
            InputStream in = w.getOutput();
            StreamLines lines = new StreamLines(in, settings.maxLineBytes());
            List<LogEntry> batch = new ArrayList<>();
            long batchBytes = 0;
            long counted = 0;
            long countedBytes = 0;
            String line;
            while ((line = lines.next()) != null) {
                linesRead++;
                if (lines.lastCut()) {
                    metrics.lineTruncated();
                }
                if (lines.lastInvalid()) {
                    metrics.invalidUtf8();
                }
                int sp = line.indexOf(' ');
                long ts = Rfc3339.parseNanos(line, 0, sp < 0 ? line.length() : sp);
                if (ts == Rfc3339.INVALID) {
                    metrics.malformed(); // not a timestamped line: pass it on, it cannot be placed for a replay
                    Instant now = Instant.now();
                    batch.add(new LogEntry(labels, now.getEpochSecond() * 1_000_000_000L + now.getNano(), line));
                } else {
                    String content = sp < 0 ? "" : line.substring(sp + 1);
                    if (working.accept(ts, content)) {
                        batch.add(new LogEntry(labels, ts, content));
                    }
                }
                batchBytes += line.length() + 1;
                if (batch.size() >= settings.batchLines() || batchBytes >= settings.batchBytes() || !lines.more()) {
                    metrics.read(linesRead - counted, lines.bytesRead() - countedBytes);
                    counted = linesRead;
                    countedBytes = lines.bytesRead();
                    deliver(batch, working);
                    batch = new ArrayList<>();
                    batchBytes = 0;
                }
            }
            deliver(batch, working);
            metrics.read(linesRead - counted, lines.bytesRead() - countedBytes);
            if (errorReason != null) {
                LOG.info("{}: the log stream of {} works again", source, ref);
                errorReason = null;
                lastError = null;
                lastErrorAt = null;
            }
            return true;
        } finally {
            watch = null;
        }
    }

    private void deliver(List<LogEntry> batch, SeenLines working) throws RouteFailed {
        if (batch.isEmpty() || stopped) {
            return;
        }
        try {
            sink.deliver(batch);
        } catch (Exception e) {
            throw new RouteFailed(e);
        }
        committed = working.copy();
        positions.commit(Position.ofStream(ref.key(), committed.lastTimestamp(), committed.encode()));
    }

    void stop() {
        stopped = true;
        LogWatch w = watch;
        if (w != null) {
            w.close();
        }
    }

    private void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stopped = true;
        }
    }

    private void problem(String reason, String message) {
        if (!reason.equals(errorReason)) {
            LOG.warn("{}: {}", source, message);
            metrics.error(reason);
            errorReason = reason;
        }
        lastErrorAt = Instant.now();
        lastError = message;
    }

    FollowerStatus status() {
        SeenLines c = committed;
        return new FollowerStatus(ref.key(), "pods/log " + ref, c.hasPosition() ? c.lastTimestamp() : 0, 0, 0, linesRead,
                state + " (" + connections + " connections)", lastError, lastErrorAt);
    }

    private static final class RouteFailed extends Exception {
        RouteFailed(Exception cause) {
            super(cause);
        }
    }
}

package io.caravan.logs;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The counters of one log source ({@code tail:NAME} or {@code pod-logs:NAME}), tagged with
 * {@code source} (the scheme) and {@code name}. Never tagged by file: a node has thousands of them over a day.
 */
public final class LogSourceMetrics {

    private final MeterRegistry registry;
    private final String source;
    private final String name;
    private final Counter lines;
    private final Counter bytes;
    private final Counter rotations;
    private final Counter truncations;
    private final Counter linesTruncated;
    private final Counter invalidUtf8;
    private final Counter malformed;
    private final AtomicInteger followed = new AtomicInteger();
    private final Map<String, Counter> errors = new ConcurrentHashMap<>();
    private final Map<String, Counter> lost = new ConcurrentHashMap<>();

    public LogSourceMetrics(MeterRegistry registry, String source, String name) {
        this.registry = registry;
        this.source = source;
        this.name = name;
        lines = counter("caravan_logs_lines_read", "Lines read from files or log streams");
        bytes = counter("caravan_logs_bytes_read", "Bytes read from files or log streams");
        rotations = counter("caravan_logs_rotations", "Files rotated away (renamed, replaced, or a new container log)");
        truncations = counter("caravan_logs_truncations", "Files that shrank under the reader (copy-truncate): their copy is read to its end, then the file from 0");
        linesTruncated = counter("caravan_logs_lines_truncated", "Lines cut to maxLineBytes");
        invalidUtf8 = counter("caravan_logs_invalid_utf8_lines", "Lines with invalid UTF-8, passed on with U+FFFD");
        malformed = counter("caravan_logs_malformed_lines", "Container log lines in neither CRI nor docker format, passed on raw");
        Gauge.builder("caravan_logs_files_followed", followed, AtomicInteger::get).description("Files or streams followed now")
                .tag("source", source).tag("name", name).register(registry);
    }

    private Counter counter(String metric, String description) {
        return Counter.builder(metric).description(description).tag("source", source).tag("name", name).register(registry);
    }

    public void read(long lineCount, long byteCount) {
        lines.increment(lineCount);
        bytes.increment(byteCount);
    }

    public void rotation() {
        rotations.increment();
    }

    public void truncation() {
        truncations.increment();
    }

    public void lineTruncated() {
        linesTruncated.increment();
    }

    public void invalidUtf8() {
        invalidUtf8.increment();
    }

    public void malformed() {
        malformed.increment();
    }

    public void followed(int delta) {
        followed.addAndGet(delta);
    }

    /**
     * Files, or their unread ends, that went away before they were read (each time, not bytes: what was never
     * read cannot be measured), by reason: {@code deleted} (a file with a stored position is neither at its path,
     * nor renamed, nor among its rotated names), {@code truncated} (it shrank, and no rotated copy holds what was
     * not read yet), {@code damaged} (a compressed copy ends early).
     */
    public void lost(String reason) {
        lost.computeIfAbsent(reason, r -> Counter.builder("caravan_logs_lost")
                .description("Files or their unread ends that went away before they were read, by reason")
                .tag("source", source).tag("name", name).tag("reason", r).register(registry)).increment();
    }

    /** Errors by reason: not_a_file, unreadable, route_failed, positions_corrupt, positions_write, api_stream, ... */
    public void error(String reason) {
        errors.computeIfAbsent(reason, r -> Counter.builder("caravan_logs_errors").description("Errors by reason")
                .tag("source", source).tag("name", name).tag("reason", r).register(registry)).increment();
    }
}

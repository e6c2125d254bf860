package io.caravan.ui;

import io.caravan.loki.LokiDebugSink;
import io.caravan.model.Labels;
import io.caravan.model.LogEntry;
import io.caravan.model.Sample;
import io.caravan.remotewrite.DebugSink;
import io.caravan.remotewrite.DebugSinks;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

import java.util.Locale;

/**
 * What a sink without a receiver holds: the latest sample of each series in Prometheus text format, with
 * the external labels applied as the receiver would see them. For the embedded default and for debugging.
 */
@RestController
public class DebugSinkController {

    @GetMapping(value = "/debug/sinks", produces = MediaType.TEXT_PLAIN_VALUE)
    public String index() {
        StringBuilder sb = new StringBuilder("# sinks without a receiver URL (their samples stay here)\n");
        for (DebugSink s : DebugSinks.all()) {
            sb.append(String.format(Locale.ROOT, "%s\tseries=%d\treceived=%d\tbatches=%d\tnot_kept=%d\t/debug/sinks/%s%n",
                    s.name(), s.snapshot().size(), s.received(), s.batches(), s.overflow(), s.name()));
        }
        for (LokiDebugSink s : LokiDebugSink.all()) {
            sb.append(String.format(Locale.ROOT, "%s\tlatest_entries=%d\treceived=%d\t/debug/sinks/%s%n",
                    s.name(), s.snapshot().size(), s.received(), s.name()));
        }
        return sb.toString();
    }

    @GetMapping(value = "/debug/sinks/{name}", produces = "text/plain;version=0.0.4;charset=utf-8")
    public String sink(@PathVariable String name) {
        DebugSink sink = DebugSinks.get(name);
        if (sink == null && LokiDebugSink.get(name) != null) {
            return logLines(LokiDebugSink.get(name));
        }
        if (sink == null) {
            throw new ResponseStatusException(HttpStatus.NOT_FOUND, "no debug sink named '" + name
                    + "' (a sink uses the debug sink only when it has no receiver URL); see /debug/sinks");
        }
        StringBuilder sb = new StringBuilder(64 * 1024);
        sb.append("# sink ").append(name).append(": latest sample per series; ").append(sink.received())
                .append(" samples received in ").append(sink.batches()).append(" batches\n");
        for (Sample s : sink.snapshot()) {
            Labels l = s.labels();
            Labels.Builder b = sink.externalLabels().toBuilder();
            l.forEach(b::set); // series labels win over external labels, as on the wire
            Labels all = b.build();
            sb.append(all.getOrEmpty("__name__"));
            String rest = all.toBuilder().del("__name__").build().toString();
            if (!rest.equals("{}")) {
                sb.append(rest.replace(", ", ","));
            }
            sb.append(' ').append(formatValue(s.value())).append(' ').append(s.timestampMs()).append('\n');
        }
        return sb.toString();
    }

    /** A Loki debug sink's latest entries: time, stream labels, line. */
    private static String logLines(LokiDebugSink sink) {
        StringBuilder sb = new StringBuilder(64 * 1024);
        sb.append("# sink ").append(sink.name()).append(": latest entries; ").append(sink.received()).append(" received\n");
        for (LogEntry e : sink.snapshot()) {
            sb.append(java.time.Instant.ofEpochSecond(0, e.timestampNanos())).append(' ').append(e.labels()).append(' ')
                    .append(e.line()).append('\n');
        }
        return sb.toString();
    }

    private static String formatValue(double v) {
        if (Double.isNaN(v)) {
            return "NaN";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "+Inf" : "-Inf";
        }
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        return Double.toString(v);
    }
}

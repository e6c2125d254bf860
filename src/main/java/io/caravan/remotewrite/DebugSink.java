package io.caravan.remotewrite;

import io.caravan.component.DebugView;
import io.caravan.model.Exemplar;
import io.caravan.model.Labels;
import io.caravan.model.MetricMetadata;
import io.caravan.model.Sample;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Where samples go when a sink has no receiver URL (the embedded default): the latest sample of each
 * series, bounded in series count, readable by an operator at {@code /debug/sinks/NAME} in the text format, each
 * family under the HELP and TYPE its scrapes gave, a native histogram, the exemplars and the created timestamp of a
 * sample as comment lines. New series past
 * the bound are counted and not kept, so memory stays flat however much arrives. Its component lists it in
 * {@link RemoteWriteComponent#debugViews()}.
 */
public final class DebugSink implements DebugView {

    private final String name;
    private final Labels externalLabels;
    private final int maxSeries;
    private final Map<Labels, Sample> latest = new ConcurrentHashMap<>();
    private final AtomicLong received = new AtomicLong();
    private final AtomicLong batches = new AtomicLong();
    private final AtomicLong overflow = new AtomicLong();
    private final MetadataStore metadata = new MetadataStore(10_000, 10 * 60_000);

    DebugSink(String name, Labels externalLabels, int maxSeries) {
        this.name = name;
        this.externalLabels = externalLabels;
        this.maxSeries = maxSeries;
    }

    /** A scrape's metric metadata, shown above its family's samples. */
    void acceptMetadata(List<MetricMetadata> families) {
        metadata.update(families, System.currentTimeMillis());
    }

    void accept(List<Sample> samples) {
        batches.incrementAndGet();
        received.addAndGet(samples.size());
        for (Sample s : samples) {
            if (s.isStale()) {
                latest.remove(s.labels());
            } else if (latest.size() < maxSeries || latest.containsKey(s.labels())) {
                latest.put(s.labels(), s);
            } else {
                overflow.incrementAndGet();
            }
        }
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public long received() {
        return received.get();
    }

    long batches() {
        return batches.get();
    }

    long overflow() {
        return overflow.get();
    }

    /** The latest samples, sorted by series. */
    List<Sample> snapshot() {
        List<Sample> out = new ArrayList<>(latest.values());
        out.sort((a, b) -> a.labels().compareTo(b.labels()));
        return out;
    }

    @Override
    public String summary() {
        return String.format(Locale.ROOT, "series=%d\treceived=%d\tbatches=%d\tnot_kept=%d",
                snapshot().size(), received(), batches(), overflow());
    }

    @Override
    public String contentType() {
        return "text/plain;version=0.0.4;charset=utf-8";
    }

    /** The latest sample of each series in Prometheus text format, with the external labels as on the wire. */
    @Override
    public String render() {
        StringBuilder sb = new StringBuilder(64 * 1024);
        sb.append("# sink ").append(name).append(": latest sample per series; ").append(received())
                .append(" samples received in ").append(batches()).append(" batches\n");
        metadata.snapshot(System.currentTimeMillis()); // forgets families unseen for long
        String lastFamily = null;
        for (Sample s : snapshot()) {
            MetricMetadata m = metadata.lookup(s.metricName());
            if (m != null && !m.family().equals(lastFamily)) {
                appendMetadata(sb, m);
                lastFamily = m.family();
            }
            Labels.Builder b = externalLabels.toBuilder();
            s.labels().forEach(b::set); // series labels win over external labels, as on the wire
            Labels all = b.build();
            if (s.isHistogram()) {
                sb.append("# native histogram ");  // text format 0.0.4 has no form for one: a comment keeps the page valid
            }
            sb.append(all.getOrEmpty("__name__"));
            String rest = all.toBuilder().del("__name__").build().toString();
            if (!rest.equals("{}")) {
                sb.append(rest.replace(", ", ","));
            }
            sb.append(' ').append(s.isHistogram() ? s.histogram().toString() : formatValue(s.value())).append(' ').append(s.timestampMs()).append('\n');
            for (Exemplar e : s.exemplars()) {
                sb.append("# exemplar ").append(e.labels().toString().replace(", ", ",")).append(' ').append(formatValue(e.value()))
                        .append(' ').append(e.timestampMs()).append('\n');
            }
            if (s.createdTimestampMs() != 0) {
                sb.append("# created ").append(s.createdTimestampMs()).append('\n');
            }
        }
        return sb.toString();
    }

    private static void appendMetadata(StringBuilder sb, MetricMetadata m) {
        if (!m.help().isEmpty()) {
            sb.append("# HELP ").append(m.family()).append(' ').append(m.help().replace("\\", "\\\\").replace("\n", "\\n")).append('\n');
        }
        if (m.type() != MetricMetadata.Type.UNKNOWN) {
            sb.append("# TYPE ").append(m.family()).append(' ').append(textType(m.type())).append('\n');
        }
        if (!m.unit().isEmpty()) {
            sb.append("# unit ").append(m.unit()).append('\n'); // text format 0.0.4 has no UNIT line
        }
    }

    /** The text format's five types; the OpenMetrics-only ones as untyped. */
    private static String textType(MetricMetadata.Type t) {
        return switch (t) {
            case COUNTER -> "counter";
            case GAUGE -> "gauge";
            case HISTOGRAM -> "histogram";
            case SUMMARY -> "summary";
            default -> "untyped";
        };
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

package io.caravan.tap;

import io.caravan.model.Labels;
import io.caravan.model.LogEntry;
import io.caravan.model.NativeHistogram;
import io.caravan.model.Sample;
import io.caravan.model.Target;

import java.time.Instant;

/**
 * One item a tap saw, as one line of text, secrets redacted: a target as its label set, a sample in Prometheus' text
 * format ({@code name{labels} value timestamp}, a native histogram summarised), a log entry as its labels, time and
 * line. Anything else (a body no Caravan step makes) as its text, redacted all the same.
 *
 * @param dir    where it was seen: {@code from} (leaving the route's source), {@code in} (into the step), {@code out}
 * @param kind   target, sample, entry, error, or the Java type of anything else
 * @param timeMs when the tap saw it
 */
public record TapLine(String dir, String kind, String text, long timeMs) {

    /** Longer lines are cut here: a tap shows what passes, not whole 256 KB log lines. */
    public static final int MAX_CHARS = 4096;

    public static TapLine of(String dir, Object item, long timeMs) {
        String kind;
        String text;
        if (item instanceof Target t) {
            kind = "target";
            text = labels(t.labels());
        } else if (item instanceof Sample s) {
            kind = "sample";
            text = sample(s);
        } else if (item instanceof LogEntry e) {
            kind = "entry";
            text = entry(e);
        } else if (item instanceof Throwable e) {
            kind = "error";
            text = "failed: " + e.getClass().getSimpleName() + ": " + Redaction.text(String.valueOf(e.getMessage()));
        } else {
            kind = item == null ? "null" : item.getClass().getSimpleName();
            text = Redaction.text(String.valueOf(item));
        }
        return new TapLine(dir, kind, cut(text), timeMs);
    }

    /** {a="1", b="2"}, each value redacted by its name. */
    static String labels(Labels labels) {
        StringBuilder sb = new StringBuilder(16 + labels.size() * 24).append('{');
        appendLabels(sb, labels, ", ");
        return sb.append('}').toString();
    }

    /** name{a="1",b="2"} value timestamp: a line of the text exposition format (a histogram's value summarised). */
    static String sample(Sample s) {
        StringBuilder sb = new StringBuilder(64).append(s.metricName());
        Labels rest = s.labels().toBuilder().del("__name__").build();
        if (!rest.isEmpty()) {
            appendLabels(sb.append('{'), rest, ",").append('}');
        }
        sb.append(' ');
        if (s.isHistogram()) {
            NativeHistogram h = s.histogram();
            sb.append("histogram{count=").append(number(h.count())).append(" sum=").append(number(h.sum()))
                    .append(h.customBuckets() ? " custom_buckets=" + h.customValues().length : " schema=" + h.schema())
                    .append(" buckets=").append(h.bucketCount()).append('}');
        } else {
            sb.append(number(s.value()));
        }
        sb.append(' ').append(s.timestampMs());
        if (s.isStale()) {
            sb.append(" # stale marker");
        }
        return sb.toString();
    }

    /** {labels} 2026-01-02T03:04:05.000000006Z [metadata={...}] line. */
    static String entry(LogEntry e) {
        StringBuilder sb = new StringBuilder(64 + e.line().length()).append(labels(e.labels())).append(' ')
                .append(Instant.ofEpochSecond(0, e.timestampNanos())).append(' ');
        if (e.metadata() != null && !e.metadata().isEmpty()) {
            sb.append("metadata=").append(labels(e.metadata())).append(' ');
        }
        return sb.append(Redaction.text(e.line())).toString();
    }

    private static StringBuilder appendLabels(StringBuilder sb, Labels labels, String separator) {
        for (int i = 0; i < labels.size(); i++) {
            if (i > 0) {
                sb.append(separator);
            }
            sb.append(labels.name(i)).append("=\"");
            String v = Redaction.labelValue(labels.name(i), labels.value(i));
            for (int j = 0; j < v.length(); j++) {
                char c = v.charAt(j);
                switch (c) {
                    case '\\' -> sb.append("\\\\");
                    case '"' -> sb.append("\\\"");
                    case '\n' -> sb.append("\\n");
                    default -> sb.append(c);
                }
            }
            sb.append('"');
        }
        return sb;
    }

    /** As the text format writes a value: whole numbers without a fraction, NaN, +Inf, -Inf. */
    static String number(double v) {
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

    private static String cut(String text) {
        return text.length() <= MAX_CHARS ? text
                : text.substring(0, MAX_CHARS) + "… (" + (text.length() - MAX_CHARS) + " more characters)";
    }
}

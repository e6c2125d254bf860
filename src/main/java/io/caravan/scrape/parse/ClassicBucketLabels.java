package io.caravan.scrape.parse;

import io.caravan.scrape.parse.ExpositionParser.MetricType;
import java.util.HashMap;

/**
 * Prometheus 3's normalisation of float-valued label values: under a {@code histogram} TYPE the {@code le}
 * label, under a {@code summary} TYPE the {@code quantile} label, is re-rendered in canonical OpenMetrics
 * form ({@code le="1"} becomes {@code le="1.0"}) so that both formats give one series identity. Values that
 * do not parse as floats stay as they are. The type is that of the last TYPE line, as in Prometheus.
 */
final class ClassicBucketLabels {

    private static final int MEMO_LIMIT = 1024;

    /** Bucket bounds repeat across every histogram of a scrape; remember the few distinct ones. */
    private final HashMap<String, String> memo = new HashMap<>();

    static boolean applies(MetricType type, String labelName) {
        return (type == MetricType.HISTOGRAM && labelName.equals("le"))
                || (type == MetricType.SUMMARY && labelName.equals("quantile"));
    }

    String normalize(String value) {
        String canonical = memo.get(value);
        if (canonical == null) {
            canonical = canonical(value);
            if (memo.size() >= MEMO_LIMIT) {
                memo.clear();
            }
            memo.put(value, canonical);
        }
        return canonical;
    }

    private static String canonical(String value) {
        try {
            return OpenMetricsFloatFormat.format(ExpositionFloats.parse(value));
        } catch (NumberFormatException notAFloat) {
            return value;
        }
    }
}

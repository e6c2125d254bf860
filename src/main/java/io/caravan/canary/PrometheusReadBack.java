package io.caravan.canary;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Finds metric markers through Prometheus' (or Mimir's) instant query API: the range selector
 * {@code caravan_canary{canary=,instance=}[window]} at toMs returns every marker sample stored in the window, and each
 * sample's value is its marker's id. {@code baseUrl} is what comes before {@code /api/v1/query} (Mimir:
 * {@code https://mimir.example/prometheus}).
 */
final class PrometheusReadBack implements ReadBack {

    static final String METRIC = "caravan_canary";

    private final QueryClient client;
    private final String selector;

    PrometheusReadBack(QueryClient client, String canary, String instance) {
        this.client = client;
        this.selector = METRIC + "{canary=\"" + escape(canary) + "\",instance=\"" + escape(instance) + "\"}";
    }

    @Override
    public Set<Long> markers(long fromMs, long toMs) throws IOException, InterruptedException {
        long windowSeconds = Math.max(1, (toMs - fromMs + 999) / 1000 + 1);
        JsonNode data = client.get("/api/v1/query", Map.of("query", selector + "[" + windowSeconds + "s]",
                "time", String.format(java.util.Locale.ROOT, "%.3f", toMs / 1000.0)));
        Set<Long> ids = new HashSet<>();
        for (JsonNode series : data.path("result")) {
            for (JsonNode point : series.path("values")) {
                double value = Double.parseDouble(point.path(1).asText());
                ids.add((long) value);
            }
        }
        return ids;
    }

    static String escape(String labelValue) {
        return labelValue.replace("\\", "\\\\").replace("\"", "\\\"");
    }
}

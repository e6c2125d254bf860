package io.caravan.canary;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds log markers through Loki's {@code /loki/api/v1/query_range}: the canary's stream
 * {@code {job="caravan-canary",canary=,instance=}} from the oldest outstanding marker on, each line naming its
 * marker ({@code marker=ID}). {@code baseUrl} is what comes before {@code /loki/api/v1}.
 */
final class LokiReadBack implements ReadBack {

    static final String JOB = "caravan-canary";
    static final Pattern MARKER = Pattern.compile("\\bmarker=(\\d+)\\b");
    /** More lines than markers a window can hold (MarkerBook.MAX_OUTSTANDING). */
    static final int LIMIT = 2_000;

    private final QueryClient client;
    private final String selector;

    LokiReadBack(QueryClient client, String canary, String instance) {
        this.client = client;
        this.selector = "{job=\"" + JOB + "\",canary=\"" + PrometheusReadBack.escape(canary) + "\",instance=\""
                + PrometheusReadBack.escape(instance) + "\"}";
    }

    static String line(long id, String instance) {
        return "caravan canary marker=" + id + " instance=" + instance;
    }

    @Override
    public Set<Long> markers(long fromMs, long toMs) throws IOException, InterruptedException {
        JsonNode data = client.get("/loki/api/v1/query_range", Map.of("query", selector,
                "start", Long.toString(fromMs * 1_000_000L), "end", Long.toString((toMs + 1) * 1_000_000L),
                "limit", Integer.toString(LIMIT), "direction", "forward"));
        Set<Long> ids = new HashSet<>();
        for (JsonNode stream : data.path("result")) {
            for (JsonNode value : stream.path("values")) {
                Matcher m = MARKER.matcher(value.path(1).asText());
                if (m.find()) {
                    ids.add(Long.parseLong(m.group(1)));
                }
            }
        }
        return ids;
    }
}

package io.caravan.loki.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import java.util.regex.Pattern;

/**
 * A Loki push endpoint on 127.0.0.1 for tests: decodes the real protobuf + snappy, and validates as
 * Loki's distributor and ingester do with default limits: line size 256KB, label names
 * [a-zA-Z_][a-zA-Z0-9_]*, label name length 1024 and value length 2048, at most 15 labels, and per
 * stream no entry older than the newest already accepted (an exact duplicate is ignored silently).
 * Valid entries of a request are kept even when others are refused; the answer is then 400 with Loki's
 * kind of message. A script can make request n answer with another status, hang, or the whole server
 * can go down and come up again on the same port.
 */
public final class LokiReceiver implements AutoCloseable {

    public static final int MAX_LINE_SIZE = 256 * 1024;
    /** Loki's per-tenant defaults: max_structured_metadata_size and max_structured_metadata_entries_count. */
    public static final int MAX_STRUCTURED_METADATA_SIZE = 64 * 1024;
    public static final int MAX_STRUCTURED_METADATA_ENTRIES = 128;
    private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");

    /** What request n gets: a status (with headers), or hang until released. */
    public record Answer(int status, Map<String, String> headers, boolean hang) {
        public static final Answer OK = new Answer(204, Map.of(), false);
        public static final Answer HANG = new Answer(0, Map.of(), true);

        public static Answer status(int status) {
            return new Answer(status, Map.of(), false);
        }

        public static Answer retryAfter(int status, int seconds) {
            return new Answer(status, Map.of("Retry-After", Integer.toString(seconds)), false);
        }
    }

    /** One accepted entry, with its stream and the tenant of its request. */
    public record Received(String stream, long timestampNanos, String line, Map<String, String> metadata, String tenant) {
    }

    private final int port;
    private volatile HttpServer server;
    private volatile IntFunction<Answer> script = n -> Answer.OK;
    private final AtomicInteger requests = new AtomicInteger();
    private final AtomicInteger decodedEntries = new AtomicInteger();
    private final List<Received> accepted = new CopyOnWriteArrayList<>();
    private final List<Map<String, String>> headers = new CopyOnWriteArrayList<>();
    private final List<String> refusals = new CopyOnWriteArrayList<>();
    private final Map<String, Long> newest = new HashMap<>();
    private final Map<String, String> newestLine = new HashMap<>();
    private volatile CountDownLatch release = new CountDownLatch(1);

    public LokiReceiver() throws IOException {
        server = start(0);
        port = server.getAddress().getPort();
    }

    private HttpServer start(int onPort) throws IOException {
        HttpServer s = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), onPort), 0);
        s.setExecutor(Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "loki-receiver");
            t.setDaemon(true);
            return t;
        }));
        s.createContext("/loki/api/v1/push", this::handle);
        s.createContext("/loki/api/v1/query_range", this::queryRange);
        s.start();
        return s;
    }

    public String url() {
        return "http://127.0.0.1:" + port + "/loki/api/v1/push";
    }

    public void script(IntFunction<Answer> script) {
        this.script = script;
    }

    /** Stops listening: connections are refused, as when Loki is down. */
    public synchronized void down() {
        release.countDown();
        server.stop(0);
    }

    public synchronized void up() throws IOException {
        release = new CountDownLatch(1);
        server = start(port);
    }

    /** Lets hanging requests go (they then answer 503). */
    public void releaseHung() {
        release.countDown();
        release = new CountDownLatch(1);
    }

    private void handle(HttpExchange ex) throws IOException {
        try (InputStream in = ex.getRequestBody()) {
            byte[] body = in.readAllBytes();
            int n = requests.incrementAndGet();
            Map<String, String> h = new HashMap<>();
            ex.getRequestHeaders().forEach((k, v) -> h.put(k.toLowerCase(), v.get(0)));
            headers.add(h);
            Answer a = script.apply(n);
            if (a.hang()) {
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                reply(ex, 503, "released");
                return;
            }
            if (a.status() / 100 != 2) {
                a.headers().forEach((k, v) -> ex.getResponseHeaders().set(k, v));
                reply(ex, a.status(), "scripted " + a.status());
                return;
            }
            if (!"application/x-protobuf".equals(h.get("content-type"))) {
                reply(ex, 415, "unsupported content type " + h.get("content-type"));
                return;
            }
            List<LokiPushDecoder.Stream> streams;
            try {
                streams = LokiPushDecoder.decode(body);
            } catch (IOException | RuntimeException e) {
                reply(ex, 400, "error parsing push request: " + e.getMessage());
                return;
            }
            streams.forEach(st -> decodedEntries.addAndGet(st.entries().size()));
            String errors = validateAndKeep(streams, h.get("x-scope-orgid"));
            if (!errors.isEmpty()) {
                refusals.add(errors);
                reply(ex, 400, errors);
            } else {
                reply(ex, a.status(), "");
            }
        } catch (RuntimeException e) {
            reply(ex, 500, e.toString());
        } finally {
            ex.close();
        }
    }

    private synchronized String validateAndKeep(List<LokiPushDecoder.Stream> streams, String tenant) {
        StringBuilder errors = new StringBuilder();
        for (LokiPushDecoder.Stream s : streams) {
            String labelError = validateLabels(s.labels());
            if (labelError != null) {
                errors.append(labelError).append('\n');
                continue;
            }
            String key = (tenant == null ? "" : tenant) + s.labels();
            for (LokiPushDecoder.Entry e : s.entries()) {
                int bytes = e.line().getBytes(StandardCharsets.UTF_8).length;
                if (bytes > MAX_LINE_SIZE) {
                    errors.append("Max entry size '").append(MAX_LINE_SIZE).append("' bytes exceeded for stream '")
                            .append(s.labels()).append("' while adding an entry with length '").append(bytes).append("' bytes\n");
                    continue;
                }
                int metadataBytes = e.metadata().entrySet().stream()
                        .mapToInt(m -> m.getKey().getBytes(StandardCharsets.UTF_8).length + m.getValue().getBytes(StandardCharsets.UTF_8).length).sum();
                if (metadataBytes > MAX_STRUCTURED_METADATA_SIZE) {
                    errors.append("stream '").append(s.labels()).append("' has structured metadata too large: '").append(metadataBytes)
                            .append("' bytes, limit: '").append(MAX_STRUCTURED_METADATA_SIZE).append("' bytes\n");
                    continue;
                }
                if (e.metadata().size() > MAX_STRUCTURED_METADATA_ENTRIES) {
                    errors.append("stream '").append(s.labels()).append("' has too many structured metadata labels: '")
                            .append(e.metadata().size()).append("', limit: '").append(MAX_STRUCTURED_METADATA_ENTRIES).append("'\n");
                    continue;
                }
                Long last = newest.get(key);
                if (last != null && e.timestampNanos() < last) {
                    errors.append("entry with timestamp ").append(e.timestampNanos()).append(" ignored, reason: 'entry out of order' for stream: ")
                            .append(s.labels()).append('\n');
                    continue;
                }
                if (last != null && e.timestampNanos() == last && e.line().equals(newestLine.get(key))) {
                    continue; // Loki ignores an exact duplicate
                }
                newest.put(key, e.timestampNanos());
                newestLine.put(key, e.line());
                accepted.add(new Received(s.labels(), e.timestampNanos(), e.line(), e.metadata(), tenant));
            }
        }
        return errors.toString().strip();
    }

    /** Parses {a="b", c="d"} as Loki's LogQL parser does, and applies Loki's label limits. */
    static String validateLabels(String text) {
        Map<String, String> labels = parseLabels(text);
        if (labels == null) {
            return "error parsing labels '" + text + "'";
        }
        if (labels.isEmpty()) {
            return "error at least one label pair is required per stream";
        }
        if (labels.size() > 15) {
            return "stream '" + text + "' has " + labels.size() + " label names; limit 15";
        }
        for (Map.Entry<String, String> l : labels.entrySet()) {
            if (!LABEL_NAME.matcher(l.getKey()).matches()) {
                return "error at least one label pair is required per stream: invalid label name '" + l.getKey() + "'";
            }
            if (l.getKey().length() > 1024) {
                return "stream '" + text + "' has label name too long";
            }
            if (l.getValue().length() > 2048) {
                return "stream '" + text + "' has label value too long: '" + l.getValue().substring(0, 32) + "...'";
            }
        }
        return null;
    }

    static Map<String, String> parseLabels(String s) {
        Map<String, String> out = new LinkedHashMap<>();
        int i = 0;
        if (!s.startsWith("{") || !s.endsWith("}")) {
            return null;
        }
        i = 1;
        while (i < s.length() - 1) {
            while (s.charAt(i) == ' ' || s.charAt(i) == ',') {
                i++;
            }
            int eq = s.indexOf('=', i);
            if (eq < 0 || s.charAt(eq + 1) != '"') {
                return null;
            }
            String name = s.substring(i, eq);
            StringBuilder v = new StringBuilder();
            int j = eq + 2;
            while (j < s.length() && s.charAt(j) != '"') {
                char c = s.charAt(j++);
                if (c == '\\') {
                    char e = s.charAt(j++);
                    switch (e) {
                        // Go's unquoting, as Loki's LogQL parser reads a label value
                        case 'n' -> v.append('\n');
                        case 't' -> v.append('\t');
                        case 'r' -> v.append('\r');
                        case 'a' -> v.append('\u0007');
                        case 'b' -> v.append('\b');
                        case 'f' -> v.append('\f');
                        case 'v' -> v.append('\u000b');
                        case 'x' -> {
                            v.append((char) Integer.parseInt(s.substring(j, j + 2), 16));
                            j += 2;
                        }
                        case 'u' -> {
                            v.appendCodePoint(Integer.parseInt(s.substring(j, j + 4), 16));
                            j += 4;
                        }
                        case 'U' -> {
                            v.appendCodePoint(Integer.parseInt(s.substring(j, j + 8), 16));
                            j += 8;
                        }
                        default -> v.append(e);
                    }
                } else {
                    v.append(c);
                }
            }
            if (j >= s.length()) {
                return null;
            }
            out.put(name, v.toString());
            i = j + 1;
        }
        return out;
    }

    private static void reply(HttpExchange ex, int status, String text) throws IOException {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        ex.sendResponseHeaders(status, b.length == 0 ? -1 : b.length);
        if (b.length > 0) {
            ex.getResponseBody().write(b);
        }
    }

    /** What comes before /loki/api/v1: the query API's base, as a read-back canary is given it. */
    public String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    private static final java.util.regex.Pattern MATCHER = java.util.regex.Pattern.compile("([A-Za-z_][A-Za-z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

    private static Map<String, String> labelsOf(String selector) {
        Map<String, String> m = new HashMap<>();
        java.util.regex.Matcher x = MATCHER.matcher(selector);
        while (x.find()) {
            m.put(x.group(1), x.group(2));
        }
        return m;
    }

    /**
     * Loki's query_range for the accepted entries, as far as a read-back canary asks: a stream selector of equality
     * matchers, start and end in nanoseconds, limit, direction forward; answered as Loki answers (resultType streams).
     */
    private void queryRange(HttpExchange ex) throws IOException {
        try {
            answerQueryRange(ex);
        } catch (RuntimeException e) {
            reply(ex, 500, "query_range failed in the test receiver: " + e);
        } finally {
            ex.close();
        }
    }

    private void answerQueryRange(HttpExchange ex) throws IOException {
        Map<String, String> params = new HashMap<>();
        String raw = ex.getRequestURI().getRawQuery();
        for (String kv : raw == null ? new String[0] : raw.split("&")) {
            int eq = kv.indexOf('=');
            if (eq > 0) {
                params.put(kv.substring(0, eq), java.net.URLDecoder.decode(kv.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        Map<String, String> wanted = labelsOf(params.getOrDefault("query", ""));
        long start = Long.parseLong(params.getOrDefault("start", "0"));
        long end = Long.parseLong(params.getOrDefault("end", Long.toString(Long.MAX_VALUE)));
        int limit = Integer.parseInt(params.getOrDefault("limit", "100"));
        Map<String, List<Received>> streams = new java.util.LinkedHashMap<>();
        int n = 0;
        for (Received r : accepted) {
            Map<String, String> labels = labelsOf(r.stream());
            if (n < limit && r.timestampNanos() >= start && r.timestampNanos() < end
                    && wanted.entrySet().stream().allMatch(w -> w.getValue().equals(labels.get(w.getKey())))) {
                streams.computeIfAbsent(r.stream(), k -> new ArrayList<>()).add(r);
                n++;
            }
        }
        StringBuilder json = new StringBuilder("{\"status\":\"success\",\"data\":{\"resultType\":\"streams\",\"result\":[");
        boolean firstStream = true;
        for (Map.Entry<String, List<Received>> st : streams.entrySet()) {
            json.append(firstStream ? "" : ",").append("{\"stream\":{");
            firstStream = false;
            boolean firstLabel = true;
            for (Map.Entry<String, String> l : labelsOf(st.getKey()).entrySet()) {
                json.append(firstLabel ? "" : ",").append(quote(l.getKey())).append(':').append(quote(l.getValue()));
                firstLabel = false;
            }
            json.append("},\"values\":[");
            boolean firstValue = true;
            for (Received r : st.getValue()) {
                json.append(firstValue ? "" : ",").append("[\"").append(r.timestampNanos()).append("\",").append(quote(r.line())).append(']');
                firstValue = false;
            }
            json.append("]}");
        }
        json.append("]}}");
        ex.getResponseHeaders().set("Content-Type", "application/json");
        reply(ex, 200, json.toString());
    }

    private static String quote(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }

    public List<Received> accepted() {
        return new ArrayList<>(accepted);
    }

    public List<String> lines() {
        List<String> out = new ArrayList<>();
        accepted.forEach(r -> out.add(r.line()));
        return out;
    }

    /** Entries in every decoded request, duplicates included. */
    public int decodedEntries() {
        return decodedEntries.get();
    }

    public int requests() {
        return requests.get();
    }

    public List<Map<String, String>> headers() {
        return new ArrayList<>(headers);
    }

    public List<String> refusals() {
        return new ArrayList<>(refusals);
    }

    @Override
    public void close() {
        release.countDown();
        server.stop(0);
    }
}

package io.caravan.tap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

/**
 * {@code tap ROUTE[:STEP]}: what passes a step of a route on a running agent, one item a line, from the agent's
 * {@code GET /api/v1/tap} (Server-Sent Events). Items on stdout (targets as label sets, samples in Prometheus' text
 * format, log entries as labels, time and line; "# N skipped" where the rate limit or the buffer left items out), what
 * the tap is and why it ended on stderr. Starts no Spring and no Camel: an HTTP client and Jackson.
 * Exit 0 when the limit or the time is reached, 1 when the agent cannot be reached or refuses the tap, 2 on bad usage.
 */
public final class TapCommand {

    static final String USAGE = """
            usage: tap ROUTE[:STEP] [--url URL] [--limit N] [--seconds S] [--rate N] [--direction in|out|both]
              What passes a step of a route on a running agent, one item a line; without STEP, what leaves the
              route's source. STEP: a step id of GET /api/v1/tap/steps?route=ROUTE (relabel:kubelet), its position
              (1, 2...) or a scheme one step has (relabel).
              --url URL         the agent's UI address (default http://127.0.0.1:$CARAVAN_HTTP_PORT, else :12345)
              --limit N         stop after N items (default: no limit but the time)
              --seconds S       stop after S seconds (default 60, at most 600)
              --rate N          at most N items a second, the rest counted as skipped (default 100, at most 1000)
              --direction D     in: what goes into the step (default); out: what comes out; both""";

    private static final ObjectMapper JSON = new ObjectMapper();

    private TapCommand() {
    }

    public static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
        String target = null;
        String url = "http://127.0.0.1:" + env.getOrDefault("CARAVAN_HTTP_PORT", "12345");
        StringBuilder query = new StringBuilder();
        boolean both = false;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("--help") || arg.equals("-h")) {
                out.println(USAGE);
                return 0;
            }
            if (!arg.startsWith("-")) {
                if (target != null) {
                    return usage(err, "one ROUTE[:STEP], not '" + target + "' and '" + arg + "'");
                }
                target = arg;
                continue;
            }
            String name = arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
            String value = arg.contains("=") ? arg.substring(arg.indexOf('=') + 1) : i + 1 < args.length ? args[++i] : null;
            if (value == null) {
                return usage(err, name + " needs a value");
            }
            switch (name) {
                case "--url" -> url = value.replaceAll("/+$", "");
                case "--limit", "--seconds", "--rate" -> {
                    if (!value.matches("\\d{1,9}")) {
                        return usage(err, name + " takes a whole number, not '" + value + "'");
                    }
                    query.append('&').append(name.substring(2)).append('=').append(value);
                }
                case "--direction" -> {
                    try {
                        both = Tap.Direction.parse(value) == Tap.Direction.BOTH;
                    } catch (IllegalArgumentException e) {
                        return usage(err, e.getMessage());
                    }
                    query.append("&direction=").append(enc(value));
                }
                default -> {
                    return usage(err, "unknown option '" + name + "'");
                }
            }
        }
        if (target == null || target.isBlank()) {
            return usage(err, "which route? give ROUTE or ROUTE:STEP");
        }
        int colon = target.indexOf(':');
        String route = colon < 0 ? target : target.substring(0, colon);
        String step = colon < 0 ? null : target.substring(colon + 1);
        URI uri;
        try {
            uri = URI.create(url + "/api/v1/tap?route=" + enc(route) + (step == null ? "" : "&step=" + enc(step)) + query);
        } catch (IllegalArgumentException e) {
            return usage(err, "--url " + url + " is not a URL (" + e.getMessage() + ")");
        }
        return stream(uri, url, both, out, err);
    }

    private static int stream(URI uri, String url, boolean both, PrintStream out, PrintStream err) {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        HttpRequest request = HttpRequest.newBuilder(uri).header("Accept", "text/event-stream").GET().build();
        HttpResponse<InputStream> response;
        try {
            response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (ConnectException e) {
            err.println("tap: no agent answers at " + url + " (connection refused): give its UI address with --url URL"
                    + " (the agent listens on CARAVAN_HTTP_ADDRESS:CARAVAN_HTTP_PORT, 127.0.0.1:12345 by default;"
                    + " from outside its pod: kubectl port-forward ds/caravan 12345)");
            return 1;
        } catch (IOException e) {
            err.println("tap: cannot reach an agent at " + url + " (" + e + "): give its UI address with --url URL");
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        }
        try (InputStream body = response.body()) {
            if (response.statusCode() != 200) {
                err.println("tap: " + error(new String(body.readAllBytes(), StandardCharsets.UTF_8), response.statusCode(), url));
                return 1;
            }
            return events(new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8)), both, out, err);
        } catch (IOException e) {
            err.println("tap: lost the stream from " + url + " (" + e.getMessage() + ")");
            return 1;
        }
    }

    /** Reads the events: tap (what it is), item, skipped, end; a comment line keeps the connection alive. */
    private static int events(BufferedReader in, boolean both, PrintStream out, PrintStream err) throws IOException {
        String event = null;
        StringBuilder data = new StringBuilder();
        for (String line = in.readLine(); line != null; line = in.readLine()) {
            if (line.startsWith("event:")) {
                event = line.substring(6).trim();
            } else if (line.startsWith("data:")) {
                data.append(line.substring(5).trim());
            } else if (line.isEmpty() && event != null) {
                JsonNode d = JSON.readTree(data.toString());
                switch (event) {
                    case "tap" -> err.println("tap: " + d.path("describe").asText());
                    case "item" -> out.println((both ? String.format("%-4s ", d.path("dir").asText()) : "") + d.path("text").asText());
                    case "skipped" -> out.println("# " + d.path("skipped").asLong() + " skipped (over the rate limit, or the buffer was full)");
                    case "end" -> {
                        String reason = d.path("reason").asText();
                        err.println("tap: ended, " + reason + " (" + d.path("items").asLong() + " items, "
                                + d.path("skipped").asLong() + " skipped)");
                        return reason.equals(Tap.LIMIT_REACHED) || reason.equals(Tap.TIME_IS_UP) ? 0 : 1;
                    }
                    default -> {
                        // an event this client does not know: a newer agent's
                    }
                }
                event = null;
                data.setLength(0);
            }
        }
        err.println("tap: the agent closed the stream before the tap ended");
        return 1;
    }

    private static String error(String body, int status, String url) {
        try {
            JsonNode e = JSON.readTree(body).path("error");
            if (e.isTextual()) {
                return e.asText();
            }
        } catch (IOException ignored) {
            // not our JSON: say what came back
        }
        return "HTTP " + status + " from " + url + (status == 404 ? " (is it a Caravan agent with the tap, on its UI port?)" : "")
                + ": " + body.strip().lines().findFirst().orElse("");
    }

    private static int usage(PrintStream err, String problem) {
        err.println("tap: " + problem);
        err.println(USAGE);
        return 2;
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}

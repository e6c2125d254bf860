package io.caravan.sink;

import io.caravan.http.HttpClients;
import io.caravan.http.RetryAfter;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * One POST of a sink's request body with the sink's headers, and the receiver's answer reduced to what a
 * {@link Sender} acts on. It polls the response instead of blocking, so a stop never has to interrupt the
 * sender thread (an interrupt would close the segment log's channels under its reader).
 */
public final class PushClient {

    /** How much of a receiver's answer goes into messages and logs. */
    public static final int EXCERPT_CHARS = 512;

    /**
     * What the receiver said: SENT (2xx); RETRY (5xx, 429, no answer, credentials unreadable); REFUSED, a 4xx
     * about what the request holds (400, 409, 413, 422) for a sink that sends such a request again in parts;
     * DROP, any other 4xx (401, 403, 404, ...), which no part of it would pass. {@code answer} is the start of
     * the receiver's body, e.g. "out of order sample".
     */
    public record Outcome(Kind kind, int status, long retryAfterMs, String message, String answer) {
        public enum Kind { SENT, RETRY, REFUSED, DROP }
    }

    private final HttpClient http;
    private final URI url;
    private final Duration timeout;
    private final Map<String, String> headers;
    private final Supplier<String> authorization; // null when none; never logged
    private final boolean splitsRefusals;

    /**
     * @param headers        sent with every request (Content-Type, User-Agent, the sink's own)
     * @param splitsRefusals true when the sink splits a request refused for its content (REFUSED); false
     *                       drops it like any other 4xx
     */
    public PushClient(HttpClient http, URI url, Duration timeout, Map<String, String> headers,
                      Supplier<String> authorization, boolean splitsRefusals) {
        this.http = http;
        this.url = url;
        this.timeout = timeout;
        this.headers = Map.copyOf(headers);
        this.authorization = authorization;
        this.splitsRefusals = splitsRefusals;
    }

    /** The URL fit for logs and the UI. */
    public String redactedUrl() {
        return HttpClients.redact(url);
    }

    /** Sends body[offset, offset+length); null when {@code stopped} turns true before the answer. */
    public Outcome send(byte[] body, int offset, int length, BooleanSupplier stopped) throws InterruptedException {
        return send(body, offset, length, Map.of(), stopped);
    }

    /** As {@link #send(byte[], int, int, BooleanSupplier)}, with headers of this request only (Loki's tenant of a batch). */
    public Outcome send(byte[] body, int offset, int length, Map<String, String> requestHeaders, BooleanSupplier stopped)
            throws InterruptedException {
        HttpRequest.Builder req = HttpRequest.newBuilder(url).timeout(timeout)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body, offset, length));
        headers.forEach(req::header);
        requestHeaders.forEach(req::header);
        try {
            String auth = authorization == null ? null : authorization.get();
            if (auth != null) {
                req.header("Authorization", auth);
            }
        } catch (RuntimeException unreadable) {
            return new Outcome(Outcome.Kind.RETRY, 0, 0, unreadable.getMessage(), "");
        }
        CompletableFuture<HttpResponse<String>> answer = http.sendAsync(req.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        HttpResponse<String> resp;
        try {
            while (true) {
                try {
                    resp = answer.get(50, TimeUnit.MILLISECONDS);
                    break;
                } catch (TimeoutException notYet) {
                    if (stopped.getAsBoolean()) {
                        answer.cancel(true);
                        return null;
                    }
                }
            }
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            return new Outcome(Outcome.Kind.RETRY, 0, 0, "cannot reach " + redactedUrl() + ": " + cause, "");
        }
        int status = resp.statusCode();
        Outcome.Kind kind = classify(status, splitsRefusals);
        if (kind == Outcome.Kind.SENT) {
            return new Outcome(kind, status, 0, "", "");
        }
        String excerpt = excerpt(resp.body());
        String message = "HTTP " + status + " from " + redactedUrl() + ": " + excerpt;
        long retryAfter = kind == Outcome.Kind.RETRY ? RetryAfter.millis(resp.headers().firstValue("Retry-After").orElse(null)) : 0;
        return new Outcome(kind, status, retryAfter, message, excerpt);
    }

    /** The table every sink shares; only whether content refusals are split differs. */
    public static Outcome.Kind classify(int status, boolean splitsRefusals) {
        if (status / 100 == 2) {
            return Outcome.Kind.SENT;
        }
        if (status / 100 == 5 || status == 429) {
            return Outcome.Kind.RETRY;
        }
        // 400: Prometheus, Mimir, Loki; 409: Thanos Receive (out of order, duplicate, out of bounds); 422:
        // unprocessable content; 413: too large as a whole, its halves are not
        boolean aboutContent = status == 400 || status == 409 || status == 413 || status == 422;
        return splitsRefusals && aboutContent ? Outcome.Kind.REFUSED : Outcome.Kind.DROP;
    }

    static String excerpt(String body) {
        if (body == null) {
            return "";
        }
        String b = body.strip().replace('\n', ' ');
        return b.length() > EXCERPT_CHARS ? b.substring(0, EXCERPT_CHARS) + "..." : b;
    }
}

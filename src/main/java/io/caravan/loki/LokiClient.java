package io.caravan.loki;

import io.caravan.http.HttpClients;
import io.caravan.http.RetryAfter;
import io.caravan.http.UserAgent;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.Supplier;

/** One push request: POST the snappy protobuf, and classify the answer so the sender knows what to do. */
final class LokiClient {

    static final String USER_AGENT = UserAgent.CARAVAN + " (loki push)";

    /** What the receiver said, reduced to what the sender acts on. */
    record Outcome(Kind kind, int status, long retryAfterMs, String message) {
        enum Kind { SENT, RETRY, DROP }
    }

    private final HttpClient http;
    private final URI url;
    private final Duration timeout;
    private final String tenant;
    private final Supplier<String> authorization; // null when none; never logged

    LokiClient(HttpClient http, URI url, Duration timeout, String tenant, Supplier<String> authorization) {
        this.http = http;
        this.url = url;
        this.timeout = timeout;
        this.tenant = tenant;
        this.authorization = authorization;
    }

    /**
     * Sends one request; null when {@code stopped} turns true first. Polls instead of blocking so that
     * stopping never has to interrupt the sender thread (an interrupt would close the spill files' channels).
     */
    Outcome send(byte[] body, int length, java.util.function.BooleanSupplier stopped) throws InterruptedException {
        HttpRequest.Builder req = HttpRequest.newBuilder(url)
                .timeout(timeout)
                .header("Content-Type", "application/x-protobuf")
                .header("User-Agent", USER_AGENT)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body, 0, length));
        if (tenant != null && !tenant.isBlank()) {
            req.header("X-Scope-OrgID", tenant);
        }
        try {
            String auth = authorization == null ? null : authorization.get();
            if (auth != null) {
                req.header("Authorization", auth);
            }
        } catch (RuntimeException e) {
            return new Outcome(Outcome.Kind.RETRY, 0, 0, e.getMessage());
        }
        HttpResponse<String> resp;
        java.util.concurrent.CompletableFuture<HttpResponse<String>> f =
                http.sendAsync(req.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        try {
            while (true) {
                try {
                    resp = f.get(50, java.util.concurrent.TimeUnit.MILLISECONDS);
                    break;
                } catch (java.util.concurrent.TimeoutException notYet) {
                    if (stopped.getAsBoolean()) {
                        f.cancel(true);
                        return null;
                    }
                }
            }
        } catch (java.util.concurrent.ExecutionException e) {
            Throwable c = e.getCause() == null ? e : e.getCause();
            return new Outcome(Outcome.Kind.RETRY, 0, 0, "cannot reach " + HttpClients.redact(url) + ": " + c);
        }
        int status = resp.statusCode();
        if (status / 100 == 2) {
            return new Outcome(Outcome.Kind.SENT, status, 0, "");
        }
        String message = "HTTP " + status + " from " + HttpClients.redact(url) + ": " + excerpt(resp.body());
        if (status / 100 == 5 || status == 429) {
            return new Outcome(Outcome.Kind.RETRY, status, RetryAfter.millis(resp.headers().firstValue("Retry-After").orElse(null)), message);
        }
        return new Outcome(Outcome.Kind.DROP, status, 0, message);
    }

    private static String excerpt(String body) {
        if (body == null) {
            return "";
        }
        String b = body.strip().replace('\n', ' ');
        return b.length() > 512 ? b.substring(0, 512) + "..." : b;
    }
}

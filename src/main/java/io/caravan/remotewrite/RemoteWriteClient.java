package io.caravan.remotewrite;

import io.caravan.http.HttpClients;
import io.caravan.http.RetryAfter;
import io.caravan.http.UserAgent;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * One remote_write 1.0 request: POST a snappy-compressed WriteRequest with the spec's headers, and classify
 * the answer so the queue knows whether to retry.
 */
final class RemoteWriteClient {

    static final String USER_AGENT = UserAgent.CARAVAN;

    /**
     * What the receiver said, reduced to what the queue acts on: SENT; RETRY (5xx, 429, no answer); REFUSED,
     * a 4xx about what the request holds (Prometheus fails a whole request for one sample out of bounds, out
     * of order or duplicate), so parts of it may pass; DROP, another 4xx (401, 403, 404, ...) that no part
     * of it would pass. {@code answer} is the start of the receiver's body, e.g. "out of order sample".
     */
    record Outcome(Kind kind, int status, long retryAfterMs, String message, String answer) {
        enum Kind { SENT, RETRY, REFUSED, DROP }
    }

    private final HttpClient http;
    private final URI url;
    private final Duration timeout;
    private final Supplier<String> authorization; // null when none; never logged

    RemoteWriteClient(HttpClient http, URI url, Duration timeout, Supplier<String> authorization) {
        this.http = http;
        this.url = url;
        this.timeout = timeout;
        this.authorization = authorization;
    }

    /** Sends body[offset, offset+length), a snappy block of a WriteRequest. */
    Outcome send(byte[] body, int offset, int length) throws InterruptedException {
        HttpRequest.Builder req = HttpRequest.newBuilder(url)
                .timeout(timeout)
                .header("Content-Encoding", "snappy")
                .header("Content-Type", "application/x-protobuf")
                .header("X-Prometheus-Remote-Write-Version", "0.1.0")
                .header("User-Agent", USER_AGENT)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body, offset, length));
        String auth = authorization == null ? null : authorization.get();
        if (auth != null) {
            req.header("Authorization", auth);
        }
        HttpResponse<String> resp;
        try {
            resp = http.send(req.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            return new Outcome(Outcome.Kind.RETRY, 0, 0, "cannot reach " + HttpClients.redact(url) + ": " + e, "");
        }
        int status = resp.statusCode();
        if (status / 100 == 2) {
            return new Outcome(Outcome.Kind.SENT, status, 0, "", "");
        }
        String answer = excerpt(resp.body());
        String message = "HTTP " + status + " from " + HttpClients.redact(url) + ": " + answer;
        if (status / 100 == 5 || status == 429) {
            long retryAfter = RetryAfter.millis(resp.headers().firstValue("Retry-After").orElse(null));
            return new Outcome(Outcome.Kind.RETRY, status, retryAfter, message, answer);
        }
        // 400: Prometheus, Mimir; 409: Thanos Receive (out of order, duplicate, out of bounds); 422: unprocessable
        // content; 413: too large as a whole, its halves are not
        boolean aboutContent = status == 400 || status == 409 || status == 413 || status == 422;
        return new Outcome(aboutContent ? Outcome.Kind.REFUSED : Outcome.Kind.DROP, status, 0, message, answer);
    }

    private static String excerpt(String body) {
        if (body == null) {
            return "";
        }
        String b = body.strip().replace('\n', ' ');
        return b.length() > 256 ? b.substring(0, 256) + "..." : b;
    }
}

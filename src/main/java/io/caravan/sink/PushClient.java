package io.caravan.sink;

import io.caravan.http.HttpClients;
import io.caravan.http.RetryAfter;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.http.io.entity.EntityUtils;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * One POST of a sink's request body with the sink's headers, and the receiver's answer reduced to what a
 * {@link Sender} acts on. The request runs on the sender's thread with Apache HttpClient's blocking client (see
 * {@link HttpClients#push}); a stop cancels it from a watch thread, so it never has to interrupt the sender
 * (an interrupt would close the segment log's channels under its reader). The sender that holds a client closes it.
 */
public final class PushClient implements AutoCloseable {

    /** How much of a receiver's answer goes into messages and logs. */
    public static final int EXCERPT_CHARS = 512;

    /**
     * What the receiver said: SENT (2xx); RETRY (5xx, 429, no answer, credentials unreadable); REFUSED, a 4xx
     * about what the request holds (400, 409, 413, 422) for a sink that sends such a request again in parts;
     * DROP, any other 4xx (401, 403, 404, ...), which no part of it would pass. {@code answer} is the start of
     * the receiver's body, e.g. "out of order sample".
     */
    /** @param written what a remote_write 2.0 receiver says it wrote (its X-Prometheus-Remote-Write-*-Written headers), or null */
    public record Outcome(Kind kind, int status, long retryAfterMs, String message, String answer, Written written) {
        public enum Kind { SENT, RETRY, REFUSED, DROP }

        public Outcome(Kind kind, int status, long retryAfterMs, String message, String answer) {
            this(kind, status, retryAfterMs, message, answer, null);
        }
    }

    /** The counts a remote_write 2.0 receiver answers with; a header it left out counts 0. */
    public record Written(long samples, long histograms, long exemplars) {
    }

    /** Checks the stop of every request in flight, every 50 ms: one daemon thread for all sinks. */
    private static final ScheduledExecutorService STOP_WATCH = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "caravan-push-stop-watch");
        t.setDaemon(true);
        return t;
    });
    private static final int MAX_ANSWER_BYTES = 64 * 1024; // read of a refusal's body: enough for its excerpt

    private final CloseableHttpClient http;
    private final URI url;
    private final Map<String, String> headers;
    private final Supplier<String> authorization; // null when none; never logged
    private final boolean splitsRefusals;

    /**
     * @param http           a client from {@link HttpClients#push}, which holds the TLS settings and the timeouts
     * @param headers        sent with every request (Content-Type, User-Agent, the sink's own)
     * @param splitsRefusals true when the sink splits a request refused for its content (REFUSED); false
     *                       drops it like any other 4xx
     */
    public PushClient(CloseableHttpClient http, URI url, Map<String, String> headers,
                      Supplier<String> authorization, boolean splitsRefusals) {
        this.http = http;
        this.url = withoutUserInfo(url);
        this.headers = Map.copyOf(headers);
        this.authorization = authorization;
        this.splitsRefusals = splitsRefusals;
    }

    /**
     * user:password@ in a URL is not sent (it never was): credentials come from the sink's auth options. Apache
     * HttpClient refuses a request URI that holds them.
     */
    private static URI withoutUserInfo(URI url) {
        if (url.getRawUserInfo() == null) {
            return url;
        }
        String s = url.toString();
        int at = s.indexOf(url.getRawUserInfo() + "@");
        return URI.create(s.substring(0, at) + s.substring(at + url.getRawUserInfo().length() + 1));
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
        HttpPost post = new HttpPost(url);
        post.setEntity(new ByteArrayEntity(body, offset, length, null));
        headers.forEach(post::setHeader);
        requestHeaders.forEach(post::setHeader);
        try {
            String auth = authorization == null ? null : authorization.get();
            if (auth != null) {
                post.setHeader("Authorization", auth);
            }
        } catch (RuntimeException unreadable) {
            return new Outcome(Outcome.Kind.RETRY, 0, 0, unreadable.getMessage(), "");
        }
        if (stopped.getAsBoolean()) {
            return null;
        }
        ScheduledFuture<?> watch = STOP_WATCH.scheduleWithFixedDelay(() -> {
            if (stopped.getAsBoolean()) {
                post.cancel();
            }
        }, 50, 50, TimeUnit.MILLISECONDS);
        try {
            return http.execute(post, this::outcome);
        } catch (IOException e) {
            if (post.isCancelled() || stopped.getAsBoolean()) {
                return null;
            }
            return new Outcome(Outcome.Kind.RETRY, 0, 0, "cannot reach " + redactedUrl() + ": " + e, "");
        } finally {
            watch.cancel(false);
        }
    }

    private Outcome outcome(ClassicHttpResponse resp) throws IOException {
        int status = resp.getCode();
        Outcome.Kind kind = classify(status, splitsRefusals);
        if (kind == Outcome.Kind.SENT) {
            EntityUtils.consume(resp.getEntity()); // read to its end: the connection goes back to the pool
            return new Outcome(kind, status, 0, "", "", written(resp));
        }
        String excerpt = excerpt(answer(resp.getEntity()));
        String message = "HTTP " + status + " from " + redactedUrl() + ": " + excerpt;
        Header retryAfter = resp.getFirstHeader("Retry-After");
        long retryAfterMs = kind == Outcome.Kind.RETRY ? RetryAfter.millis(retryAfter == null ? null : retryAfter.getValue()) : 0;
        return new Outcome(kind, status, retryAfterMs, message, excerpt);
    }

    /** The remote_write 2.0 written counts, when the receiver sent at least one of them. */
    private static Written written(ClassicHttpResponse resp) {
        Header samples = resp.getFirstHeader("X-Prometheus-Remote-Write-Samples-Written");
        Header histograms = resp.getFirstHeader("X-Prometheus-Remote-Write-Histograms-Written");
        Header exemplars = resp.getFirstHeader("X-Prometheus-Remote-Write-Exemplars-Written");
        if (samples == null && histograms == null && exemplars == null) {
            return null;
        }
        return new Written(count(samples), count(histograms), count(exemplars));
    }

    private static long count(Header h) {
        if (h == null) {
            return 0;
        }
        try {
            return Math.max(0, Long.parseLong(h.getValue().strip()));
        } catch (NumberFormatException e) {
            return 0; // not a count: nothing vouched for
        }
    }

    /** The start of a refusal's body (a long one is not read to its end: the client closes that connection). */
    private static String answer(HttpEntity entity) throws IOException {
        if (entity == null) {
            return "";
        }
        try (InputStream in = entity.getContent()) {
            return new String(in.readNBytes(MAX_ANSWER_BYTES), StandardCharsets.UTF_8);
        }
    }

    @Override
    public void close() {
        http.close(org.apache.hc.core5.io.CloseMode.GRACEFUL);
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

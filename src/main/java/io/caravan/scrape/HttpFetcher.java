package io.caravan.scrape;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Supplier;
import java.util.zip.GZIPInputStream;

/**
 * Fetches a target over HTTP as Prometheus does: an asynchronous exchange cut at the scrape timeout (the body is
 * aborted where it stands, so a target that trickles bytes costs nothing more), gzip, the body size limit on the
 * uncompressed bytes, and only a 200 with something other than a web page counts as metrics.
 */
final class HttpFetcher implements Fetcher {

    private final ScrapeSettings settings;
    private final Supplier<HttpClient> clientFactory;
    private final Supplier<String> authorization;
    private final String userAgent;
    private final ScheduledExecutorService timer;
    private final Executor workers;
    private volatile HttpClient client;

    HttpFetcher(ScrapeSettings settings, Supplier<HttpClient> clientFactory, Supplier<String> authorization, String userAgent,
                ScheduledExecutorService timer, Executor workers) {
        this.settings = settings;
        this.clientFactory = clientFactory;
        this.authorization = authorization;
        this.userAgent = userAgent;
        this.timer = timer;
        this.workers = workers;
    }

    @Override
    public void fetch(ScrapeTarget target, BiConsumer<Fetched, Throwable> done) {
        HttpRequest.Builder req = HttpRequest.newBuilder(target.url())
                .timeout(Duration.ofMillis(target.timeoutMs()))
                .header("Accept", settings.exposition().acceptHeader())
                .header("User-Agent", userAgent)
                .header("X-Prometheus-Scrape-Timeout-Seconds", String.format(Locale.ROOT, "%.3f", target.timeoutMs() / 1000.0))
                .GET();
        if (settings.enableCompression()) {
            req.header("Accept-Encoding", "gzip");
        }
        String auth = authorization == null ? null : authorization.get();
        if (auth != null) {
            req.header("Authorization", auth);
        }
        BoundedBody body = new BoundedBody(settings.bodySizeLimit());
        CompletableFuture<HttpResponse<byte[]>> call = client().sendAsync(req.build(), body);
        ScheduledFuture<?> timeout = timer.schedule(() -> {
            body.abort(new HttpTimeoutException("scrape timed out after " + target.timeoutMs() + "ms"));
            call.cancel(true);
        }, target.timeoutMs(), TimeUnit.MILLISECONDS);
        call.whenCompleteAsync((resp, err) -> {
            timeout.cancel(false);
            if (err != null) {
                done.accept(null, err);
                return;
            }
            Fetched fetched;
            try {
                fetched = metrics(resp);
            } catch (Exception e) {
                done.accept(null, e);
                return;
            }
            done.accept(fetched, null);
        }, workers);
    }

    /**
     * The client, built on first use: a CA file that is not there yet (no service account outside a cluster) then
     * fails each scrape with a clear error (up=0) instead of failing the agent's start.
     */
    private HttpClient client() {
        HttpClient c = client;
        if (c == null) {
            synchronized (this) {
                if (client == null) {
                    client = clientFactory.get();
                }
                c = client;
            }
        }
        return c;
    }

    private Fetched metrics(HttpResponse<byte[]> resp) throws Exception {
        if (resp.statusCode() != 200) {
            throw new ScrapeFailure.BadStatus(resp.statusCode());
        }
        byte[] body = resp.body();
        if (resp.headers().firstValue("Content-Encoding").map(v -> v.equalsIgnoreCase("gzip")).orElse(false)) {
            body = gunzip(body, settings.bodySizeLimit());
        }
        String contentType = resp.headers().firstValue("Content-Type").orElse("");
        if (isWebPage(contentType)) {
            throw new ScrapeFailure.NotMetrics(contentType);
        }
        return new Fetched(body, contentType);
    }

    /** The limit is on the uncompressed body, as Prometheus' body_size_limit: a small gzip bomb is stopped too. */
    private static byte[] gunzip(byte[] body, long limit) throws Exception {
        long max = limit <= 0 ? Integer.MAX_VALUE - 8 : Math.min(limit, Integer.MAX_VALUE - 8);
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(body))) {
            byte[] plain = in.readNBytes((int) max + 1);
            if (plain.length > max) {
                throw new BoundedBody.TooLarge(limit);
            }
            return plain;
        }
    }

    /** text/html is a web page (a wrong path, a login redirect), not an exposition. */
    private static boolean isWebPage(String contentType) {
        return contentType != null && contentType.strip().toLowerCase(Locale.ROOT).startsWith("text/html");
    }
}

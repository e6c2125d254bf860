package io.caravan.canary;

import io.caravan.component.ComponentStatus;
import io.caravan.component.RouteHandOff;
import io.caravan.http.BearerTokenFile;
import io.caravan.http.HttpClients;
import io.caravan.model.Labels;
import io.caravan.model.LogEntry;
import io.caravan.model.Sample;
import org.apache.camel.Processor;
import org.apache.camel.support.DefaultConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Sends a marker every interval down the route (to its sink) and looks for the outstanding ones through the store's
 * query API every checkInterval, both on one thread of its own: a slow query never delays a marker by more than one
 * check. A marker the route refuses is not waited for (the sink counts its own refusals).
 */
final class CanaryConsumer extends DefaultConsumer {

    private static final Logger LOG = LoggerFactory.getLogger(CanaryConsumer.class);

    private final CanaryEndpoint endpoint;
    private final CanaryEndpoint.Kind kind;
    private final String instance;
    private final MarkerBook book;
    private CanaryMetrics metrics;
    private ReadBack readBack;
    private ScheduledExecutorService thread;
    private volatile boolean lastCheckOk = true;
    private volatile String lastQueryError;
    private volatile int outstanding;
    private volatile String lastError;
    private final Map<String, String> lastLogged = new java.util.concurrent.ConcurrentHashMap<>();
    private volatile Instant lastErrorAt;
    private volatile boolean lastMarkerMissing;

    CanaryConsumer(CanaryEndpoint endpoint, Processor processor) {
        super(endpoint, processor);
        this.endpoint = endpoint;
        this.kind = endpoint.kind();
        this.instance = endpoint.instanceLabel();
        this.book = new MarkerBook(CanaryEndpoint.millis(endpoint.getMissingAfter()));
    }

    private boolean off() {
        return endpoint.getQueryUrl().isBlank();
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        endpoint.getComponent().register(this);
        if (off()) {
            LOG.info("canary:{}: off (no queryUrl): markers are sent only where they can be read back", endpoint.getName());
            return;
        }
        metrics = new CanaryMetrics(endpoint.getComponent().meters(), endpoint.getName(), () -> outstanding);
        Duration timeout = Duration.ofMillis(CanaryEndpoint.millis(endpoint.getQueryTimeout()));
        String token = endpoint.getBearerTokenFile();
        QueryClient client = new QueryClient(HttpClients.create(timeout, endpoint.getCaFile(), endpoint.isInsecureSkipVerify(), null),
                endpoint.getQueryUrl(), endpoint.getTenant(), token.isBlank() ? null : new BearerTokenFile(Path.of(token)), timeout);
        readBack = kind == CanaryEndpoint.Kind.METRICS ? new PrometheusReadBack(client, endpoint.getName(), instance)
                : new LokiReadBack(client, endpoint.getName(), instance);
        thread = getEndpoint().getCamelContext().getExecutorServiceManager()
                .newSingleThreadScheduledExecutor(this, "canary-" + endpoint.getName());
        long every = CanaryEndpoint.millis(endpoint.getInterval());
        long check = CanaryEndpoint.millis(endpoint.getCheckInterval());
        thread.scheduleAtFixedRate(this::send, 0, every, TimeUnit.MILLISECONDS);
        thread.scheduleWithFixedDelay(this::check, check, check, TimeUnit.MILLISECONDS);
        LOG.info("canary:{}: a {} marker every {} through this route, read back from {}", endpoint.getName(),
                kind.name().toLowerCase(), endpoint.getInterval(), HttpClients.redact(URI.create(endpoint.getQueryUrl())));
    }

    @Override
    protected void doStop() throws Exception {
        endpoint.getComponent().unregister(this);
        if (thread != null) {
            getEndpoint().getCamelContext().getExecutorServiceManager().shutdownNow(thread);
            thread = null;
        }
        super.doStop();
    }

    private void send() {
        long now = System.currentTimeMillis();
        long id = book.send(now);
        try {
            RouteHandOff.deliver(this, marker(id), Map.of());
            metrics.sent();
        } catch (Exception e) {
            book.unsent(id);
            failed("send", "the route refused the marker: " + e.getMessage());
        }
        outstanding = book.outstanding();
    }

    /** The marker as its sink takes it: one sample whose value is its id, or one line that names it. */
    private Object marker(long id) {
        if (kind == CanaryEndpoint.Kind.METRICS) {
            return List.of(new Sample(Labels.of("__name__", PrometheusReadBack.METRIC, "canary", endpoint.getName(),
                    "instance", instance), id, id));
        }
        return List.of(new LogEntry(Labels.of("job", LokiReadBack.JOB, "canary", endpoint.getName(), "instance", instance),
                id * 1_000_000L, LokiReadBack.line(id, instance)));
    }

    private void check() {
        long now = System.currentTimeMillis();
        try {
            long oldest = book.oldestSentAt();
            if (oldest >= 0) {
                for (MarkerBook.Found f : book.found(readBack.markers(oldest, now), now)) {
                    metrics.found(now, f.latencyMs());
                    lastMarkerMissing = false;
                }
            }
            lastCheckOk = true;
            lastQueryError = null;
        } catch (IOException e) {
            lastCheckOk = false;
            lastQueryError = e.getMessage();
            metrics.queryFailed();
            failed("query", e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        } catch (RuntimeException e) {
            lastCheckOk = false;
            lastQueryError = "the query API's answer could not be read: " + e;
            metrics.queryFailed();
            failed("query", lastQueryError);
        }
        int expired = book.expire(now);
        if (expired > 0) {
            String reason = lastCheckOk ? MarkerBook.NOT_FOUND : MarkerBook.UNCHECKED;
            metrics.missing(reason, expired);
            lastMarkerMissing = true;
            failed("missing", "marker(s) not found within " + endpoint.getMissingAfter() + " (" + reason + ")");
        }
        outstanding = book.outstanding();
    }

    /** Kept for the status; logged when what went wrong of this kind changes, not at every check. */
    private void failed(String kind, String why) {
        if (!why.equals(lastLogged.put(kind, why))) {
            LOG.warn("canary:{}: {}", endpoint.getName(), why);
        }
        lastError = why;
        lastErrorAt = Instant.now();
    }

    ComponentStatus status() {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("kind", kind.name().toLowerCase());
        d.put("instance", instance);
        ComponentStatus.Health health;
        String state;
        if (off()) {
            health = ComponentStatus.Health.UNKNOWN;
            state = "off: no queryUrl";
        } else {
            d.put("queryUrl", HttpClients.redact(URI.create(endpoint.getQueryUrl())));
            d.put("interval", endpoint.getInterval());
            d.put("sent", metrics.sentCount());
            d.put("found", metrics.foundCount());
            d.put("missing", metrics.missingCount());
            d.put("outstanding", outstanding);
            String queryError = lastQueryError;
            if (queryError != null) {
                d.put("lastQueryError", queryError);
            }
            if (metrics.lastFoundMs() > 0) {
                d.put("lastFound", Instant.ofEpochMilli(metrics.lastFoundMs()).toString());
                d.put("latencySeconds", metrics.lastLatencyMs() / 1000.0);
            }
            if (lastMarkerMissing || !lastCheckOk) {
                health = ComponentStatus.Health.DEGRADED;
                state = lastMarkerMissing ? "missing" : "query failing";
            } else if (metrics.lastFoundMs() > 0) {
                health = ComponentStatus.Health.UP;
                state = "found";
            } else {
                health = ComponentStatus.Health.UNKNOWN;
                state = "waiting";
            }
        }
        return new ComponentStatus("canary", endpoint.getName(), endpoint.getEndpointUri(), health, state, List.of(), null,
                lastError, lastErrorAt, d);
    }
}

package io.caravan.logs.process;

import io.caravan.model.LogEntry;
import org.apache.camel.Exchange;
import org.apache.camel.Route;
import org.apache.camel.spi.ShutdownPrepared;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Lets held entries out of a running route: a multiline block whose stream went quiet for max_wait_time, although
 * no new exchange comes to carry it, and every held entry when the route stops.
 * <p>
 * Why this way: a producer does not know the steps after it, so it cannot send what it releases itself. Nor can the
 * log sources be relied on to send empty batches when idle: any Camel consumer may feed a loki-process step. What
 * does know the rest of the route is the route: a release is an exchange with an empty batch sent through the
 * route the entries came in by, from its start, as its consumer would send it (steps before loki-process see an
 * empty batch; the shipped template has none). The pipeline then lets overdue entries out, and they go on to the
 * sink as any batch does. It is checked every {@link #TICK_MILLIS} when a stage holds by time (multiline), and an
 * exchange is made only when something is due.
 * <p>
 * On stop, Camel's shutdown strategy calls {@link #prepareShutdown} once the route's consumer has stopped but
 * while the routes it sends to (direct: sinks, whose consumers are deferred) still run: the release exchange then
 * carries {@link #FLUSH}, and the producer adds everything the stages hold ({@link Pipeline#flush()}). So held
 * blocks leave at shutdown rather than vanish.
 */
final class HeldEntriesRelease extends ServiceSupport implements ShutdownPrepared {

    /** Exchange property: after this batch, let out everything the stages hold (the route is stopping). */
    static final String FLUSH = "CaravanLokiProcessFlush";

    /** How often overdue entries are looked for: how late past max_wait_time a block may leave, at most. */
    static final long TICK_MILLIS = 100;

    private static final Logger LOG = LoggerFactory.getLogger(HeldEntriesRelease.class);

    private final Route route;
    private final Pipeline pipeline;
    private final ScheduledExecutorService timer;
    private volatile ScheduledFuture<?> ticking;

    HeldEntriesRelease(Route route, Pipeline pipeline, ScheduledExecutorService timer) {
        this.route = route;
        this.pipeline = pipeline;
        this.timer = timer;
    }

    @Override
    protected void doStart() {
        if (!pipeline.holdsByTime()) {
            return; // nothing leaves by time: only the flush on stop is needed
        }
        ticking = timer.scheduleWithFixedDelay(this::releaseOverdue, TICK_MILLIS, TICK_MILLIS, TimeUnit.MILLISECONDS);
    }

    @Override
    protected void doStop() {
        stopTicking();
    }

    /** Once the route's consumer has stopped: everything held goes out through the rest of the route. */
    @Override
    public void prepareShutdown(boolean suspendOnly, boolean forced) {
        if (!suspendOnly) {
            stopTicking();
            send(true);
        }
    }

    private void stopTicking() {
        ScheduledFuture<?> t = ticking;
        if (t != null) {
            t.cancel(false);
            ticking = null;
        }
    }

    private void releaseOverdue() {
        if (pipeline.holdsOverdue()) {
            send(false);
        }
    }

    private void send(boolean flush) {
        Exchange exchange = route.getEndpoint().createExchange();
        exchange.getExchangeExtension().setFromRouteId(route.getRouteId());
        exchange.getMessage().setBody(new ArrayList<LogEntry>());
        if (flush) {
            exchange.setProperty(FLUSH, true);
        }
        try {
            route.getProcessor().process(exchange);
        } catch (Exception e) {
            exchange.setException(e);
        }
        if (exchange.getException() != null) {
            // the route's error handler has had it; what the stages let out is lost, as a failed batch is
            LOG.warn("route {}: releasing held log entries failed: {}", route.getRouteId(), exchange.getException().toString());
        }
    }
}

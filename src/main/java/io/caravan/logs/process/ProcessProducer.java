package io.caravan.logs.process;

import io.caravan.model.LogEntry;
import org.apache.camel.Exchange;
import org.apache.camel.InvalidPayloadException;
import org.apache.camel.Route;
import org.apache.camel.support.DefaultProducer;
import org.apache.camel.support.ExchangeHelper;
import org.apache.camel.support.service.ServiceHelper;

import java.util.List;

/**
 * Runs the pipeline over a {@code List<LogEntry>} (or one LogEntry) body; the body becomes the survivors. The first
 * exchange tells it its route, where held entries are let out later ({@link HeldEntriesRelease}).
 */
public class ProcessProducer extends DefaultProducer {

    private final ProcessEndpoint endpoint;
    private final Pipeline pipeline;
    private volatile HeldEntriesRelease release;

    public ProcessProducer(ProcessEndpoint endpoint, Pipeline pipeline) {
        super(endpoint);
        this.endpoint = endpoint;
        this.pipeline = pipeline;
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        try {
            watchRouteOf(exchange);
            List<LogEntry> out = pipeline.process(entries(exchange));
            if (exchange.getProperty(HeldEntriesRelease.FLUSH, false, Boolean.class)) {
                out.addAll(pipeline.flush());
            }
            exchange.getMessage().setBody(out);
        } catch (Exception e) {
            endpoint.failed(e); // for the status; the route's error handler deals with the exchange
            throw e;
        }
    }

    private void watchRouteOf(Exchange exchange) throws Exception {
        if (release != null) {
            return;
        }
        Route route = ExchangeHelper.getRoute(exchange);
        if (route == null) {
            return; // sent by a template outside any route: nothing can come back for held entries
        }
        synchronized (this) {
            if (release == null) {
                HeldEntriesRelease r = new HeldEntriesRelease(route, pipeline, endpoint.getComponent().releaseTimer());
                route.addService(r); // so that Camel's shutdown strategy prepares it, and stops it with the route
                ServiceHelper.startService(r);
                release = r;
            }
        }
    }

    @Override
    protected void doStop() throws Exception {
        ServiceHelper.stopService(release);
        release = null;
        super.doStop();
    }

    @SuppressWarnings("unchecked")
    private static List<LogEntry> entries(Exchange exchange) throws InvalidPayloadException {
        Object body = exchange.getMessage().getBody();
        if (body instanceof List<?> list) {
            for (Object o : list) {
                if (!(o instanceof LogEntry)) {
                    throw new InvalidPayloadException(exchange, List.class);
                }
            }
            return (List<LogEntry>) list;
        }
        if (body instanceof LogEntry e) {
            return List.of(e);
        }
        throw new InvalidPayloadException(exchange, List.class);
    }
}

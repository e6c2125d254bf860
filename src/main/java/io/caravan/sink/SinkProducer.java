package io.caravan.sink;

import io.caravan.component.ComponentStatus;
import io.caravan.component.DebugView;
import io.caravan.component.SinkLedger;
import org.apache.camel.Exchange;
import org.apache.camel.InvalidPayloadException;
import org.apache.camel.support.DefaultProducer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;

/**
 * A durable sink's producer: takes a {@code List<E>} body (or one E) and hands it to the sink, which appends
 * it to its queue on disk, sent by its {@link Sender}s, or keeps it in its debug view when it has no url. The
 * exchange returns once the entries are written, never waiting for the receiver. While started, the sink is
 * reported by its component; a stop flushes for up to flushTimeout, and what is left stays on disk.
 * <p>
 * A sending sink keeps a delivery ledger ({@link #ledger()}): each exchange is one step of it, its entries counted as
 * produced by the route the exchange started in (Camel's from route: the scrape job's or log source's route) in
 * the same step as they are appended to the queue or dropped before it.
 *
 * @param <E> what the sink takes: samples, log entries
 */
public abstract class SinkProducer<E> extends DefaultProducer implements SinkComponent.Running {

    private static final Logger LOG = LoggerFactory.getLogger(SinkProducer.class);
    /** The ledger's source of entries sent to the sink other than by a route (a producer template). */
    static final String NO_ROUTE = "(no route)";

    private final SinkEndpoint endpoint;
    private final SinkComponent component;
    private final Class<E> type;
    private volatile List<? extends Sender<?, ?>> senders = List.of();
    private ExecutorService threads;
    private volatile SinkMeters meters; // set while the sink counts what it is handed
    private volatile boolean ledger; // set while it sends through its queue: its ledger is worth reading
    private String redactedUrl = "";
    private PushClient client; // the senders' one client, closed once they have stopped

    protected SinkProducer(SinkEndpoint endpoint, SinkComponent component, Class<E> type) {
        super(endpoint);
        this.endpoint = endpoint;
        this.component = component;
        this.type = type;
    }

    @Override
    @SuppressWarnings("unchecked")
    public void process(Exchange exchange) throws Exception {
        Object body = exchange.getMessage().getBody();
        List<E> entries;
        if (body instanceof List<?> list) {
            entries = (List<E>) list;
        } else if (type.isInstance(body)) {
            entries = List.of(type.cast(body));
        } else {
            throw new InvalidPayloadException(exchange, List.class);
        }
        if (entries.isEmpty()) {
            return;
        }
        SinkMeters m = meters;
        if (m == null) {
            accept(entries);
            return;
        }
        String source = exchange.getFromRouteId();
        LedgerGate gate = m.gate();
        long stamp = gate.enter();
        try {
            m.produced(source == null ? NO_ROUTE : source, entries.size());
            accept(entries);
        } finally {
            gate.exit(stamp);
        }
    }

    /**
     * Queues the entries on disk, or keeps them in the debug view. Accounts for each one even when it throws: written
     * to the queue (which counts it persisted) or counted as dropped with a reason.
     */
    protected abstract void accept(List<E> entries) throws Exception;

    /** Runs the senders, a thread each, and reports the sink as sending through client. */
    protected void startSending(List<? extends Sender<?, ?>> senders, PushClient client, SinkMeters meters) {
        this.redactedUrl = client.redactedUrl();
        this.client = client;
        this.meters = meters;
        this.senders = senders;
        this.ledger = true;
        threads = component.senderThreads(endpoint.sinkName().replace(':', '-'), senders.size());
        senders.forEach(threads::submit);
        component.register(endpoint.getName(), this);
        LedgerMetrics.register(component.meters(), this, this::ledger);
    }

    /** Reports the sink as keeping what it gets in its debug view; meters, when given, count what it is handed. */
    protected void startDebug(SinkMeters meters) {
        this.meters = meters;
        component.register(endpoint.getName(), this);
    }

    @Override
    protected void doStop() throws Exception {
        component.unregister(endpoint.getName());
        LedgerMetrics.unregister(component.meters(), this);
        ledger = false;
        List<? extends Sender<?, ?>> s = senders;
        if (!s.isEmpty()) {
            Sender.stopAll(s, endpoint.flushTimeoutMs());
            getEndpoint().getCamelContext().getExecutorServiceManager().shutdown(threads);
            long left = Sender.pending(s);
            s.forEach(Sender::closeLogs);
            senders = List.of();
            client.close();
            client = null;
            if (left > 0) {
                LOG.info("{}: {} entries stay queued on disk in {} and are sent first at the next start",
                        endpoint.sinkName(), left, endpoint.queuePath());
            }
        }
        SinkMeters m = meters;
        if (m != null) {
            m.removeGauges();
        }
        meters = null;
        super.doStop();
    }

    /** Details of a sending sink beside the shared ones. */
    protected Map<String, Object> details() {
        return Map.of();
    }

    /** Where entries go when the sink has no receiver URL; null when it sends. */
    protected abstract DebugView debugView();


    /**
     * The sink's delivery ledger, read between steps (see {@link LedgerGate}): its counts and what its queue holds
     * now (every sender's log, and the logs they inherited), or null when it does not send through a queue.
     */
    @Override
    public SinkLedger ledger() {
        SinkMeters m = meters;
        List<? extends Sender<?, ?>> s = senders;
        if (!ledger || m == null) {
            return null;
        }
        return m.gate().read(() -> m.ledger(scheme(), Sender.pending(s)));
    }

    private String scheme() {
        return endpoint.sinkName().substring(0, endpoint.sinkName().indexOf(':'));
    }

    /** What the UI and the health endpoint show for this sink. */
    @Override
    public ComponentStatus status() {
        String scheme = scheme();
        if (debugView() != null) {
            return SinkStatus.debug(endpoint, scheme, debugView().received());
        }
        return SinkStatus.sending(endpoint, scheme, senders, redactedUrl, meters == null ? 0 : (long) meters.sentTotal(), details());
    }
}

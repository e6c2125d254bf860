package io.caravan.sink;

import io.caravan.component.CaravanComponent;
import io.caravan.component.ComponentStatus;
import io.caravan.component.DebugView;
import io.caravan.component.DebugViews;
import io.caravan.component.LedgerSource;
import io.caravan.component.SinkLedger;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ExecutorService;
import java.util.function.Supplier;

/**
 * A durable sink's Camel component: it knows its started sinks by name and reports them, each the same way
 * (its status with the queue, its delivery ledger, and its debug view when it has no receiver), to the UI and the
 * health endpoint.
 */
public abstract class SinkComponent extends CaravanComponent implements DebugViews, LedgerSource {

    /** A started sink, as its component reports it. */
    public interface Running {
        ComponentStatus status();

        /** Its ledger read at one moment; null when it keeps none (a debug sink). */
        default SinkLedger ledger() {
            return null;
        }
    }

    private final Map<String, Running> running = new ConcurrentSkipListMap<>();
    private final Map<String, DebugView> debugSinks = new ConcurrentSkipListMap<>();

    public void register(String name, Running sink) {
        running.put(name, sink);
    }

    public void unregister(String name) {
        running.remove(name);
    }

    /** Every started sink's status, by name. */
    @Override
    public List<ComponentStatus> statuses() {
        List<ComponentStatus> out = new ArrayList<>();
        running.values().forEach(s -> out.add(s.status()));
        return out;
    }

    /** The ledger of every started sink that sends through a queue, by name. */
    @Override
    public List<SinkLedger> ledgers() {
        List<SinkLedger> out = new ArrayList<>();
        for (Running s : running.values()) {
            SinkLedger l = s.ledger();
            if (l != null) {
                out.add(l);
            }
        }
        return out;
    }

    /**
     * The debug sink of this name, made on first use: kept across a restart of its route (what it holds stays
     * readable), one per CamelContext, never shared with another.
     */
    public <V extends DebugView> V debugSink(String name, Class<V> type, Supplier<V> create) {
        DebugView v = debugSinks.computeIfAbsent(name, n -> create.get());
        if (!type.isInstance(v)) {
            throw new IllegalStateException(name + " is already a debug sink of another kind: give each sink its own name");
        }
        return type.cast(v);
    }

    /** Every debug sink made so far, by name. */
    @Override
    public List<DebugView> debugViews() {
        return new ArrayList<>(debugSinks.values());
    }

    /** Threads for a sink's senders, named after it, shut down with the component at the latest. */
    public ExecutorService senderThreads(String name, int threads) {
        return threadPool(name, threads);
    }
}

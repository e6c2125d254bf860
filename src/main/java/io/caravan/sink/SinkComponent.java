package io.caravan.sink;

import io.caravan.component.CaravanComponent;
import io.caravan.component.ComponentStatus;
import io.caravan.component.DebugView;
import io.caravan.component.DebugViews;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ExecutorService;

/**
 * A durable sink's Camel component: it knows its started sinks by name and reports them, each the same way
 * (its status with the queue, and its debug view when it has no receiver), to the UI and the health endpoint.
 */
public abstract class SinkComponent extends CaravanComponent implements DebugViews {

    /** A started sink, as its component reports it. */
    public interface Running {
        ComponentStatus status();

        /** What it holds for an operator when it has no receiver; null when it sends. */
        DebugView debugView();
    }

    private final Map<String, Running> running = new ConcurrentSkipListMap<>();

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

    @Override
    public List<DebugView> debugViews() {
        List<DebugView> out = new ArrayList<>();
        for (Running s : running.values()) {
            DebugView v = s.debugView();
            if (v != null) {
                out.add(v);
            }
        }
        return out;
    }

    /** Threads for a sink's senders, named after it, shut down with the component at the latest. */
    public ExecutorService senderThreads(String name, int threads) {
        return threadPool(name, threads);
    }
}

package io.caravan.loki;

import org.apache.camel.Endpoint;
import org.apache.camel.support.DefaultComponent;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * {@code loki:NAME?url=...}: a Loki push sink (Alloy's loki.write). Each endpoint has its own disk-backed
 * queue under spillDir and its own sender thread, so one receiver down or slow never holds back another.
 * Without a url the entries go to a bounded in-memory {@link LokiDebugSink}.
 */
public class LokiComponent extends DefaultComponent {

    private final Map<String, Supplier<LokiStatus>> running = new ConcurrentHashMap<>();

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        LokiEndpoint endpoint = new LokiEndpoint(uri, this, remaining);
        setProperties(endpoint, parameters);
        return endpoint;
    }

    /** The status of every started sink of this component, by name, for the UI. */
    public List<LokiStatus> status() {
        List<LokiStatus> out = new ArrayList<>();
        running.values().forEach(s -> out.add(s.get()));
        out.sort((a, b) -> a.name().compareTo(b.name()));
        return out;
    }

    void register(String name, Supplier<LokiStatus> status) {
        running.put(name, status);
    }

    void unregister(String name) {
        running.remove(name);
    }
}

package io.caravan.relabel;

import org.apache.camel.Endpoint;
import org.apache.camel.support.DefaultComponent;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code relabel:NAME?rules=FILE}: applies a Prometheus relabel_config list to the body, a target list
 * (discovery.relabel) or a sample list (metric relabeling). Dropped items leave the list.
 */
public class RelabelComponent extends DefaultComponent {

    private final Map<String, RelabelProducer> steps = new ConcurrentHashMap<>();

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        RelabelEndpoint endpoint = new RelabelEndpoint(uri, this, remaining);
        setProperties(endpoint, parameters);
        return endpoint;
    }

    void register(String name, RelabelProducer producer) {
        steps.put(name, producer);
    }

    void unregister(String name, RelabelProducer producer) {
        steps.remove(name, producer);
    }

    /** The running relabel steps by name, for the UI's relabel debugger. */
    public Map<String, RelabelProducer> steps() {
        return new TreeMap<>(steps);
    }
}

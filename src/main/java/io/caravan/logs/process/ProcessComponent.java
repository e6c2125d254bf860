package io.caravan.logs.process;

import org.apache.camel.Endpoint;
import org.apache.camel.support.DefaultComponent;

import java.util.Map;

/**
 * {@code loki-process:NAME?stages=FILE}: Alloy's loki.process as a route step. The body is a
 * {@code List<LogEntry>}; the stages of FILE run over it and the body becomes what is left.
 */
public class ProcessComponent extends DefaultComponent {

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        ProcessEndpoint endpoint = new ProcessEndpoint(uri, this, remaining);
        setProperties(endpoint, parameters);
        return endpoint;
    }
}

package io.caravan.relabel;

import org.apache.camel.Endpoint;
import org.apache.camel.support.DefaultComponent;

import java.util.Map;

/**
 * {@code relabel:NAME?rules=FILE}: applies a Prometheus relabel_config list to the body, a target list
 * (discovery.relabel) or a sample list (metric relabeling). Dropped items leave the list.
 */
public class RelabelComponent extends DefaultComponent {

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        RelabelEndpoint endpoint = new RelabelEndpoint(uri, this, remaining);
        setProperties(endpoint, parameters);
        return endpoint;
    }
}

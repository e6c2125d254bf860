package io.caravan.discovery;

import org.apache.camel.Endpoint;
import org.apache.camel.support.DefaultComponent;

import java.util.Map;

/**
 * {@code static-targets:NAME}: a fixed target list, from the URI ({@code addresses=}) or from a file that an
 * operator edits (re-read when it changes), like Alloy's static target arrays and Prometheus' file_sd.
 */
public class StaticTargetsComponent extends DefaultComponent {

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        StaticTargetsEndpoint endpoint = new StaticTargetsEndpoint(uri, this, remaining);
        setProperties(endpoint, parameters);
        return endpoint;
    }
}

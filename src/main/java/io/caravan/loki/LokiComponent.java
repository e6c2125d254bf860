package io.caravan.loki;

import io.caravan.sink.SinkComponent;
import org.apache.camel.Endpoint;

import java.util.Map;

/**
 * {@code loki:NAME?url=...}: a Loki push sink (Alloy's loki.write). Each endpoint has its own queue on disk
 * and its own sender thread, so one receiver down or slow never holds back another. Without a url the
 * entries go to a bounded in-memory {@link LokiDebugSink}.
 */
public class LokiComponent extends SinkComponent {

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        LokiEndpoint endpoint = new LokiEndpoint(uri, this, remaining);
        setProperties(endpoint, parameters);
        return endpoint;
    }
}

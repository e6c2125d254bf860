package io.caravan.remotewrite;

import io.caravan.sink.SinkComponent;
import org.apache.camel.Endpoint;

import java.util.Map;

/**
 * {@code remote-write:NAME?url=...}: a Prometheus remote_write 1.0 sink. NAME names the sink in metrics,
 * logs and the UI. Without a url the samples go to a bounded in-memory {@link DebugSink} instead.
 */
public class RemoteWriteComponent extends SinkComponent {

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        RemoteWriteEndpoint endpoint = new RemoteWriteEndpoint(uri, this, remaining);
        setProperties(endpoint, parameters);
        return endpoint;
    }
}

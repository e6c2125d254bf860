package io.caravan.logs.pods;

import io.caravan.component.RouteHandOff;
import io.caravan.model.LogEntry;
import org.apache.camel.Processor;
import org.apache.camel.support.DefaultConsumer;

import java.util.HashMap;
import java.util.Map;
import java.util.List;

/**
 * Emits one exchange per batch of one container: the body is the {@code List<LogEntry>}; headers name the
 * namespace, pod and container. Runs on the follower's thread and returns when the route is done, which is when
 * the follower may store its position.
 */
public class PodLogsConsumer extends DefaultConsumer {

    public static final String HEADER_NAMESPACE = "CaravanNamespace";
    public static final String HEADER_POD = "CaravanPod";
    public static final String HEADER_CONTAINER = "CaravanContainer";

    private final PodLogsEndpoint endpoint;
    private final PodLogsJob.Sink sink = this::deliver;

    public PodLogsConsumer(PodLogsEndpoint endpoint, Processor processor) {
        super(endpoint, processor);
        this.endpoint = endpoint;
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        endpoint.job().attach(sink);
    }

    @Override
    protected void doStop() throws Exception {
        endpoint.job().detach(sink);
        super.doStop();
    }

    private void deliver(ContainerRef ref, List<LogEntry> batch) throws Exception {
        Map<String, Object> headers = new HashMap<>();
        headers.put(HEADER_NAMESPACE, ref.namespace());
        headers.put(HEADER_POD, ref.pod());
        headers.put(HEADER_CONTAINER, ref.container());
        RouteHandOff.deliver(this, batch, headers);
    }
}

package io.caravan.logs.pods;

import io.caravan.model.LogEntry;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.support.DefaultConsumer;

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
        Exchange exchange = createExchange(false);
        try {
            exchange.getMessage().setBody(batch);
            exchange.getMessage().setHeader(HEADER_NAMESPACE, ref.namespace());
            exchange.getMessage().setHeader(HEADER_POD, ref.pod());
            exchange.getMessage().setHeader(HEADER_CONTAINER, ref.container());
            getProcessor().process(exchange);
            if (exchange.getException() != null) {
                throw exchange.getException();
            }
        } finally {
            releaseExchange(exchange, false);
        }
    }
}

package io.caravan.logs.pods;

import io.caravan.model.Target;
import org.apache.camel.Exchange;
import org.apache.camel.InvalidPayloadException;
import org.apache.camel.support.DefaultProducer;

import java.util.List;

/** Takes the current target list ({@code List<Target>}, after relabeling) and makes the followed containers match. */
public class PodLogsProducer extends DefaultProducer {

    private final PodLogsEndpoint endpoint;

    public PodLogsProducer(PodLogsEndpoint endpoint) {
        super(endpoint);
        this.endpoint = endpoint;
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        PodLogsSettings settings = endpoint.settings();
        PodLogsComponent component = endpoint.getComponent();
        endpoint.job().configure(settings, component::kubernetesClient, endpoint.getEndpointUri());
    }

    @Override
    protected void doStop() throws Exception {
        endpoint.job().stopAll();
        super.doStop();
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        List<Target> targets = Target.listOrNull(exchange.getMessage().getBody());
        if (targets == null) {
            throw new InvalidPayloadException(exchange, List.class);
        }
        endpoint.job().sync(targets);
    }
}

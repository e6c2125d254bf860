package io.caravan.scrape;

import io.caravan.model.Target;
import org.apache.camel.Exchange;
import org.apache.camel.InvalidPayloadException;
import org.apache.camel.support.DefaultProducer;

import java.util.List;

/** Takes a job's current target list ({@code List<Target>}) and makes the running loops match it. */
public class ScrapeProducer extends DefaultProducer {

    private final ScrapeEndpoint endpoint;

    public ScrapeProducer(ScrapeEndpoint endpoint) {
        super(endpoint);
        this.endpoint = endpoint;
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        endpoint.scrapeJob().configure(endpoint.settings(), endpoint::httpClient, endpoint.bearerToken(), endpoint.getEndpointUri());
        endpoint.scrapeJob().localSource(endpoint.localSource());
    }

    @Override
    protected void doStop() throws Exception {
        endpoint.scrapeJob().stopAll();
        super.doStop();
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        List<Target> targets = Target.listOrNull(exchange.getMessage().getBody());
        if (targets == null) {
            throw new InvalidPayloadException(exchange, List.class);
        }
        endpoint.scrapeJob().sync(targets);
    }
}

package io.caravan.logs.process;

import io.caravan.model.LogEntry;
import org.apache.camel.Exchange;
import org.apache.camel.InvalidPayloadException;
import org.apache.camel.support.DefaultProducer;

import java.util.List;

/** Runs the pipeline over a {@code List<LogEntry>} (or one LogEntry) body; the body becomes the survivors. */
public class ProcessProducer extends DefaultProducer {

    private final ProcessEndpoint endpoint;
    private final Pipeline pipeline;

    public ProcessProducer(ProcessEndpoint endpoint, Pipeline pipeline) {
        super(endpoint);
        this.endpoint = endpoint;
        this.pipeline = pipeline;
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        try {
            exchange.getMessage().setBody(pipeline.process(entries(exchange)));
        } catch (Exception e) {
            endpoint.failed(e); // for the status; the route's error handler deals with the exchange
            throw e;
        }
    }

    @SuppressWarnings("unchecked")
    private static List<LogEntry> entries(Exchange exchange) throws InvalidPayloadException {
        Object body = exchange.getMessage().getBody();
        if (body instanceof List<?> list) {
            for (Object o : list) {
                if (!(o instanceof LogEntry)) {
                    throw new InvalidPayloadException(exchange, List.class);
                }
            }
            return (List<LogEntry>) list;
        }
        if (body instanceof LogEntry e) {
            return List.of(e);
        }
        throw new InvalidPayloadException(exchange, List.class);
    }
}

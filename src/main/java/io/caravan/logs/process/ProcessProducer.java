package io.caravan.logs.process;

import io.caravan.model.LogEntry;
import org.apache.camel.Exchange;
import org.apache.camel.InvalidPayloadException;
import org.apache.camel.support.DefaultProducer;

import java.util.List;

/** Runs the pipeline over a {@code List<LogEntry>} (or one LogEntry) body; the body becomes the survivors. */
public class ProcessProducer extends DefaultProducer {

    private final Pipeline pipeline;

    public ProcessProducer(ProcessEndpoint endpoint, Pipeline pipeline) {
        super(endpoint);
        this.pipeline = pipeline;
    }

    @Override
    @SuppressWarnings("unchecked")
    public void process(Exchange exchange) throws Exception {
        Object body = exchange.getMessage().getBody();
        List<LogEntry> in;
        if (body instanceof List<?> list) {
            for (Object o : list) {
                if (!(o instanceof LogEntry)) {
                    throw new InvalidPayloadException(exchange, List.class);
                }
            }
            in = (List<LogEntry>) list;
        } else if (body instanceof LogEntry e) {
            in = List.of(e);
        } else {
            throw new InvalidPayloadException(exchange, List.class);
        }
        exchange.getMessage().setBody(pipeline.process(in));
    }
}

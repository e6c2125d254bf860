package io.caravan.relabel;

import io.caravan.model.Labels;
import io.caravan.model.Sample;
import io.caravan.model.Target;
import org.apache.camel.Exchange;
import org.apache.camel.InvalidPayloadException;
import org.apache.camel.support.DefaultProducer;

import java.util.ArrayList;
import java.util.List;

/** Relabels each item of a {@code List<Target>} or {@code List<Sample>} body; dropped items are left out. */
public class RelabelProducer extends DefaultProducer {

    private final RelabelRules rules;

    public RelabelProducer(RelabelEndpoint endpoint, RelabelRules rules) {
        super(endpoint);
        this.rules = rules;
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        Object body = exchange.getMessage().getBody();
        if (!(body instanceof List<?> items)) {
            throw new InvalidPayloadException(exchange, List.class);
        }
        List<Object> out = new ArrayList<>(items.size());
        for (Object item : items) {
            if (item instanceof Target t) {
                Labels l = rules.apply(t.labels());
                if (l != null) {
                    out.add(l == t.labels() ? t : new Target(l));
                }
            } else if (item instanceof Sample s) {
                Labels l = rules.apply(s.labels());
                if (l != null && !l.isEmpty()) {
                    out.add(l == s.labels() ? s : new Sample(l, s.timestampMs(), s.value()));
                }
            } else {
                throw new InvalidPayloadException(exchange, List.class);
            }
        }
        exchange.getMessage().setBody(out);
    }
}

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

    /** How many input items the debugger keeps per step: enough to pick a target, bounded in memory. */
    static final int DEBUG_SAMPLE = 500;

    private final RelabelRules rules;
    private volatile List<Labels> lastInput = List.of();

    public RelabelProducer(RelabelEndpoint endpoint, RelabelRules rules) {
        super(endpoint);
        this.rules = rules;
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        ((RelabelComponent) getEndpoint().getComponent()).register(((RelabelEndpoint) getEndpoint()).getName(), this);
    }

    @Override
    protected void doStop() throws Exception {
        ((RelabelComponent) getEndpoint().getComponent()).unregister(((RelabelEndpoint) getEndpoint()).getName(), this);
        super.doStop();
    }

    /** Where the rules came from, as written in the route (rules=...). */
    public String rulesSource() {
        return ((RelabelEndpoint) getEndpoint()).getRules();
    }

    public RelabelRules rules() {
        return rules;
    }

    /** The label sets of the last target list this step saw (up to DEBUG_SAMPLE), for the relabel debugger. */
    public List<Labels> lastInput() {
        return lastInput;
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        Object body = exchange.getMessage().getBody();
        if (!(body instanceof List<?> items)) {
            throw new InvalidPayloadException(exchange, List.class);
        }
        List<Object> out = new ArrayList<>(items.size());
        if (!items.isEmpty() && items.get(0) instanceof Target) {
            List<Labels> sample = new ArrayList<>(Math.min(items.size(), DEBUG_SAMPLE));
            for (int i = 0; i < items.size() && i < DEBUG_SAMPLE; i++) {
                sample.add(((Target) items.get(i)).labels());
            }
            lastInput = sample;
        }
        for (Object item : items) {
            if (item instanceof Target t) {
                Labels l = rules.apply(t.labels());
                if (l != null) {
                    out.add(l == t.labels() ? t : new Target(l));
                }
            } else if (item instanceof Sample s) {
                Labels l = rules.apply(s.labels());
                if (l != null && !l.isEmpty()) {
                    out.add(s.withLabels(l));
                }
            } else {
                throw new InvalidPayloadException(exchange, List.class);
            }
        }
        exchange.getMessage().setBody(out);
    }
}

package io.caravan.relabel;

import io.caravan.component.CaravanComponent;
import io.caravan.component.ComponentStatus;
import io.caravan.component.LabelTracing;
import io.caravan.model.Labels;
import org.apache.camel.Endpoint;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code relabel:NAME?rules=FILE}: applies a Prometheus relabel_config list to the body, a target list
 * (discovery.relabel) or a sample list (metric relabeling). Dropped items leave the list. Each running step
 * reports its rules and what it last saw, and can trace a label set rule by rule (the UI's relabel debugger).
 */
public class RelabelComponent extends CaravanComponent implements LabelTracing {

    static final String SCHEME = "relabel";

    private final Map<String, RelabelProducer> steps = new ConcurrentHashMap<>();

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        RelabelEndpoint endpoint = new RelabelEndpoint(uri, this, remaining);
        setProperties(endpoint, parameters);
        return endpoint;
    }

    void register(String name, RelabelProducer producer) {
        steps.put(name, producer);
    }

    void unregister(String name, RelabelProducer producer) {
        steps.remove(name, producer);
    }

    /** Each running step by name: its rules file, how many rules, how many label sets it last saw. */
    @Override
    public List<ComponentStatus> statuses() {
        return new TreeMap<>(steps).entrySet().stream().map(e -> {
            RelabelProducer p = e.getValue();
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("rules", p.rulesSource());
            details.put("ruleCount", p.rules().size());
            details.put("lastInputCount", p.lastInput().size());
            return new ComponentStatus(SCHEME, e.getKey(), p.getEndpoint().getEndpointUri(), ComponentStatus.Health.UP, "ok",
                    List.of(), null, null, null, details);
        }).toList();
    }

    @Override
    public List<Labels> lastInput(String step) {
        RelabelProducer p = steps.get(step);
        return p == null ? null : p.lastInput();
    }

    @Override
    public List<LabelTracing.Step> trace(String step, Labels input) {
        RelabelProducer p = steps.get(step);
        if (p == null) {
            return null;
        }
        return RelabelTrace.of(p.rules(), input).stream()
                .map(s -> new LabelTracing.Step(s.ruleNumber(), s.rule(), s.outcome().name(), s.before(), s.after()))
                .toList();
    }
}

package io.caravan.ui;

import io.caravan.component.SinkLedger;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The delivery ledger as JSON, for the UI's Ledger page: each sending sink's counts since its start (read at one
 * moment, so they balance unless the sink lost count), and per source route what it handed to each sink.
 */
@RestController
public class LedgerController {

    private final CamelContext camel;
    private final Components components;

    LedgerController(CamelContext camel) {
        this.camel = camel;
        this.components = new Components(camel);
    }

    /**
     * {"sinks": [{sink, component, key, since, produced, carriedOver, persisted, acknowledged, dropped: {reason: n},
     * droppedTotal, queued, imbalance, balanced, sources: {route: n}}], "sources": [{route, from, sinks: {key: n}}]}
     */
    @GetMapping("/api/v1/ledger")
    public Map<String, Object> ledger() {
        List<Map<String, Object>> sinks = new ArrayList<>();
        Map<String, Map<String, Long>> bySource = new TreeMap<>();
        for (SinkLedger l : components.ledgers()) {
            String key = l.component() + ":" + l.sink();
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("sink", l.sink());
            m.put("component", l.component());
            m.put("key", key);
            m.put("since", l.since().toString());
            m.put("produced", l.produced());
            m.put("carriedOver", l.carriedOver());
            m.put("persisted", l.persisted());
            m.put("acknowledged", l.acknowledged());
            m.put("dropped", l.dropped());
            m.put("droppedTotal", l.droppedTotal());
            m.put("queued", l.queued());
            m.put("imbalance", l.imbalance());
            m.put("balanced", l.imbalance() == 0);
            m.put("sources", l.sources());
            sinks.add(m);
            l.sources().forEach((route, n) -> bySource.computeIfAbsent(route, r -> new TreeMap<>()).put(key, n));
        }
        sinks.sort((a, b) -> ((String) a.get("key")).compareTo((String) b.get("key")));
        List<Map<String, Object>> sources = new ArrayList<>();
        bySource.forEach((route, counts) -> {
            Route r = camel.getRoute(route);
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("route", route);
            m.put("from", r == null ? "" : r.getEndpoint().getEndpointUri());
            m.put("sinks", counts);
            sources.add(m);
        });
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("sinks", sinks);
        out.put("sources", sources);
        return out;
    }
}

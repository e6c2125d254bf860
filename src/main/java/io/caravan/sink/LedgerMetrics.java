package io.caravan.sink;

import io.caravan.component.SinkLedger;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The sinks' ledgers on /actuator/prometheus: caravan_ledger_items{component,sink,state,reason},
 * caravan_ledger_imbalance{component,sink} and caravan_ledger_source_items{component,sink,source}. One collector in the
 * Prometheus registry (not Micrometer meters, which a scrape reads one by one), so each sink's series come from one
 * reading of its ledger and balance as it does. Gauges: a sink's counts start again at each of its starts.
 */
final class LedgerMetrics implements MultiCollector {

    private static final Map<PrometheusRegistry, LedgerMetrics> BY_REGISTRY = new WeakHashMap<>();

    private final Map<Object, Supplier<SinkLedger>> sinks = new ConcurrentHashMap<>();

    /** Exports the owner's ledger, when a Prometheus registry is behind meters (the agent's; not a test's simple one). */
    static void register(MeterRegistry meters, Object owner, Supplier<SinkLedger> ledger) {
        PrometheusRegistry prometheus = prometheusRegistry(meters);
        if (prometheus != null) {
            in(prometheus).sinks.put(owner, ledger);
        }
    }

    static void unregister(MeterRegistry meters, Object owner) {
        PrometheusRegistry prometheus = prometheusRegistry(meters);
        if (prometheus != null) {
            in(prometheus).sinks.remove(owner);
        }
    }

    private static synchronized LedgerMetrics in(PrometheusRegistry registry) {
        return BY_REGISTRY.computeIfAbsent(registry, r -> {
            LedgerMetrics m = new LedgerMetrics();
            r.register(m);
            return m;
        });
    }

    @Override
    public MetricSnapshots collect() {
        GaugeSnapshot.Builder items = GaugeSnapshot.builder().name("caravan_ledger_items")
                .help("A sink's delivery ledger since its start, by state: produced (carried_over included) = acknowledged + dropped + queued");
        GaugeSnapshot.Builder imbalance = GaugeSnapshot.builder().name("caravan_ledger_imbalance")
                .help("produced - (acknowledged + dropped + queued) of a sink's ledger: 0 when it balances");
        GaugeSnapshot.Builder bySource = GaugeSnapshot.builder().name("caravan_ledger_source_items")
                .help("What each source route handed to a sink since the sink's start");
        Set<String> seen = new HashSet<>();
        for (Supplier<SinkLedger> s : sinks.values()) {
            SinkLedger l = s.get();
            if (l == null || !seen.add(l.component() + ":" + l.sink())) {
                continue; // stopped meanwhile, or a second context's sink of the same name
            }
            point(items, l, "produced", "", l.produced());
            point(items, l, "carried_over", "", l.carriedOver());
            point(items, l, "persisted", "", l.persisted());
            point(items, l, "acknowledged", "", l.acknowledged());
            l.dropped().forEach((reason, n) -> point(items, l, "dropped", reason, n));
            point(items, l, "queued", "", l.queued());
            imbalance.dataPoint(GaugeDataPointSnapshot.builder().labels(Labels.of("component", l.component(), "sink", l.sink()))
                    .value(l.imbalance()).build());
            l.sources().forEach((source, n) -> bySource.dataPoint(GaugeDataPointSnapshot.builder()
                    .labels(Labels.of("component", l.component(), "sink", l.sink(), "source", source)).value(n).build()));
        }
        List<GaugeSnapshot> out = new ArrayList<>();
        for (GaugeSnapshot g : List.of(items.build(), imbalance.build(), bySource.build())) {
            if (!g.getDataPoints().isEmpty()) {
                out.add(g); // no sink sending: no series
            }
        }
        return new MetricSnapshots(out.toArray(new GaugeSnapshot[0]));
    }

    private static void point(GaugeSnapshot.Builder b, SinkLedger l, String state, String reason, long value) {
        b.dataPoint(GaugeDataPointSnapshot.builder()
                .labels(Labels.of("component", l.component(), "sink", l.sink(), "state", state, "reason", reason)).value(value).build());
    }

    private static PrometheusRegistry prometheusRegistry(MeterRegistry registry) {
        if (registry instanceof PrometheusMeterRegistry p) {
            return p.getPrometheusRegistry();
        }
        if (registry instanceof CompositeMeterRegistry c) {
            for (MeterRegistry r : c.getRegistries()) {
                PrometheusRegistry found = prometheusRegistry(r);
                if (found != null) {
                    return found;
                }
            }
        }
        return null;
    }
}

package io.caravan.logs.process;

import io.caravan.model.Labels;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.PrometheusNaming;
import io.prometheus.metrics.model.snapshots.UnknownSnapshot;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * The metrics stage's metrics, kept as Alloy keeps them: one series per label set of the entries (names Prometheus
 * cannot take, and those starting with "__", left out), a series idle for max_idle_duration removed. They are one
 * collector in the Prometheus registry that /actuator/prometheus writes, because Micrometer meters of one name must
 * all have the same label names, and entries' label sets do not.
 * <p>
 * The exposition keeps Alloy's series names (prefix + name), within what the Prometheus Java client can write: it
 * writes a counter as NAME_total and refuses names ending in _total for other types. So a name ending in _total is
 * written as a counter whose series are that name (a gauge too: its samples read as Alloy's, TYPE says counter), a
 * counter whose name lacks _total as untyped (its samples keep Alloy's name), gauges and histograms as such. Names
 * ending in _created, _bucket or _info, which the client cannot write at all, are refused by the stage's checks.
 * <p>
 * One per Prometheus registry, shared by all pipelines: a name defined in two stages is one metric, so both must
 * define it alike.
 */
final class CustomMetrics implements MultiCollector {

    enum Type { COUNTER, GAUGE, HISTOGRAM }

    private static final Map<PrometheusRegistry, CustomMetrics> BY_REGISTRY = new WeakHashMap<>();

    private final LongSupplier nanoClock;
    private final Map<String, Family> families = new ConcurrentHashMap<>();

    CustomMetrics(LongSupplier nanoClock) {
        this.nanoClock = nanoClock;
    }

    /** The registry's one collector of stage metrics, registered at first use. */
    static CustomMetrics in(PrometheusRegistry registry) {
        return in(registry, System::nanoTime);
    }

    /** As {@link #in(PrometheusRegistry)}; a registry's first call sets the clock idleness is measured by. */
    static synchronized CustomMetrics in(PrometheusRegistry registry, LongSupplier nanoClock) {
        return BY_REGISTRY.computeIfAbsent(registry, r -> {
            CustomMetrics m = new CustomMetrics(nanoClock);
            r.register(m);
            return m;
        });
    }

    /** Why the exposition cannot carry a metric of this type and full name; null when it can. */
    static String unexportable(Type type, String fullName) {
        String problem = PrometheusNaming.validateMetricName(exportedName(type, fullName));
        if (problem == null && !fullName.matches("[a-zA-Z_:][a-zA-Z0-9_:]*")) {
            problem = "a Prometheus metric name matches [a-zA-Z_:][a-zA-Z0-9_:]*";
        }
        return problem;
    }

    /** The name the Java client's snapshot takes; it writes a counter's with "_total" after it. */
    private static String exportedName(Type type, String fullName) {
        return type != Type.HISTOGRAM && fullName.endsWith("_total")
                ? fullName.substring(0, fullName.length() - "_total".length()) : fullName;
    }

    /**
     * The metric of a full name, made at its first definition. A later definition must agree on type, buckets and
     * idle time; otherwise IllegalArgumentException says where they differ.
     */
    Family family(Type type, String fullName, String help, double[] buckets, long maxIdleNanos) {
        Family f = families.computeIfAbsent(fullName, n -> new Family(type, n, help, buckets, maxIdleNanos));
        if (f.type != type || !Arrays.equals(f.buckets, buckets) || f.maxIdleNanos != maxIdleNanos) {
            throw new IllegalArgumentException("metric '" + fullName + "' is already defined (by this or another stage file) as a "
                    + f.type.name().toLowerCase() + (f.type == Type.HISTOGRAM ? " with buckets " + Arrays.toString(f.buckets) : "")
                    + " idle after " + f.maxIdleNanos / 1_000_000_000L + "s; define it alike everywhere, or give it another name");
        }
        return f;
    }

    @Override
    public MetricSnapshots collect() {
        long now = nanoClock.getAsLong();
        List<MetricSnapshot> out = new ArrayList<>();
        for (Family f : families.values()) {
            f.series.values().removeIf(s -> s.idle(now, f.maxIdleNanos));
            if (!f.series.isEmpty()) {
                out.add(f.snapshot());
            }
        }
        return new MetricSnapshots(out);
    }

    /** One metric: its definition and its series by label set. */
    final class Family {
        private final Type type;
        private final String name;
        private final String help;
        private final double[] buckets;
        private final long maxIdleNanos;
        private final Map<Labels, Series> series = new ConcurrentHashMap<>();

        private Family(Type type, String name, String help, double[] buckets, long maxIdleNanos) {
            this.type = type;
            this.name = name;
            this.help = help;
            this.buckets = buckets;
            this.maxIdleNanos = maxIdleNanos;
        }

        Type type() {
            return type;
        }

        /** The series of an entry's labels, made at first use. */
        private Series series(Labels entryLabels) {
            // kept with the label set: a stream's entries share one, and the name check is a regular expression
            return series.computeIfAbsent(entryLabels.memo(EXPORTABLE, CustomMetrics::exportable),
                    l -> new Series(buckets == null ? 0 : buckets.length + 1, nanoClock.getAsLong()));
        }

        void add(Labels labels, double v) {
            series(labels).add(v, nanoClock.getAsLong());
        }

        void set(Labels labels, double v) {
            series(labels).set(v, nanoClock.getAsLong());
        }

        void observe(Labels labels, double v) {
            series(labels).observe(buckets, v, nanoClock.getAsLong());
        }

        private MetricSnapshot snapshot() {
            String exported = exportedName(type, name);
            String description = help.isEmpty() ? null : help;
            if (type == Type.HISTOGRAM) {
                HistogramSnapshot.Builder b = HistogramSnapshot.builder().name(exported).help(description);
                series.forEach((labels, s) -> b.dataPoint(s.histogramPoint(labels, buckets)));
                return b.build();
            }
            if (!exported.equals(name)) {
                CounterSnapshot.Builder b = CounterSnapshot.builder().name(exported).help(description);
                series.forEach((labels, s) -> b.dataPoint(CounterSnapshot.CounterDataPointSnapshot.builder()
                        .labels(prometheusLabels(labels)).value(s.value()).build()));
                return b.build();
            }
            if (type == Type.GAUGE) {
                GaugeSnapshot.Builder b = GaugeSnapshot.builder().name(exported).help(description);
                series.forEach((labels, s) -> b.dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder()
                        .labels(prometheusLabels(labels)).value(s.value()).build()));
                return b.build();
            }
            UnknownSnapshot.Builder b = UnknownSnapshot.builder().name(exported).help(description);
            series.forEach((labels, s) -> b.dataPoint(UnknownSnapshot.UnknownDataPointSnapshot.builder()
                    .labels(prometheusLabels(labels)).value(s.value()).build()));
            return b.build();
        }
    }

    /** The memo key of a label set's exportable form. */
    private static final Object EXPORTABLE = new Object();

    /** Alloy's cleanLabels: names Prometheus refuses, and reserved "__" ones, are left out. */
    private static Labels exportable(Labels labels) {
        for (int i = 0; i < labels.size(); i++) {
            if (!keep(labels.name(i))) {
                Labels.Builder b = Labels.builder();
                labels.forEach((n, v) -> {
                    if (keep(n)) {
                        b.set(n, v);
                    }
                });
                return b.build();
            }
        }
        return labels;
    }

    private static boolean keep(String name) {
        return !name.startsWith("__") && PrometheusNaming.isValidLabelName(name);
    }

    private static io.prometheus.metrics.model.snapshots.Labels prometheusLabels(Labels labels) {
        String[] names = new String[labels.size()];
        String[] values = new String[labels.size()];
        for (int i = 0; i < labels.size(); i++) {
            names[i] = labels.name(i);
            values[i] = labels.value(i);
        }
        return io.prometheus.metrics.model.snapshots.Labels.of(names, values);
    }

    /** One label set's value (a histogram's counts per bucket, sum and count), and when it last changed. */
    private static final class Series {
        private double value;
        private final long[] bucketCounts;
        private long lastChangeNanos;

        Series(int bucketCount, long now) {
            this.bucketCounts = new long[bucketCount];
            this.lastChangeNanos = now;
        }

        synchronized void add(double v, long now) {
            value += v;
            lastChangeNanos = now;
        }

        synchronized void set(double v, long now) {
            value = v;
            lastChangeNanos = now;
        }

        /** value holds the sum; the last bucket is +Inf. */
        synchronized void observe(double[] bounds, double v, long now) {
            int i = 0;
            while (i < bounds.length && v > bounds[i]) {
                i++;
            }
            bucketCounts[i]++;
            value += v;
            lastChangeNanos = now;
        }

        synchronized double value() {
            return value;
        }

        synchronized boolean idle(long now, long maxIdleNanos) {
            return now - lastChangeNanos >= maxIdleNanos;
        }

        synchronized HistogramSnapshot.HistogramDataPointSnapshot histogramPoint(Labels labels, double[] bounds) {
            double[] upper = Arrays.copyOf(bounds, bounds.length + 1);
            upper[bounds.length] = Double.POSITIVE_INFINITY;
            return HistogramSnapshot.HistogramDataPointSnapshot.builder().labels(prometheusLabels(labels))
                    .classicHistogramBuckets(ClassicHistogramBuckets.of(upper, bucketCounts.clone())).sum(value).build();
        }
    }
}

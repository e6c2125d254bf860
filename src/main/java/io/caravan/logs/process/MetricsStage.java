package io.caravan.logs.process;

import com.fasterxml.jackson.annotation.JsonFormat;
import io.caravan.logs.Utf8;
import io.caravan.model.Labels;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * stage.metrics: counters, gauges and histograms from the entries, on /actuator/prometheus (see {@link CustomMetrics}),
 * with Alloy's rules. A metric reads {@code source} from extracted (its name by default) and does nothing when it is
 * absent; with {@code value}, only when the source's string form equals it. A counter with match_all counts every
 * entry (with count_entry_bytes, adds the line's bytes); inc adds 1, add the source's number. A gauge sets, adds or
 * subtracts the number, or goes up or down by 1. A histogram observes the number. The number is read as
 * {@link MetricValue} reads it; a value with none (or below 0 for a counter) changes nothing. Series are labelled
 * with the entry's labels at this stage. Entries pass unchanged.
 */
final class MetricsStage extends Stage.PerEntry {

    static final String DEFAULT_PREFIX = "loki_process_custom_";
    static final Duration DEFAULT_MAX_IDLE = Duration.ofMinutes(5);
    /** Go's prometheus.DefBuckets, which a histogram gets when its bucket list is empty. */
    static final List<Double> DEFAULT_BUCKETS = List.of(.005, .01, .025, .05, .1, .25, .5, 1.0, 2.5, 5.0, 10.0);

    private final List<Recorder> recorders = new ArrayList<>();

    /** Alloy's MetricsConfig: metric blocks, each one counter, gauge or histogram. */
    record Args(@JsonFormat(with = JsonFormat.Feature.ACCEPT_SINGLE_VALUE_AS_ARRAY) List<Metric> metric) implements StageArgs {
        Args {
            metric = metric == null ? List.of() : List.copyOf(metric);
        }

        @Override
        public void validate() {
            for (int i = 0; i < metric.size(); i++) {
                Metric m = metric.get(i);
                int given = (m.counter() != null ? 1 : 0) + (m.gauge() != null ? 1 : 0) + (m.histogram() != null ? 1 : 0);
                if (given != 1) {
                    throw new IllegalArgumentException("metric " + (i + 1) + " must be exactly one of counter, gauge or histogram, "
                            + "like metric: [{counter: {name: lines_total, action: inc, match_all: true}}]");
                }
                String where = "metric " + (i + 1) + " (" + m.type().name().toLowerCase() + "): ";
                try {
                    m.validate();
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(where + e.getMessage(), e);
                }
            }
        }
    }

    /** One metric block: exactly one of its three. */
    record Metric(Counter counter, Gauge gauge, Histogram histogram) {

        CustomMetrics.Type type() {
            return counter != null ? CustomMetrics.Type.COUNTER : gauge != null ? CustomMetrics.Type.GAUGE : CustomMetrics.Type.HISTOGRAM;
        }

        void validate() {
            if (counter != null) {
                counter.validate();
            } else if (gauge != null) {
                gauge.validate();
            } else {
                histogram.validate();
            }
        }
    }

    /** Alloy's CounterConfig. */
    record Counter(String name, String action, String description, String source, String prefix, Duration maxIdleDuration,
                   String value, Boolean matchAll, Boolean countEntryBytes) {
        Counter {
            description = ArgChecks.orDefault(description, "");
            source = ArgChecks.emptyAsDefault(source, name);
            prefix = ArgChecks.emptyAsDefault(prefix, DEFAULT_PREFIX);
            maxIdleDuration = ArgChecks.orDefault(maxIdleDuration, DEFAULT_MAX_IDLE);
            value = ArgChecks.orDefault(value, "");
            matchAll = ArgChecks.orDefault(matchAll, false);
            countEntryBytes = ArgChecks.orDefault(countEntryBytes, false);
        }

        void validate() {
            checkCommon(CustomMetrics.Type.COUNTER, name, prefix, maxIdleDuration);
            checkAction(action, Set.of("inc", "add"), "inc or add");
            if (matchAll && !value.isEmpty()) {
                throw new IllegalArgumentException("a counter takes match_all: true or a value, not both");
            }
            if (countEntryBytes && (!matchAll || !action.equals("add"))) {
                throw new IllegalArgumentException("count_entry_bytes needs match_all: true and action: add");
            }
        }
    }

    /** Alloy's GaugeConfig. */
    record Gauge(String name, String action, String description, String source, String prefix, Duration maxIdleDuration,
                 String value) {
        Gauge {
            description = ArgChecks.orDefault(description, "");
            source = ArgChecks.emptyAsDefault(source, name);
            prefix = ArgChecks.emptyAsDefault(prefix, DEFAULT_PREFIX);
            maxIdleDuration = ArgChecks.orDefault(maxIdleDuration, DEFAULT_MAX_IDLE);
            value = ArgChecks.orDefault(value, "");
        }

        void validate() {
            checkCommon(CustomMetrics.Type.GAUGE, name, prefix, maxIdleDuration);
            checkAction(action, Set.of("set", "inc", "dec", "add", "sub"), "set, inc, dec, add or sub");
        }
    }

    /** Alloy's HistogramConfig; an empty bucket list is Go's default buckets. */
    record Histogram(String name, List<Double> buckets, String description, String source, String prefix,
                     Duration maxIdleDuration, String value) {
        Histogram {
            description = ArgChecks.orDefault(description, "");
            source = ArgChecks.emptyAsDefault(source, name);
            prefix = ArgChecks.emptyAsDefault(prefix, DEFAULT_PREFIX);
            maxIdleDuration = ArgChecks.orDefault(maxIdleDuration, DEFAULT_MAX_IDLE);
            value = ArgChecks.orDefault(value, "");
            buckets = buckets == null ? null : buckets.isEmpty() ? DEFAULT_BUCKETS : List.copyOf(buckets);
        }

        void validate() {
            checkCommon(CustomMetrics.Type.HISTOGRAM, name, prefix, maxIdleDuration);
            if (buckets == null) {
                throw new IllegalArgumentException("'buckets' is required (a list of upper bounds, like buckets: [0.1, 0.5, 1])");
            }
            for (int i = 1; i < buckets.size(); i++) {
                if (buckets.get(i) <= buckets.get(i - 1)) {
                    throw new IllegalArgumentException("'buckets' must be in increasing order, found " + buckets);
                }
            }
        }

        double[] bounds() {
            double[] b = buckets.stream().mapToDouble(Double::doubleValue).toArray();
            return b.length > 0 && b[b.length - 1] == Double.POSITIVE_INFINITY ? Arrays.copyOf(b, b.length - 1) : b;
        }
    }

    private static void checkCommon(CustomMetrics.Type type, String name, String prefix, Duration maxIdle) {
        ArgChecks.required("name", name);
        String problem = CustomMetrics.unexportable(type, prefix + name);
        if (problem != null) {
            throw new IllegalArgumentException("the metric name '" + prefix + name + "' cannot be exported ("
                    + problem.replaceAll("\\.$", "") + "); choose another name or prefix");
        }
        if (maxIdle.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new IllegalArgumentException("'max_idle_duration' must be 1s or more");
        }
    }

    private static void checkAction(String action, Set<String> allowed, String words) {
        ArgChecks.required("action", action);
        if (!allowed.contains(action)) {
            throw new IllegalArgumentException("'action' must be " + words + ", found '" + action + "'");
        }
    }

    MetricsStage(Args args, StageMetrics metrics) {
        CustomMetrics registry = metrics.custom();
        for (Metric m : args.metric()) {
            try {
                recorders.add(recorder(m, registry));
            } catch (IllegalArgumentException e) {
                throw new PipelineConfigException("stage metrics in pipeline '" + metrics.pipeline() + "': " + e.getMessage());
            }
        }
    }

    private static Recorder recorder(Metric m, CustomMetrics registry) {
        if (m.counter() != null) {
            Counter c = m.counter();
            return new Recorder(registry.family(CustomMetrics.Type.COUNTER, c.prefix() + c.name(), c.description(), null,
                    c.maxIdleDuration().toNanos()), c.source(), c.value(), c.action(), c.matchAll(), c.countEntryBytes());
        }
        if (m.gauge() != null) {
            Gauge g = m.gauge();
            return new Recorder(registry.family(CustomMetrics.Type.GAUGE, g.prefix() + g.name(), g.description(), null,
                    g.maxIdleDuration().toNanos()), g.source(), g.value(), g.action(), false, false);
        }
        Histogram h = m.histogram();
        return new Recorder(registry.family(CustomMetrics.Type.HISTOGRAM, h.prefix() + h.name(), h.description(), h.bounds(),
                h.maxIdleDuration().toNanos()), h.source(), h.value(), "observe", false, false);
    }

    @Override
    boolean apply(ProcessEntry e) {
        Labels labels = null;
        for (Recorder r : recorders) {
            Double v = r.amount(e);
            if (v != null) {
                if (labels == null) {
                    labels = e.labels.build();
                }
                r.record(labels, v);
            }
        }
        return true;
    }

    /** One metric of the stage: what it reads, and what it does with it. */
    private record Recorder(CustomMetrics.Family family, String source, String value, String action, boolean matchAll,
                            boolean countEntryBytes) {

        /** The amount this entry brings (1 for inc and dec), or null when it changes nothing. */
        Double amount(ProcessEntry e) {
            if (matchAll) {
                // Alloy counts every entry here: inc by 1, add the line's bytes (add without them has no number)
                return countEntryBytes ? (double) Utf8.length(e.line) : action.equals("inc") ? 1.0 : null;
            }
            if (!e.extracted.containsKey(source)) {
                return null;
            }
            Object v = e.extracted.get(source);
            if (!value.isEmpty() && !value.equals(Extracted.asString(v))) {
                return null;
            }
            if (action.equals("inc") || action.equals("dec")) {
                return 1.0;
            }
            Double f = MetricValue.toFloat(v);
            boolean counter = family.type() == CustomMetrics.Type.COUNTER;
            return f == null || (counter && (f < 0 || f.isNaN())) ? null : f;
        }

        void record(Labels labels, double v) {
            switch (action) {
                case "inc", "add" -> family.add(labels, v);
                case "dec", "sub" -> family.add(labels, -v);
                case "set" -> family.set(labels, v);
                default -> family.observe(labels, v);
            }
        }
    }
}

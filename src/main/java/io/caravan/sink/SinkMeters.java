package io.caravan.sink;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The meters every durable sink has, tagged sink=NAME, named PREFIX_UNIT_in, _UNIT_sent, _sent_bytes,
 * _UNIT_retried, _UNIT_dropped{reason}, _request_duration and _QUEUE_corrupt_bytes, where PREFIX is the sink's
 * family (caravan_loki, caravan_remote_write), UNIT what it carries (entries, samples) and QUEUE its word for
 * the queue on disk (spill, wal: a segment over the bound drops as reason QUEUE_full).
 */
public class SinkMeters implements SinkMetrics {

    private final MeterRegistry registry;
    private final String prefix;
    private final String unit;
    private final String units; // capitalised, for descriptions
    private final String queue;
    private final String sink;
    private final Counter in;
    private final Counter sent;
    private final Counter sentBytes;
    private final Counter retried;
    private final Counter corruptBytes;
    private final Timer requests;
    private final Map<String, Counter> dropped = new ConcurrentHashMap<>();

    public SinkMeters(MeterRegistry registry, String prefix, String unit, String queue, String sink) {
        this.registry = registry;
        this.prefix = prefix;
        this.unit = unit;
        this.queue = queue;
        this.sink = sink;
        this.units = Character.toUpperCase(unit.charAt(0)) + unit.substring(1);
        in = counter(prefix + "_" + unit + "_in", units + " handed to the sink");
        sent = counter(prefix + "_" + unit + "_sent", units + " the receiver acknowledged");
        sentBytes = counter(prefix + "_sent_bytes", "Compressed request bytes the receiver acknowledged");
        retried = counter(prefix + "_" + unit + "_retried", units + " in requests that were retried");
        corruptBytes = counter(prefix + "_" + queue + "_corrupt_bytes", "Bytes of damaged " + queue + " records skipped");
        requests = Timer.builder(prefix + "_request_duration").description("Request latency").tag("sink", sink).register(registry);
    }

    /** A counter of this sink: NAME{sink=...}. */
    protected Counter counter(String name, String description) {
        return Counter.builder(name).description(description).tag("sink", sink).register(registry);
    }

    /** A gauge of this sink, PREFIX_SUFFIX{sink=...}. */
    public void gauge(String suffix, String description, Supplier<Number> value) {
        Gauge.builder(prefix + "_" + suffix, value).description(description).tag("sink", sink).register(registry);
    }

    /** Entries taken into the queue. */
    public void in(long n) {
        in.increment(n);
    }

    @Override
    public void request(long nanos, PushClient.Outcome outcome, int bodyBytes) {
        requests.record(nanos, TimeUnit.NANOSECONDS);
        if (outcome.kind() == PushClient.Outcome.Kind.SENT) {
            sentBytes.increment(bodyBytes);
        }
    }

    @Override
    public void sent(long n) {
        sent.increment(n);
    }

    @Override
    public void retried(long n) {
        retried.increment(n);
    }

    @Override
    public void dropped(String reason, long n) {
        dropped.computeIfAbsent(reason, r -> Counter.builder(prefix + "_" + unit + "_dropped").description(units + " lost, by reason")
                .tag("sink", sink).tag("reason", r).register(registry)).increment(n);
    }

    @Override
    public void overLimit(long n) {
        dropped(queue + "_full", n);
    }

    @Override
    public void corrupt(long bytes) {
        corruptBytes.increment(bytes);
    }

    public double sentTotal() {
        return sent.count();
    }
}

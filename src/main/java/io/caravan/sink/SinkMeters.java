package io.caravan.sink;

import io.caravan.component.SinkLedger;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/**
 * The meters every durable sink has, tagged sink=NAME, named PREFIX_UNIT_in, _UNIT_sent, _sent_bytes,
 * _UNIT_retried, _UNIT_dropped{reason}, _request_duration and _QUEUE_corrupt_bytes, where PREFIX is the sink's
 * family (caravan_loki, caravan_remote_write), UNIT what it carries (entries, samples) and QUEUE its word for
 * the queue on disk (spill, wal: a segment over the bound drops as reason QUEUE_full).
 * <p>
 * They are also the sink's delivery ledger ({@link #ledger}): one instance per run of the sink (made at its start),
 * whose counts are the meters' increase since then (the registry keeps a meter across a restart of its route),
 * plus what only the ledger keeps: what the queue held when opened (carried over), what was written to it
 * (persisted) and what each source route handed over.
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
    private final Map<String, RunCounter> dropped = new ConcurrentHashMap<>();
    private final java.util.List<Gauge> gauges = new java.util.concurrent.CopyOnWriteArrayList<>();
    // the ledger's own, of this run
    private final Instant since = Instant.now();
    private final double inAtStart;
    private final double sentAtStart;
    private final LedgerGate gate = new LedgerGate();
    private final LongAdder carriedOver = new LongAdder();
    private final LongAdder persisted = new LongAdder();
    private final Map<String, LongAdder> sources = new ConcurrentHashMap<>();

    /** A counter and its value when this run first used it. */
    private record RunCounter(Counter counter, double atStart) {
        long sinceStart() {
            return (long) (counter.count() - atStart);
        }
    }

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
        inAtStart = in.count();
        sentAtStart = sent.count();
    }

    /** A counter of this sink: NAME{sink=...}. */
    protected Counter counter(String name, String description) {
        return Counter.builder(name).description(description).tag("sink", sink).register(registry);
    }

    /**
     * A gauge of this sink, PREFIX_SUFFIX{sink=...}, reading this run's queue: removed when the sink stops
     * ({@link #removeGauges}), or the next run's gauge (a restarted route, a reload) would be this one, still reading
     * the closed queue, since a registry hands out the meter it has for a name and tags.
     */
    public void gauge(String suffix, String description, Supplier<Number> value) {
        gauges.add(Gauge.builder(prefix + "_" + suffix, value).description(description).tag("sink", sink).register(registry));
    }

    /** The sink stopped: its gauges go, the next run registers its own. */
    public void removeGauges() {
        gauges.forEach(registry::remove);
        gauges.clear();
    }

    /** Entries a source route handed to the sink (source: its route id), before the sink's own drops. */
    public void produced(String source, long n) {
        in.increment(n);
        LongAdder bySource = sources.get(source);
        if (bySource == null) {
            bySource = sources.computeIfAbsent(source, s -> new LongAdder());
        }
        bySource.add(n);
    }

    @Override
    public void appended(long entries) {
        persisted.add(entries);
    }

    @Override
    public void carriedOver(long entries) {
        carriedOver.add(entries);
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
        dropped.computeIfAbsent(reason, r -> {
            Counter c = Counter.builder(prefix + "_" + unit + "_dropped").description(units + " lost, by reason")
                    .tag("sink", sink).tag("reason", r).register(registry);
            return new RunCounter(c, c.count());
        }).counter().increment(n);
    }

    @Override
    public void overLimit(long n) {
        dropped(queue + "_full", n);
    }

    @Override
    public void corrupt(long bytes) {
        corruptBytes.increment(bytes);
    }

    @Override
    public LedgerGate gate() {
        return gate;
    }

    public double sentTotal() {
        return sent.count();
    }

    /**
     * The ledger of this run, given what the queue holds now as the queue counts it. Call it inside
     * {@link LedgerGate#read} with the queue read there too, or the counts may not agree with each other.
     */
    public SinkLedger ledger(String component, long queued) {
        long carried = carriedOver.sum();
        Map<String, Long> droppedNow = new TreeMap<>();
        dropped.forEach((reason, c) -> droppedNow.put(reason, c.sinceStart()));
        Map<String, Long> bySource = new TreeMap<>();
        sources.forEach((source, n) -> bySource.put(source, n.sum()));
        return new SinkLedger(component, sink, since, carried + (long) (in.count() - inAtStart), carried, persisted.sum(),
                (long) (sent.count() - sentAtStart), droppedNow, queued, bySource);
    }
}

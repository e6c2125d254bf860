package io.caravan.remotewrite;

import io.caravan.model.Labels;
import io.caravan.model.Sample;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Where samples go when a sink has no receiver URL (the embedded default): the latest sample of each
 * series, bounded in series count, readable by an operator at {@code /debug/sinks/NAME}. New series past
 * the bound are counted and not kept, so memory stays flat however much arrives.
 */
public final class DebugSink {

    private final String name;
    private final Labels externalLabels;
    private final int maxSeries;
    private final Map<Labels, Sample> latest = new ConcurrentHashMap<>();
    private final AtomicLong received = new AtomicLong();
    private final AtomicLong batches = new AtomicLong();
    private final AtomicLong overflow = new AtomicLong();

    DebugSink(String name, Labels externalLabels, int maxSeries) {
        this.name = name;
        this.externalLabels = externalLabels;
        this.maxSeries = maxSeries;
    }

    void accept(List<Sample> samples) {
        batches.incrementAndGet();
        received.addAndGet(samples.size());
        for (Sample s : samples) {
            if (Sample.isStaleMarker(s.value())) {
                latest.remove(s.labels());
            } else if (latest.size() < maxSeries || latest.containsKey(s.labels())) {
                latest.put(s.labels(), s);
            } else {
                overflow.incrementAndGet();
            }
        }
    }

    public String name() {
        return name;
    }

    public Labels externalLabels() {
        return externalLabels;
    }

    public long received() {
        return received.get();
    }

    public long batches() {
        return batches.get();
    }

    public long overflow() {
        return overflow.get();
    }

    /** The latest samples, sorted by series. */
    public List<Sample> snapshot() {
        List<Sample> out = new ArrayList<>(latest.values());
        out.sort((a, b) -> a.labels().compareTo(b.labels()));
        return out;
    }
}

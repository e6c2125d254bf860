package io.caravan.remotewrite;

import io.caravan.model.MetricMetadata;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The metric metadata a sink sends, as Prometheus' metadata watcher gathers it from the scrape caches: the latest
 * type, help and unit per family, from every scrape that reached the sink. A family no scrape described for
 * {@code forgetAfterMs} is forgotten (its targets are gone); past {@code maxFamilies} new families are counted and
 * not kept, so memory stays bounded.
 */
final class MetadataStore {

    private record Seen(MetricMetadata metadata, long atMs) {
    }

    private final Map<String, Seen> families = new ConcurrentHashMap<>();
    private final int maxFamilies;
    private final long forgetAfterMs;
    private final AtomicLong notKept = new AtomicLong();

    MetadataStore(int maxFamilies, long forgetAfterMs) {
        this.maxFamilies = maxFamilies;
        this.forgetAfterMs = forgetAfterMs;
    }

    /** A scrape's metadata, seen at nowMs. */
    void update(List<MetricMetadata> metadata, long nowMs) {
        for (MetricMetadata m : metadata) {
            if (families.size() >= maxFamilies && !families.containsKey(m.family())) {
                notKept.incrementAndGet();
                continue;
            }
            families.put(m.family(), new Seen(m, nowMs));
        }
    }

    /** What to send now: every family described within forgetAfterMs, in name order; older ones are forgotten. */
    List<MetricMetadata> snapshot(long nowMs) {
        families.values().removeIf(s -> nowMs - s.atMs() > forgetAfterMs);
        List<MetricMetadata> out = new ArrayList<>(families.size());
        families.values().forEach(s -> out.add(s.metadata()));
        out.sort((a, b) -> a.family().compareTo(b.family()));
        return out;
    }

    /**
     * The metadata of the family a series belongs to: its metric name's, or its name's without a suffix the formats
     * add to a family's series (_total, _bucket, _count, _sum, _created, _gcount, _gsum, _info); null when unknown.
     */
    MetricMetadata lookup(String metricName) {
        Seen seen = families.get(metricName);
        if (seen != null) {
            return seen.metadata();
        }
        for (String suffix : FAMILY_SUFFIXES) {
            if (metricName.endsWith(suffix)) {
                seen = families.get(metricName.substring(0, metricName.length() - suffix.length()));
                if (seen != null) {
                    return seen.metadata();
                }
            }
        }
        return null;
    }

    private static final List<String> FAMILY_SUFFIXES = List.of("_total", "_bucket", "_count", "_sum", "_created", "_gcount", "_gsum", "_info");

    long notKept() {
        return notKept.get();
    }
}

package io.caravan.bench.soak;

import io.caravan.model.Sample;
import io.caravan.testing.RemoteWriteDecoder;

import java.util.BitSet;
import java.util.List;

/**
 * The counting remote-write receiver's book: every received sample of the farm's series is a (target, series,
 * value = scrape number) triple. A pair (series, value) seen once is delivered; seen again, duplicated. Samples
 * that are not the farm's (up, scrape_duration_seconds, ...) and staleness markers (NaN) are only counted.
 */
final class MetricsLedger {

    private final TargetFarm farm;
    private final BitSet[][] seen;  // [target][n] -> series seen
    private final BitSet[][] again; // [target][n] -> series seen more than once
    private long delivered;
    private long duplicated;
    private long duplicateCopies;
    private long otherSamples;
    private long staleMarkers;
    private long unexpected;
    private long requests;

    MetricsLedger(TargetFarm farm, int maxScrapesPerTarget) {
        this.farm = farm;
        this.seen = new BitSet[farm.targets()][maxScrapesPerTarget + 1];
        this.again = new BitSet[farm.targets()][maxScrapesPerTarget + 1];
    }

    /** The remote-write handler: decode (snappy + protobuf, checked as a receiver checks), then book. */
    int receive(byte[] body) throws Exception {
        List<Sample> samples = RemoteWriteDecoder.decode(body);
        synchronized (this) {
            requests++;
            for (Sample s : samples) {
                book(s);
            }
        }
        return 204;
    }

    private void book(Sample s) {
        if (!TargetFarm.METRIC.equals(s.labels().get("__name__"))) {
            otherSamples++;
            return;
        }
        if (Double.isNaN(s.value())) {
            staleMarkers++;
            return;
        }
        int t = farm.targetOf(s.labels().get("instance"));
        String si = s.labels().get(TargetFarm.SERIES_LABEL);
        int n = (int) s.value();
        int i;
        try {
            i = Integer.parseInt(si);
        } catch (RuntimeException e) {
            unexpected++;
            return;
        }
        if (t < 0 || i < 0 || i >= farm.series() || n < 1 || n != s.value() || n >= seen[t].length || n > farm.served(t)) {
            unexpected++;
            return;
        }
        BitSet b = seen[t][n];
        if (b == null) {
            b = seen[t][n] = new BitSet(farm.series());
        }
        if (!b.get(i)) {
            b.set(i);
            delivered++;
            return;
        }
        duplicateCopies++;
        BitSet d = again[t][n];
        if (d == null) {
            d = again[t][n] = new BitSet(farm.series());
        }
        if (!d.get(i)) {
            d.set(i);
            duplicated++;
        }
    }

    synchronized long delivered() {
        return delivered;
    }

    synchronized long duplicated() {
        return duplicated;
    }

    synchronized long duplicateCopies() {
        return duplicateCopies;
    }

    synchronized long otherSamples() {
        return otherSamples;
    }

    synchronized long staleMarkers() {
        return staleMarkers;
    }

    synchronized long unexpected() {
        return unexpected;
    }

    synchronized long requests() {
        return requests;
    }

    /** Series of scrape n of target t that arrived (0..series). */
    synchronized int received(int t, int n) {
        BitSet b = seen[t][n];
        return b == null ? 0 : b.cardinality();
    }

    synchronized int duplicated(int t, int n) {
        BitSet b = again[t][n];
        return b == null ? 0 : b.cardinality();
    }
}

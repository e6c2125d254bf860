package io.caravan.scrape;

import io.caravan.model.Exemplar;
import io.caravan.model.Labels;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A series' exemplars as Prometheus' scrape loop and agent appender pass them on: one without a time gets its
 * sample's (a native histogram's is dropped instead: Prometheus will not guess when it was observed), they go in
 * time order, one whose labels are over 128 characters (names and values, counted in code points) is dropped, and
 * one equal to the exemplar passed on just before it for the series is left out, so an exemplar exposed scrape after
 * scrape with its own time is sent once.
 */
final class ScrapedExemplars {

    /** Prometheus' exemplar.ExemplarMaxLabelSetLength. */
    static final int MAX_LABEL_SET_LENGTH = 128;

    static final String NO_TIMESTAMP = "histogram_exemplar_without_timestamp";
    static final String LABELS_TOO_LONG = "labels_too_long";

    private final ScrapeMetrics metrics;
    private final String job;

    ScrapedExemplars(ScrapeMetrics metrics, String job) {
        this.metrics = metrics;
        this.job = job;
    }

    /** The exemplars to pass on with the series' sample at time t; entry.lastExemplar moves to the latest passed on. */
    List<Exemplar> accept(SeriesCache.Entry entry, List<Exemplar> exposed, boolean histogram, long t) {
        if (exposed.isEmpty()) {
            return exposed;
        }
        List<Exemplar> kept = new ArrayList<>(exposed.size());
        for (Exemplar e : exposed) {
            if (!e.hasTimestamp() && histogram) {
                metrics.exemplarsDropped(job, NO_TIMESTAMP, 1);
                continue;
            }
            if (labelSetLength(e.labels()) > MAX_LABEL_SET_LENGTH) {
                metrics.exemplarsDropped(job, LABELS_TOO_LONG, 1);
                continue;
            }
            kept.add(e.stampedAt(t));
        }
        kept.sort(Comparator.comparingLong(Exemplar::timestampMs).thenComparingDouble(Exemplar::value));
        List<Exemplar> out = new ArrayList<>(kept.size());
        for (Exemplar e : kept) {
            if (!e.equals(entry.lastExemplar)) { // the same as the last one: the agent takes it without error, and drops it
                out.add(e);
                entry.lastExemplar = e;
            }
        }
        return out;
    }

    private static int labelSetLength(Labels labels) {
        int n = 0;
        for (int i = 0; i < labels.size(); i++) {
            n += labels.name(i).codePointCount(0, labels.name(i).length()) + labels.value(i).codePointCount(0, labels.value(i).length());
        }
        return n;
    }
}

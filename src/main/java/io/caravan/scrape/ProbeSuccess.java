package io.caravan.scrape;

import io.caravan.model.Sample;

import java.util.List;

/**
 * A probe's verdict, which the target's state does not give: a blackbox exporter answers 200 (the target is UP) with
 * {@code probe_success 0} when the probe it ran failed. Only probe targets are read, those scraped with a
 * {@code target} URL parameter (the multi-target exporter pattern: {@code /probe?target=...}, as the blackbox route
 * and prometheus-operator Probes send), so a job of ordinary targets never scans its samples for it.
 */
final class ProbeSuccess {

    static final String METRIC = "probe_success";

    private ProbeSuccess() {
    }

    /** Whether the target is scraped through a prober: its URL has a {@code target} parameter. */
    static boolean isProbe(ScrapeTarget target) {
        String query = target.url().getRawQuery();
        if (query == null) {
            return false;
        }
        for (String param : query.split("&")) {
            if (param.equals("target") || param.startsWith("target=")) {
                return true;
            }
        }
        return false;
    }

    /** probe_success of one scrape: true at 1, false at anything else; null when the scrape had none. */
    static Boolean of(List<Sample> samples) {
        for (Sample s : samples) {
            if (!s.isHistogram() && !s.isStale() && METRIC.equals(s.metricName())) {
                return s.value() == 1;
            }
        }
        return null;
    }
}

package io.caravan.scrape;

import io.caravan.model.Labels;
import io.caravan.scrape.parse.ExpositionOptions;

import java.util.function.UnaryOperator;

/**
 * One job's scrape_config, with Prometheus' defaults: interval 30s here (the seed's), timeout 10s,
 * scheme http, metrics path /metrics, honor_timestamps true, honor_labels false.
 *
 * @param maxSampleAgeMs a sample whose own timestamp is older than this is dropped at scrape time; 0 = no limit
 * @param metricRelabel metric_relabel_configs as a function; returns null for a dropped series
 * @param exposition     the formats asked for and how histograms are read
 */
public record ScrapeSettings(String jobName, long intervalMs, long timeoutMs, String scheme, String metricsPath,
                             boolean honorLabels, boolean honorTimestamps, int sampleLimit, long bodySizeLimit,
                             long maxSampleAgeMs, boolean enableCompression, Labels params, UnaryOperator<Labels> metricRelabel,
                             ExpositionOptions exposition) {

    /** With the default exposition options: Prometheus' protocols, classic histograms. */
    public ScrapeSettings(String jobName, long intervalMs, long timeoutMs, String scheme, String metricsPath, boolean honorLabels,
                          boolean honorTimestamps, int sampleLimit, long bodySizeLimit, long maxSampleAgeMs, boolean enableCompression,
                          Labels params, UnaryOperator<Labels> metricRelabel) {
        this(jobName, intervalMs, timeoutMs, scheme, metricsPath, honorLabels, honorTimestamps, sampleLimit, bodySizeLimit, maxSampleAgeMs,
                enableCompression, params, metricRelabel, ExpositionOptions.DEFAULT);
    }

    public ScrapeSettings {
        if (exposition == null) {
            exposition = ExpositionOptions.DEFAULT;
        }
        if (intervalMs <= 0) {
            throw new IllegalArgumentException("scrape:" + jobName + " interval must be positive");
        }
        if (timeoutMs <= 0 || timeoutMs > intervalMs) {
            throw new IllegalArgumentException("scrape:" + jobName + " timeout (" + timeoutMs + "ms) must be positive and no longer than the interval ("
                    + intervalMs + "ms), as in Prometheus");
        }
        if (maxSampleAgeMs < 0) {
            throw new IllegalArgumentException("scrape:" + jobName + " maxSampleAge must not be negative");
        }
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new IllegalArgumentException("scrape:" + jobName + " scheme must be http or https, got '" + scheme + "'");
        }
    }
}

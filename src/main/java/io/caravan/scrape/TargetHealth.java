package io.caravan.scrape;

/**
 * What the UI and health checks show for one target: its state, last error and last scrape.
 *
 * @param probeSuccess for a probe target ({@link ProbeSuccess}): whether its last scrape said probe_success 1;
 *                     null for other targets, before a scrape, or when the scrape had no probe_success
 */
public record TargetHealth(ScrapeTarget target, State state, String lastError, long lastScrapeMs,
                           double lastDurationSeconds, int lastSamples, Boolean probeSuccess) {

    public enum State { PENDING, UP, DOWN }

    static TargetHealth pending(ScrapeTarget target) {
        return new TargetHealth(target, State.PENDING, null, 0, 0, 0, null);
    }
}

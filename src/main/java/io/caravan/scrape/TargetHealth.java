package io.caravan.scrape;

/** What the UI and health checks show for one target: its state, last error and last scrape. */
public record TargetHealth(ScrapeTarget target, State state, String lastError, long lastScrapeMs,
                           double lastDurationSeconds, int lastSamples) {

    public enum State { PENDING, UP, DOWN }

    static TargetHealth pending(ScrapeTarget target) {
        return new TargetHealth(target, State.PENDING, null, 0, 0, 0);
    }
}

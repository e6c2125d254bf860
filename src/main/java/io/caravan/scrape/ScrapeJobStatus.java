package io.caravan.scrape;

import io.caravan.component.ComponentStatus;
import io.caravan.component.ComponentStatus.Health;
import io.caravan.http.HttpClients;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A scrape job as the UI and health read it: one {@link ComponentStatus} with the job's targets as items (id = the
 * scrape URL, their labels, UP/DOWN/PENDING, last error, last scrape, duration and samples; a probe's probe_success),
 * what Prometheus' and Alloy's target pages show, and the job label its series carry (which is not the endpoint's
 * name: scrape:cnpg writes job="cnpg_metrics").
 */
final class ScrapeJobStatus {

    static final String COMPONENT = "scrape";

    private ScrapeJobStatus() {
    }

    static ComponentStatus of(ScrapeJob job) {
        List<TargetHealth> targets = job.targets();
        List<ComponentStatus.Item> items = new ArrayList<>(targets.size());
        TargetHealth lastFailed = null;
        for (TargetHealth t : targets) {
            items.add(item(t));
            if (t.state() == TargetHealth.State.DOWN && (lastFailed == null || t.lastScrapeMs() > lastFailed.lastScrapeMs())) {
                lastFailed = t;
            }
        }
        Health health = health(targets);
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("invalidTargets", job.invalidTargets());
        details.put("jobLabel", jobLabel(job, targets));
        return new ComponentStatus(COMPONENT, job.name(), job.ownerUri(), health, state(job, health, targets.isEmpty()), items, null,
                lastFailed == null ? null : HttpClients.redact(lastFailed.target().url()) + ": " + lastFailed.lastError(),
                lastFailed == null ? null : Instant.ofEpochMilli(lastFailed.lastScrapeMs()), details);
    }

    /** UP when every scraped target is up, DEGRADED when some are down, DOWN when all are, UNKNOWN before any was scraped. */
    static Health health(List<TargetHealth> targets) {
        int up = 0;
        int down = 0;
        for (TargetHealth t : targets) {
            switch (t.state()) {
                case UP -> up++;
                case DOWN -> down++;
                case PENDING -> { }
            }
        }
        if (up + down == 0) {
            return Health.UNKNOWN;
        }
        if (down == 0) {
            return Health.UP;
        }
        return up == 0 ? Health.DOWN : Health.DEGRADED;
    }

    private static String state(ScrapeJob job, Health health, boolean noTargets) {
        if (!job.hasReader()) {
            return "waiting"; // for a route reading from the job: its targets are not scraped until one runs
        }
        if (noTargets) {
            return "no targets";
        }
        return switch (health) {
            case UP -> "ok";
            case DEGRADED -> "some down";
            case DOWN -> "down";
            case UNKNOWN -> "pending";
        };
    }

    /**
     * The job label of its targets (a relabel rule or honor_labels may set another than jobName; several are listed,
     * comma-separated), else the one jobName gives, else the endpoint's name.
     */
    static String jobLabel(ScrapeJob job, List<TargetHealth> targets) {
        Set<String> labels = new TreeSet<>();
        for (TargetHealth t : targets) {
            String label = t.target().labels().get("job");
            if (label != null) {
                labels.add(label);
            }
        }
        if (!labels.isEmpty()) {
            return String.join(", ", labels);
        }
        ScrapeSettings settings = job.settings();
        return settings != null ? settings.jobName() : job.name();
    }

    private static ComponentStatus.Item item(TargetHealth t) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("lastScrapeMs", t.lastScrapeMs());
        details.put("lastDurationSeconds", t.lastDurationSeconds());
        details.put("lastSamples", t.lastSamples());
        if (t.probeSuccess() != null) {
            details.put("probeSuccess", t.probeSuccess());
        }
        return new ComponentStatus.Item(t.target().url().toString(), t.target().labels().toMap(), t.state().name(), t.lastError(), details);
    }
}

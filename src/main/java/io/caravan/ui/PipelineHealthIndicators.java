package io.caravan.ui;

import io.caravan.loki.LokiComponent;
import io.caravan.loki.LokiStatus;
import org.apache.camel.CamelContext;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Health details per pipeline component for /actuator/health and the UI: each Loki sink's queue and last
 * error, each log source's files with their lag. They report, they never fail the probes: a Loki outage is
 * absorbed by the disk queue and restarting the agent would not help (so UP, or UNKNOWN while retrying).
 */
@Configuration(proxyBeanMethods = false)
public class PipelineHealthIndicators {

    /** Each k8s-discovery endpoint: synced, watching, targets, last error (UNKNOWN with no API server). */
    @Bean
    public HealthIndicator kubernetesDiscovery(CamelContext camel) {
        return new ComponentHealth(new Components(camel), "k8s-discovery");
    }

    @Bean
    public HealthIndicator lokiSinks(CamelContext camel) {
        return () -> {
            if (!(camel.hasComponent("loki") instanceof LokiComponent loki)) {
                return Health.up().withDetail("sinks", 0).build();
            }
            boolean retrying = false;
            Health.Builder b = Health.up();
            for (LokiStatus s : loki.status()) {
                Map<String, Object> d = new LinkedHashMap<>();
                d.put("url", s.url());
                d.put("state", s.state());
                d.put("queuedEntries", s.queuedEntries());
                d.put("queuedBytes", s.queuedBytes());
                d.put("spillBytes", s.spillBytes());
                d.put("sentEntries", s.sentEntries());
                if (s.lastError() != null) {
                    d.put("lastError", s.lastError());
                }
                retrying |= "retrying".equals(s.state());
                b.withDetail(s.name(), d);
            }
            return (retrying ? b.unknown() : b).build();
        };
    }

    /** Each scrape job: UP when all its targets are up; the targets down and the last error otherwise. */
    @Bean
    public HealthIndicator scrapeJobs(CamelContext camel) {
        return new ComponentHealth(new Components(camel), "scrape");
    }

    /** Each tail and pod-logs source: files followed, lag, the last error of a source or one of its files. */
    @Bean
    public HealthIndicator logSources(CamelContext camel) {
        return new ComponentHealth(new Components(camel), "tail", "pod-logs");
    }
}

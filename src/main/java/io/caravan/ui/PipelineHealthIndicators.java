package io.caravan.ui;

import org.apache.camel.CamelContext;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * One health entry per kind of pipeline component for /actuator/health and the UI, each from its components'
 * {@link io.caravan.component.ComponentStatus}. They report, they never fail the probes (UP, or UNKNOWN while
 * something is wrong): a receiver or an API server away, a target down, a file unreadable are not things a restart
 * of the agent would fix, and the disk queues absorb an outage.
 */
@Configuration(proxyBeanMethods = false)
public class PipelineHealthIndicators {

    /** Each k8s-discovery endpoint: synced, watching, targets, last error (UNKNOWN with no API server). */
    @Bean
    public HealthIndicator kubernetesDiscovery(CamelContext camel) {
        return new ComponentHealth(new Components(camel), "k8s-discovery");
    }

    /** Each scrape job: UP when all its targets are up; the targets down and the last error otherwise; the monitors' jobs. */
    @Bean
    public HealthIndicator scrapeJobs(CamelContext camel) {
        return new ComponentHealth(new Components(camel), "scrape", "k8s-monitors");
    }

    /** Each tail, pod-logs and k8s-events source: files followed, lag, the last error; the events' cursor per scope. */
    @Bean
    public HealthIndicator logSources(CamelContext camel) {
        return new ComponentHealth(new Components(camel), "tail", "pod-logs", "k8s-events");
    }

    /** Each Loki sink: its queue (entries, bytes in memory and on disk), state, last error; UNKNOWN while it retries. */
    @Bean
    public HealthIndicator lokiSinks(CamelContext camel) {
        return new ComponentHealth(new Components(camel), "loki");
    }

    /** Each read-back canary: markers sent, found, missing, the last found and its latency; DEGRADED while markers go missing. */
    @Bean
    public HealthIndicator canaries(CamelContext camel) {
        return new ComponentHealth(new Components(camel), "canary");
    }

    /** Each remote-write sink, the same way. */
    @Bean
    public HealthIndicator remoteWriteSinks(CamelContext camel) {
        return new ComponentHealth(new Components(camel), "remote-write");
    }
}

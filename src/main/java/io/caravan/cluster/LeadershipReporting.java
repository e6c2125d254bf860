package io.caravan.cluster;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.CamelContext;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Whether this agent leads each master: group, where operators look: the "leadership" entry of /actuator/health and
 * {@code caravan_leader{group}} (1 leading, 0 standing by) on /actuator/prometheus, so "who probes?" has one answer
 * across the fleet: {@code sum by (group) (caravan_leader)} is 1. Standing by is healthy: UP, or UNKNOWN while the API
 * server does not answer for the Lease (either way readiness does not include it).
 */
@Configuration(proxyBeanMethods = false)
public class LeadershipReporting {

    @Bean
    public HealthIndicator leadership(CamelContext camel) {
        return () -> {
            Health.Builder b = Health.up();
            boolean failing = false;
            for (GroupLeadership g : GroupLeadership.all(camel)) {
                b.withDetail(g.group(), g.toMap());
                failing |= g.lastError() != null;
            }
            return (failing ? b.unknown() : b).build();
        };
    }

    /** The groups are known once the routes are: a gauge per group when the agent is ready. */
    @Bean
    public ApplicationListener<ApplicationReadyEvent> leaderGauges(CamelContext camel, MeterRegistry registry) {
        return ready -> {
            for (GroupLeadership g : GroupLeadership.all(camel)) {
                Gauge.builder("caravan_leader", () -> GroupLeadership.leads(camel, g.group()) ? 1 : 0)
                        .description("1 while this agent leads the master: group (runs its once-per-cluster routes), 0 while it stands by")
                        .tag("group", g.group()).register(registry);
            }
        };
    }
}

package io.caravan;

import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.CamelContext;
import org.apache.camel.spring.boot.CamelContextConfiguration;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.ConfigurableEnvironment;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The hot reload's parts: the reload itself, what starts it (the watch on the route, rule and stage directories, once
 * the routes run; {@code POST /-/reload} in {@link ReloadController}), and its health entry: UP while the files on disk
 * run, UNKNOWN when the last reload failed and the previous configuration still runs, with the error (never DOWN: a
 * bad file is not something a restart would fix).
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = ReloadWiring.ENABLED, matchIfMissing = true)
class ReloadWiring {

    /** Off in the agent {@code validate} starts to check files: it has no routes to reload. */
    static final String ENABLED = "caravan.reload.enabled";

    @Bean
    RouteReload routeReload(CamelContext camel, ConfigurableEnvironment env, MeterRegistry meters) {
        return new RouteReload(camel, env, meters);
    }

    /** Watches the directories the routes come from; closed by Spring with the agent. */
    @Bean
    RoutesDirWatch routesDirWatch(CamelContext camel, ConfigurableEnvironment env, RouteReload reload) {
        return new RoutesDirWatch(camel, env, () -> reload.reload("watch"));
    }

    /**
     * The configuration is recorded as soon as the routes are loaded (before they start), and once they run the watch
     * starts and catches up with a file changed in between (a reload if one was).
     */
    @Bean
    CamelContextConfiguration reloadStart(RouteReload reload, RoutesDirWatch watch) {
        return new CamelContextConfiguration() {
            @Override
            public void beforeApplicationStart(CamelContext camel) {
                try {
                    reload.loaded();
                } catch (Exception e) {
                    // the pipelines run all the same; the first reload records the files as they are then
                    org.slf4j.LoggerFactory.getLogger(ReloadWiring.class).warn(
                            "reload: cannot read the route files just loaded ({}); a reload compares with the files as they are at the first one",
                            e.getMessage());
                }
            }

            @Override
            public void afterApplicationStart(CamelContext camel) {
                reload.running();
                watch.start();
                reload.reload("start");
            }
        };
    }

    @Bean
    HealthIndicator configReload(RouteReload reload) {
        return () -> {
            RouteReload.Status s = reload.status();
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("configuration", s.generation());
            d.put("loadedAt", Instant.ofEpochMilli(s.lastSuccessMs()).toString());
            if (s.lastOutcome() != null) {
                d.put("lastReload", s.lastOutcome().name().toLowerCase());
                d.put("lastReloadAt", Instant.ofEpochMilli(s.lastAttemptMs()).toString());
                d.put("lastReloadFiles", s.lastFiles());
            }
            if (s.lastError() != null && s.lastOutcome() == RouteReload.Outcome.FAILED) {
                d.put("lastError", s.lastError());
            }
            return (s.lastOutcome() == RouteReload.Outcome.FAILED ? Health.unknown() : Health.up()).withDetails(d).build();
        };
    }
}

package io.caravan.ui;

import io.caravan.component.ComponentStatus;
import jakarta.annotation.PreDestroy;
import org.apache.camel.CamelContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Observes every sink's queue length into a {@link QueueTrend} at a fixed period, whether or not anyone has the UI
 * open: a trend drawn from page refreshes would depend on who looks, and how often.
 */
@Component
class QueueWatch {

    private static final Logger LOG = LoggerFactory.getLogger(QueueWatch.class);

    private final Components components;
    private final QueueTrend trend = new QueueTrend();
    private final ScheduledExecutorService timer;

    QueueWatch(CamelContext camel) {
        this.components = new Components(camel);
        // Camel's pool: named, listed with the others, shut down with the context
        this.timer = camel.getExecutorServiceManager().newSingleThreadScheduledExecutor(this, "ui-queue-watch");
        timer.scheduleAtFixedRate(this::observe, QueueTrend.PERIOD_MS, QueueTrend.PERIOD_MS, TimeUnit.MILLISECONDS);
    }

    QueueTrend trend() {
        return trend;
    }

    void observe() {
        try {
            long now = System.currentTimeMillis();
            Set<String> sinks = new HashSet<>();
            for (ComponentStatus s : components.all()) {
                if (s.queue() != null) {
                    String key = RouteHealth.key(s);
                    sinks.add(key);
                    trend.observe(key, s.queue().entries(), now);
                }
            }
            trend.retainOnly(sinks);
        } catch (RuntimeException e) {
            // a component stopping under us: the next observation sees the new state; the timer must not die
            LOG.debug("sink queues not observed this time", e);
        }
    }

    @PreDestroy
    void stop() {
        timer.shutdownNow();
    }
}

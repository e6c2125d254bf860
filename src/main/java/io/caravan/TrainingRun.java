package io.caravan;

import io.caravan.model.Durations;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.stereotype.Component;

import java.time.Duration;

/**
 * The image's AOT-cache training run ({@code -Dcaravan.training.exit-after-ready=20s}): the agent starts as in
 * production, runs its pipelines for that long after it is ready (the first scrapes, the node exporter, the sinks,
 * so their classes and method profiles are recorded too, not just Spring's refresh), then exits normally, which is
 * when the JVM writes the cache. Without the property this bean does not exist.
 */
@Component
@ConditionalOnProperty("caravan.training.exit-after-ready")
class TrainingRun implements ApplicationListener<ApplicationReadyEvent> {

    private static final Logger LOG = LoggerFactory.getLogger(TrainingRun.class);

    @Override
    public void onApplicationEvent(ApplicationReadyEvent event) {
        Duration after = Duration.ofMillis(Durations.parseMillis("caravan.training.exit-after-ready",
                event.getApplicationContext().getEnvironment().getRequiredProperty("caravan.training.exit-after-ready")));
        Thread exit = new Thread(() -> {
            try {
                Thread.sleep(after.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            LOG.info("training run: exiting {} after ready", after);
            System.exit(SpringApplication.exit(event.getApplicationContext()));
        }, "training-run-exit");
        exit.setDaemon(true);
        exit.start();
    }
}

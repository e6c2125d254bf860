package io.caravan.logs;

import org.apache.camel.CamelContext;
import org.apache.camel.spi.ExecutorServiceManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * The threads of a log source component, from Camel's ExecutorServiceManager: one timer thread that only
 * schedules, a fixed pool that runs the polls ({@link #POLL_THREADS}), and a cached pool for long-lived tasks (API
 * log streams, which block). A follower holds a poll thread only while it reads or while the route works on its
 * batch, so a slow file or route holds up the others only when it holds every poll thread.
 */
public final class Pollers {

    private static final Logger LOG = LoggerFactory.getLogger(Pollers.class);

    private final CamelContext camel;
    private final ScheduledExecutorService timer;
    private final ExecutorService workers;
    private final ExecutorService polls;

    public Pollers(CamelContext camel, Object owner, String name) {
        this.camel = camel;
        ExecutorServiceManager esm = camel.getExecutorServiceManager();
        this.timer = esm.newSingleThreadScheduledExecutor(owner, name + "-timer");
        this.workers = esm.newCachedThreadPool(owner, name);
        this.polls = esm.newFixedThreadPool(owner, name + "-poll", POLL_THREADS);
    }

    /**
     * Polls that run at once, at most: twice the cores, at least four. Each holds its batch (up to batchLines /
     * batchBytes) while the route works on it; with one thread per follower, twenty busy containers held twenty
     * batches, most of the young generation, which the collector then copied into the old one (the pod-logs run's
     * heap grew to ~600 MiB). A follower waiting for a free thread reads on its next turn, in order.
     */
    static final int POLL_THREADS = Math.max(4, 2 * Runtime.getRuntime().availableProcessors());

    /** Runs {@code task} repeatedly; it returns the delay before its next run in ms (0 = at once, negative = done). */
    public Handle repeat(LongSupplier task, long initialDelayMillis) {
        Handle h = new Handle(task);
        h.schedule(initialDelayMillis);
        return h;
    }

    /** Runs a long-lived task (a blocking API log stream) on a worker. */
    public void execute(Runnable task) {
        workers.execute(task);
    }

    public ScheduledFuture<?> every(Runnable task, long periodMillis) {
        return timer.scheduleWithFixedDelay(() -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                LOG.warn("periodic log-source task failed: {}", e.toString());
            }
        }, 0, periodMillis, TimeUnit.MILLISECONDS);
    }

    public void shutdown() {
        camel.getExecutorServiceManager().shutdownNow(timer);
        camel.getExecutorServiceManager().shutdownGraceful(polls, 10_000);
        camel.getExecutorServiceManager().shutdownGraceful(workers, 10_000);
    }

    /** One repeating task; cancel() stops the next runs (a run in progress completes). */
    public final class Handle {
        private final LongSupplier task;
        private volatile boolean cancelled;

        private Handle(LongSupplier task) {
            this.task = task;
        }

        public void cancel() {
            cancelled = true;
        }

        public boolean isCancelled() {
            return cancelled;
        }

        private void schedule(long delay) {
            if (cancelled) {
                return;
            }
            try {
                if (delay <= 0) {
                    polls.execute(this::run);
                } else {
                    timer.schedule(() -> {
                        try {
                            polls.execute(this::run);
                        } catch (RejectedExecutionException e) {
                            // shutting down
                        }
                    }, delay, TimeUnit.MILLISECONDS);
                }
            } catch (RejectedExecutionException e) {
                // shutting down
            }
        }

        private void run() {
            if (cancelled) {
                return;
            }
            long next;
            try {
                next = task.getAsLong();
            } catch (RuntimeException e) {
                LOG.warn("log-source poll failed: {}", e.toString());
                next = 1000;
            }
            if (next >= 0) {
                schedule(next);
            }
        }
    }
}

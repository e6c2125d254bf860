package io.caravan.logs.process;

import io.micrometer.core.instrument.Counter;

import java.util.HashMap;
import java.util.Map;

/**
 * stage.limit: a token bucket of {@code rate} entries per second holding up to {@code burst} (full at
 * start, as Go's rate.Limiter). With drop, entries over the rate are dropped and counted
 * (reason ratelimit_drop_stage); without it the stage waits, holding up the route as Alloy holds up its
 * pipeline. With by_label_name, one bucket per value of that label (entries without the label pass),
 * kept for at most max_distinct_labels values (at least 10,000) in two generations.
 */
final class LimitStage extends Stage.PerEntry {

    private final double rate;
    private final int burst;
    private final boolean drop;
    private final String byLabel;
    private final int maxDistinct;
    private final Counter dropped;
    private final Bucket single;
    private Map<String, Bucket> newGen = new HashMap<>();
    private Map<String, Bucket> oldGen = new HashMap<>();

    /** Alloy's LimitConfig; fewer than 10,000 max_distinct_labels is raised to it, as Alloy does. */
    record Args(Double rate, Integer burst, Boolean drop, String byLabelName, Integer maxDistinctLabels) implements StageArgs {
        Args {
            rate = ArgChecks.orDefault(rate, 0.0);
            burst = ArgChecks.orDefault(burst, 0);
            drop = ArgChecks.orDefault(drop, false);
            byLabelName = ArgChecks.orDefault(byLabelName, "");
            maxDistinctLabels = Math.max(10_000, ArgChecks.orDefault(maxDistinctLabels, 0));
        }

        @Override
        public void validate() {
            if (rate <= 0 || burst <= 0) {
                throw new IllegalArgumentException("rate and burst must both be greater than 0");
            }
            if (!byLabelName.isEmpty() && !drop) {
                throw new IllegalArgumentException("when limiting by_label_name, drop must be true");
            }
        }
    }

    LimitStage(Args args, StageMetrics metrics) {
        rate = args.rate();
        burst = args.burst();
        drop = args.drop();
        byLabel = args.byLabelName();
        maxDistinct = args.maxDistinctLabels();
        single = byLabel.isEmpty() ? new Bucket(rate, burst) : null;
        dropped = metrics.dropCounter("ratelimit_drop_stage");
    }

    @Override
    boolean apply(ProcessEntry e) {
        Bucket b;
        if (byLabel.isEmpty()) {
            b = single;
        } else {
            String v = e.labels.get(byLabel);
            if (v == null) {
                return true;
            }
            b = bucketFor(v);
        }
        if (!drop) {
            b.await();
            return true;
        }
        if (b.tryTake()) {
            return true;
        }
        dropped.increment();
        return false;
    }

    private synchronized Bucket bucketFor(String value) {
        Bucket b = newGen.get(value);
        if (b == null) {
            b = oldGen.get(value);
            if (b == null) {
                b = new Bucket(rate, burst);
            }
            newGen.put(value, b);
            if (newGen.size() >= maxDistinct) {
                oldGen = newGen;
                newGen = new HashMap<>();
            }
        }
        return b;
    }

    /** Go's rate.Limiter in small: tokens refill continuously up to the burst. */
    static final class Bucket {
        private final double rate;
        private final double burst;
        private double tokens;
        private long lastNanos;

        Bucket(double rate, int burst) {
            this.rate = rate;
            this.burst = burst;
            this.tokens = burst;
            this.lastNanos = System.nanoTime();
        }

        private void refill(long now) {
            tokens = Math.min(burst, tokens + (now - lastNanos) / 1e9 * rate);
            lastNanos = now;
        }

        synchronized boolean tryTake() {
            refill(System.nanoTime());
            if (tokens >= 1) {
                tokens -= 1;
                return true;
            }
            return false;
        }

        /** Reserves a token and sleeps until it is due. */
        void await() {
            long waitNanos;
            synchronized (this) {
                refill(System.nanoTime());
                tokens -= 1;
                waitNanos = tokens >= 0 ? 0 : (long) (-tokens / rate * 1e9);
            }
            if (waitNanos > 0) {
                try {
                    Thread.sleep(waitNanos / 1_000_000, (int) (waitNanos % 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }
}

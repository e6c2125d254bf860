package io.caravan.cluster;

import java.time.Duration;

/**
 * The Lease timing, from {@code camel.cluster.kubernetes.*}: how long a Lease lasts without renewal (the others' wait),
 * how long its holder keeps acting without a renewal (always shorter, so it stops before anyone else may start), and
 * how often candidates and the holder call the API server.
 */
public record LeaseTiming(Duration leaseDuration, Duration renewDeadline, Duration retryPeriod) {

    public LeaseTiming {
        if (leaseDuration.toMillis() < 1000 || leaseDuration.toMillis() % 1000 != 0) {
            // a Lease stores leaseDurationSeconds: 2500 ms would be written, and honoured by the others, as 2 s
            throw new IllegalArgumentException("lease-duration-millis must be whole seconds (a Lease stores seconds), not "
                    + leaseDuration.toMillis());
        }
        if (renewDeadline.compareTo(leaseDuration) >= 0) {
            throw new IllegalArgumentException("renew-deadline-millis (" + renewDeadline.toMillis()
                    + ") must be shorter than lease-duration-millis (" + leaseDuration.toMillis()
                    + "): a leader that cannot renew must stop before the others may take over");
        }
        // Camel's Kubernetes cluster service had the same rule, so settings that were valid stay valid
        if (renewDeadline.toMillis() <= 1.2 * retryPeriod.toMillis() || retryPeriod.isNegative() || retryPeriod.isZero()) {
            throw new IllegalArgumentException("renew-deadline-millis (" + renewDeadline.toMillis()
                    + ") must be more than 1.2 x retry-period-millis (" + retryPeriod.toMillis() + "), and that more than 0");
        }
    }

    public static LeaseTiming ofMillis(long leaseDuration, long renewDeadline, long retryPeriod) {
        return new LeaseTiming(Duration.ofMillis(leaseDuration), Duration.ofMillis(renewDeadline), Duration.ofMillis(retryPeriod));
    }

    /** Per request to the API server: a renewal that hangs must not use up the renew deadline alone. */
    Duration requestTimeout() {
        return Duration.ofMillis(Math.max(1000, renewDeadline.toMillis() / 3));
    }
}

package io.caravan.http;

import java.util.concurrent.ThreadLocalRandom;

/**
 * A sender's waits between attempts at one batch: exponential from min to max, never shorter than the
 * receiver's Retry-After, with up to 10% jitter so several senders do not retry in step; a wait ends at
 * once when the sender stops.
 */
public final class RetryBackoff {

    private final long minMs;
    private final long maxMs;
    private long nextMs;
    private boolean stopped;
    private boolean waiting;

    public RetryBackoff(long minMs, long maxMs) {
        this.minMs = minMs;
        this.maxMs = maxMs;
        this.nextMs = minMs;
    }

    /** A new batch starts from the shortest wait. */
    public synchronized void reset() {
        nextMs = minMs;
    }

    /** Waits before the next attempt; false when the sender was stopped meanwhile (or before). */
    public synchronized boolean pause(long retryAfterMs) throws InterruptedException {
        long wait = Math.max(nextMs, retryAfterMs);
        wait += ThreadLocalRandom.current().nextLong(Math.max(1, wait / 10));
        nextMs = Math.min(nextMs * 2, maxMs);
        long until = System.currentTimeMillis() + wait;
        long left;
        waiting = true;
        try {
            while (!stopped && (left = until - System.currentTimeMillis()) > 0) {
                wait(left);
            }
        } finally {
            waiting = false;
        }
        return !stopped;
    }

    /**
     * True while the sender waits out a failure: the receiver did not take its last attempt. A stop does not
     * wait for a flush then; what is queued is on disk and goes first at the next start.
     */
    public synchronized boolean waiting() {
        return waiting;
    }

    public synchronized void stop() {
        stopped = true;
        notifyAll();
    }
}

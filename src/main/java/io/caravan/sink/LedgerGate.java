package io.caravan.sink;

import java.util.concurrent.locks.StampedLock;
import java.util.function.Supplier;

/**
 * Makes a sink's ledger read at one moment. Every step that moves the queue and the counts together (an append
 * with what it counts, an acknowledgement with what its batch came to, a trim inside an append) runs between
 * {@link #enter()} and {@link #exit()}, many at once; {@link #read} waits until none is under way and lets none
 * start while it reads. So a reading sees each step whole, never the queue moved and its counts not yet, and
 * stepping costs one shared lock per batch, never per entry.
 * <p>
 * Not reentrant: a step must not start another step of the same sink (a waiting reader would block it for good).
 */
public final class LedgerGate {

    private final StampedLock lock = new StampedLock();

    /** Starts a step; returns the stamp {@link #exit} takes. */
    public long enter() {
        return lock.readLock();
    }

    public void exit(long stamp) {
        lock.unlockRead(stamp);
    }

    /** What reading returns, read while no step is under way. */
    public <T> T read(Supplier<T> reading) {
        long stamp = lock.writeLock();
        try {
            return reading.get();
        } finally {
            lock.unlockWrite(stamp);
        }
    }
}

package io.caravan.testing;

import io.caravan.component.LedgerSource;
import io.caravan.component.SinkLedger;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Reads a component's ledgers as fast as it can on a thread of its own, while a test pushes and its receiver fails,
 * and keeps every reading that did not balance: produced = acknowledged + dropped + queued must hold at each.
 */
public final class LedgerSampler implements AutoCloseable {

    private final LedgerSource source;
    private final Thread thread;
    private final AtomicLong readings = new AtomicLong();
    private final AtomicLong maxQueued = new AtomicLong();
    private final List<SinkLedger> unbalanced = new CopyOnWriteArrayList<>();
    private volatile boolean running = true;

    public LedgerSampler(LedgerSource source) {
        this.source = source;
        this.thread = new Thread(this::run, "ledger-sampler");
        thread.start();
    }

    private void run() {
        while (running) {
            for (SinkLedger l : source.ledgers()) {
                readings.incrementAndGet();
                maxQueued.accumulateAndGet(l.queued(), Math::max);
                if (l.imbalance() != 0) {
                    unbalanced.add(l);
                }
            }
            try {
                Thread.sleep(1); // a reading every millisecond or so: thousands across an outage, a core left to the sink
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** Readings of a sink's ledger so far. */
    public long readings() {
        return readings.get();
    }

    /** The most any reading found queued. */
    public long maxQueued() {
        return maxQueued.get();
    }

    public List<SinkLedger> unbalanced() {
        return List.copyOf(unbalanced);
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.join(10_000);
    }
}

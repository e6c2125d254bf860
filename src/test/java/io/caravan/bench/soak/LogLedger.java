package io.caravan.bench.soak;

import io.caravan.loki.testing.LokiPushDecoder;

import java.util.BitSet;
import java.util.List;

/** The counting Loki receiver's book: the sequence ids of the lines received, once and more than once. */
final class LogLedger {

    private final BitSet seen;
    private final BitSet again;
    private long delivered;
    private long duplicated;
    private long duplicateCopies;
    private long unexpected;
    private long requests;

    LogLedger(int capacity) {
        seen = new BitSet(capacity);
        again = new BitSet(capacity);
    }

    /** The Loki push handler: decode (snappy + logproto.PushRequest), then book every line's id. */
    int receive(byte[] body) throws Exception {
        List<LokiPushDecoder.Stream> streams = LokiPushDecoder.decode(body);
        synchronized (this) {
            requests++;
            for (LokiPushDecoder.Stream s : streams) {
                for (LokiPushDecoder.Entry e : s.entries()) {
                    book(LogWriter.idOf(e.line()));
                }
            }
        }
        return 204;
    }

    private void book(long id) {
        if (id < 0 || id >= Integer.MAX_VALUE) {
            unexpected++;
            return;
        }
        int i = (int) id;
        if (!seen.get(i)) {
            seen.set(i);
            delivered++;
            return;
        }
        duplicateCopies++;
        if (!again.get(i)) {
            again.set(i);
            duplicated++;
        }
    }

    synchronized boolean received(long id) {
        return seen.get((int) id);
    }

    synchronized boolean duplicated(long id) {
        return again.get((int) id);
    }

    synchronized long delivered() {
        return delivered;
    }

    synchronized long duplicated() {
        return duplicated;
    }

    synchronized long duplicateCopies() {
        return duplicateCopies;
    }

    synchronized long unexpected() {
        return unexpected;
    }

    synchronized long requests() {
        return requests;
    }
}

package io.caravan.bench.soak;

import io.caravan.loki.testing.LokiPushDecoder;

import java.util.BitSet;
import java.util.List;

/**
 * The counting Loki receiver's book for one log source: the sequence ids of its lines received, once and more than
 * once. A source's lines carry their id after its own marker ({@code seq=} for the tail files, {@code podline=} for
 * the pod logs), so one receiver serves both and every line lands in its source's book.
 */
final class LogLedger {

    private final String marker;
    private final BitSet seen;
    private final BitSet again;
    private long delivered;
    private long duplicated;
    private long duplicateCopies;
    private long unexpected;
    private long requests;

    LogLedger(String marker, int capacity) {
        this.marker = marker;
        seen = new BitSet(capacity);
        again = new BitSet(capacity);
    }

    /**
     * The Loki push handler: decode (snappy + logproto.PushRequest), then book every line in the ledger whose marker
     * it carries; a line with none is counted as unexpected in the first ledger.
     */
    static int receive(byte[] body, LogLedger... ledgers) throws Exception {
        List<LokiPushDecoder.Stream> streams = LokiPushDecoder.decode(body);
        boolean[] touched = new boolean[ledgers.length];
        for (LokiPushDecoder.Stream s : streams) {
            for (LokiPushDecoder.Entry e : s.entries()) {
                int which = 0;
                long id = -1;
                for (int i = 0; i < ledgers.length && id < 0; i++) {
                    id = LogWriter.idOf(e.line(), ledgers[i].marker);
                    which = id < 0 ? 0 : i;
                }
                ledgers[which].book(id);
                touched[which] = true;
            }
        }
        for (int i = 0; i < ledgers.length; i++) {
            if (touched[i]) {
                ledgers[i].request();
            }
        }
        return 204;
    }

    private synchronized void request() {
        requests++;
    }

    private synchronized void book(long id) {
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

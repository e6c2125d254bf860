package io.caravan.ui;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Whether a sink's queue grows, from its length observed every {@link #PERIOD_MS} ({@link QueueWatch}): growing when
 * over the last {@link #OBSERVATIONS} observations (a minute) it never shrank and ended longer than it began. A sink
 * that keeps up empties or shortens its queue with every batch it sends, so a whole minute without one shrink means
 * its receiver takes less than arrives (away, refusing, or too slow). A minute spans two scrape intervals of the
 * seed's 30 s, so a queue fed in bursts, flat between scrapes, still counts as growing.
 */
final class QueueTrend {

    static final long PERIOD_MS = 10_000;
    static final int OBSERVATIONS = 7; // 6 periods: 60 s

    /** A growing queue: how much it grew over the window, and the window's length. */
    record Growth(long added, long seconds) {
    }

    private record Observation(long entries, long atMs) {
    }

    private final Map<String, Deque<Observation>> bySink = new HashMap<>();

    /** Records a sink's queue length at a time; the oldest observation past the window is forgotten. */
    synchronized void observe(String sink, long entries, long atMs) {
        Deque<Observation> seen = bySink.computeIfAbsent(sink, s -> new ArrayDeque<>());
        seen.addLast(new Observation(entries, atMs));
        while (seen.size() > OBSERVATIONS) {
            seen.removeFirst();
        }
    }

    /** Forgets sinks that are gone (a route removed), so a sink of the same name starts afresh. */
    synchronized void retainOnly(Set<String> sinks) {
        bySink.keySet().retainAll(sinks);
    }

    /** The growth of a sink's queue over the last window, or null when it is not growing or not watched that long. */
    synchronized Growth growth(String sink) {
        Deque<Observation> seen = bySink.get(sink);
        if (seen == null || seen.size() < OBSERVATIONS) {
            return null;
        }
        Observation first = seen.getFirst();
        Observation previous = null;
        for (Observation o : seen) {
            if (previous != null && o.entries() < previous.entries()) {
                return null; // it shrank once: the receiver takes entries
            }
            previous = o;
        }
        Observation last = seen.getLast();
        if (last.entries() <= first.entries()) {
            return null;
        }
        return new Growth(last.entries() - first.entries(), (last.atMs() - first.atMs()) / 1000);
    }
}

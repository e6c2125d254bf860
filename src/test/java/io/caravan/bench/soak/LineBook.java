package io.caravan.bench.soak;

import java.util.ArrayList;
import java.util.List;

/**
 * What the harness knows of every line id a writer wrote: the phase and the time it was written in, and its group
 * (a tail file's generation, i.e. the file between two rotations, or one pod incarnation's log), whose {@link Fate}
 * is set when the event happens. The report walks it against a {@link LogLedger} to put each lost line down to a
 * phase and an event.
 */
final class LineBook {

    private final byte[] phaseOf;
    private final int[] tenthsOf; // when written, in tenths of a second since base
    private final int[] groupOf;
    private final List<Fate> fate = new ArrayList<>();
    private final List<Long> fateAt = new ArrayList<>();
    private final long base = System.currentTimeMillis();
    private volatile long written;

    LineBook(int capacity) {
        phaseOf = new byte[capacity];
        tenthsOf = new int[capacity];
        groupOf = new int[capacity];
    }

    int capacity() {
        return phaseOf.length;
    }

    synchronized int newGroup(Fate initial) {
        fate.add(initial);
        fateAt.add(0L);
        return fate.size() - 1;
    }

    /** The group's file was rotated away or its pod deleted, at {@code atMillis}. */
    synchronized void end(int group, Fate f, long atMillis) {
        fate.set(group, f);
        fateAt.set(group, atMillis);
    }

    /** One line, by its writer's thread, ids in order; {@link #published} makes them visible to readers. */
    void record(long id, byte phase, long atMillis, int group) {
        int i = (int) id;
        phaseOf[i] = phase;
        tenthsOf[i] = (int) ((atMillis - base) / 100);
        groupOf[i] = group;
    }

    void published(long n) {
        written = n;
    }

    long written() {
        return written;
    }

    byte phaseOf(long id) {
        return phaseOf[(int) id];
    }

    /** When the line was written, epoch ms, to 100 ms. */
    long writtenAt(long id) {
        return base + tenthsOf[(int) id] * 100L;
    }

    int groupOf(long id) {
        return groupOf[(int) id];
    }

    synchronized Fate fate(int group) {
        return fate.get(group);
    }

    /** When the group's file was rotated away or its pod deleted (epoch ms), 0 if never. */
    synchronized long endedAt(int group) {
        return fateAt.get(group);
    }

    synchronized int groups() {
        return fate.size();
    }
}

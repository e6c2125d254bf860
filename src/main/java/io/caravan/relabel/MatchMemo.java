package io.caravan.relabel;

/**
 * Remembers recent answers of one regex. re2j needs roughly 0.5-2 µs per match on short label values, while
 * relabelling sees the same values over and over (every discovery refresh re-relabels the same targets, and
 * labelmap/labeldrop/labelkeep test the same label names on every target). A regex is a pure function of its
 * input, so a remembered answer is exactly the answer.
 *
 * <p>Direct-mapped and lock-free: each slot holds an immutable entry; racing writers just overwrite each other,
 * and final fields make a published entry safe to read from any thread.
 */
final class MatchMemo {

    /** Long values are rare, rarely repeat, and would be kept alive by the memo. */
    private static final int MAX_INPUT_LENGTH = 512;

    private final Entry[] slots;
    private final int mask;

    /** {@code size} must be a power of two. */
    MatchMemo(int size) {
        slots = new Entry[size];
        mask = size - 1;
    }

    /** A remembered result. spans is null when it did not match or when only matched/not was asked. */
    static final class Entry {
        final String input;
        final boolean matched;
        final int[] spans;

        Entry(String input, boolean matched, int[] spans) {
            this.input = input;
            this.matched = matched;
            this.spans = spans;
        }
    }

    Entry get(String input) {
        Entry e = slots[slot(input)];
        return e != null && e.input.equals(input) ? e : null;
    }

    void put(String input, boolean matched, int[] spans) {
        if (input.length() <= MAX_INPUT_LENGTH) {
            slots[slot(input)] = new Entry(input, matched, spans);
        }
    }

    private int slot(String input) {
        int h = input.hashCode();
        return (h ^ (h >>> 16)) & mask;
    }
}

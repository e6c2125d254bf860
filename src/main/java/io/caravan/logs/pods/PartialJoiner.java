package io.caravan.logs.pods;

/**
 * Joins the pieces of one stream's split line ({@code P} ... {@code F}), up to a maximum length: what goes past
 * it is dropped and the line marked cut. Remembers the first piece's timestamp and file offset (the position
 * must not pass a piece until its line is handed on).
 */
final class PartialJoiner {

    private final int maxChars;
    private final StringBuilder text = new StringBuilder();
    private long timestampNanos;
    private long since = -1;
    private boolean cut;
    private boolean lastCut;

    PartialJoiner(int maxChars) {
        this.maxChars = maxChars;
    }

    boolean holding() {
        return since >= 0;
    }

    long since() {
        return since;
    }

    long timestampNanos() {
        return timestampNanos;
    }

    /** Whether the line that {@link #complete} returned last was cut to the maximum. */
    boolean lastCut() {
        return lastCut;
    }

    void add(ContainerLine piece, long offset) {
        if (since < 0) {
            since = offset;
            timestampNanos = piece.timestampNanos();
        }
        append(piece.content());
    }

    /** The whole line, with {@code last} as its final piece; the joiner is empty afterwards. */
    String complete(String last) {
        append(last);
        String s = text.toString();
        lastCut = cut;
        clear();
        return s;
    }

    void clear() {
        text.setLength(0);
        if (text.capacity() > 64 * 1024) {
            text.trimToSize();
        }
        since = -1;
        cut = false;
    }

    private void append(String s) {
        int room = maxChars - text.length();
        if (s.length() <= room) {
            text.append(s);
        } else {
            if (room > 0) {
                text.append(s, 0, room);
            }
            cut = true;
        }
    }
}

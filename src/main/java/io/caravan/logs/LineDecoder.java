package io.caravan.logs;

import io.caravan.model.LogEntry;

import java.util.List;

/**
 * Turns the lines of one file into entries. A decoder may hold lines back (a CRI partial line waits for its
 * end); it then reports the offset of the first held line, so the position never passes a line that has not
 * reached the route yet.
 */
public interface LineDecoder {

    /**
     * @param line      the line without its newline (already cut to the maximum length)
     * @param lineStart file offset of the line's first byte
     * @param readNanos when it was read (strictly increasing per file), the timestamp when the line has none
     */
    void decode(String line, long lineStart, long readNanos, List<LogEntry> out);

    /** The same, from the line's UTF-8 bytes; a decoder that needs only part of them as text decodes only that. */
    default void decode(byte[] b, int off, int len, long lineStart, long readNanos, List<LogEntry> out) {
        decode(Utf8.decode(b, off, len), lineStart, readNanos, out);
    }

    /** Offset of the first line held back, or -1. */
    default long heldSince() {
        return -1;
    }

    /** The file is complete (rotated away, or its pod is gone): emit whatever is held. */
    default void flush(List<LogEntry> out) {
    }

    /** Forget what is held: those lines will be read again. */
    default void reset() {
    }
}

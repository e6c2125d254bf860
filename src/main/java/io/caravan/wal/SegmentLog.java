package io.caravan.wal;

import io.caravan.wire.ProtoWriter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.zip.CRC32C;

/**
 * A sink's queue on disk: an append log in segment files under one directory, so entries survive a restart
 * or a {@code kill -9} of the agent once {@link #append} has returned, and memory stays flat in a long
 * outage. The Loki sink's spill and the remote-write WAL are both one (remote write: one per shard).
 * <p>
 * Layout: {@code NNNNNNNNNNNNNNNNNNNN.seg} files (sequence numbers, oldest first), each a run of records
 * <pre>  magic 0xCA7A10C5 | payload length | entry count | CRC-32C of (count, payload) | payload</pre>
 * (little-endian ints; the payload's format is the sink's, read back by its {@link Codec}), and a
 * {@code cursor} file holding the position up to which the receiver has acknowledged (segment, record
 * offset, entry index in the record, CRC). A new process always appends to a new segment, so a record cut
 * short by a crash can only sit at the end of an old segment.
 * <p>
 * Durability: append() writes to the file before it returns, so a killed process loses nothing that was
 * appended (the bytes are in the kernel's page cache). fsync runs every {@code syncIntervalMs} (0 = after
 * every append), on segment roll and on close; a power loss can therefore lose the last syncInterval of
 * appended entries, and may resend entries acknowledged since the cursor was last flushed to disk.
 * <p>
 * Bounds: segments roll at {@code segmentBytes}; past {@code maxBytes} on disk the oldest segments are
 * deleted, unread entries in them counted as dropped. One sender thread reads: {@link #peek()},
 * {@link #advance(int, long)}, {@link #position()}, then {@link #ack} once the receiver has taken a batch; acked
 * segments are deleted. A damaged record (bad magic, length or checksum, or a payload the codec refuses)
 * is skipped up to the next record that checks out, logged with the file, offset and byte count, and
 * counted; the rest is kept. One lock guards everything: appends are short, and the reader reads from the
 * page cache.
 */
public final class SegmentLog<T> implements Closeable {

    private static final Logger LOG = LoggerFactory.getLogger(SegmentLog.class);

    static final int MAGIC = 0xCA7A10C5;
    public static final int HEADER = 16;

    /** Each appending thread's record buffer (a payload writer must not append to a log itself). */
    private static final ThreadLocal<ProtoWriter> RECORDS = ThreadLocal.withInitial(() -> new ProtoWriter(1 << 16));
    private static final int MAX_KEPT_RECORD_BUFFER = 4 << 20;
    static final String SUFFIX = ".seg";

    /** Where the reader is, or up to where the receiver has acknowledged. */
    public record Position(long segment, long offset, int index) {
    }

    /** Reads a record's payload back into its entries. */
    public interface Codec<T> {
        /** The count entries in b[off, off+len); IllegalArgumentException when the bytes do not hold them. */
        List<T> decode(byte[] b, int off, int len, int count);
    }

    /**
     * What the log reports to metrics. The counting events come in the log's lock, in the same step as its count of
     * pending entries moves, so a ledger read between steps finds the two agreeing.
     */
    public interface Events {
        /** Unsent entries deleted because the directory went over maxBytes. */
        void overLimit(long entries);

        /** Bytes of damaged records skipped. */
        void corrupt(long bytes);

        /** Entries appended: now pending. */
        default void appended(long entries) {
        }

        /** Entries an earlier run left unacknowledged, found when the log was opened: pending from the start. */
        default void carriedOver(long entries) {
        }
    }

    private static final class Segment {
        final long seq;
        final Path path;
        long bytes;
        long entries;

        Segment(long seq, Path path) {
            this.seq = seq;
            this.path = path;
        }
    }

    private final String name;
    private final Path dir;
    private final Codec<T> codec;
    private final long segmentBytes;
    private final long maxBytes;
    private final long syncIntervalNanos;
    private final Events events;
    private final TreeMap<Long, Segment> segments = new TreeMap<>();
    private final FileChannel lockChannel;
    private final FileLock lock;
    private final FileChannel cursorChannel;
    private final CRC32C crc = new CRC32C();

    private Segment active;
    private FileChannel activeChannel;
    private boolean dirty;
    private long lastSyncNanos = System.nanoTime();
    private long totalBytes;
    private long pendingEntries;

    // reader state
    private long rSeg;
    private long rOff;
    private List<T> rRecord;
    private long rRecordOff;
    private int rIndex;
    private int skipOnLoad;
    private volatile long readerTrims; // times the bound deleted the segment the reader was in; read without the lock
    private FileChannel rChannel;
    private long rChannelSeg = -1;
    private boolean closed;

    /**
     * @param name who owns the log, for messages ("loki loki-local", "remote-write mimir shard 2")
     */
    public SegmentLog(String name, Path dir, long segmentBytes, long maxBytes, long syncIntervalMs, Codec<T> codec,
                      Events events) throws IOException {
        this.name = name;
        this.dir = dir;
        this.codec = codec;
        this.segmentBytes = segmentBytes;
        this.maxBytes = maxBytes;
        this.syncIntervalNanos = syncIntervalMs * 1_000_000L;
        this.events = events;
        Files.createDirectories(dir);
        lockChannel = FileChannel.open(dir.resolve("lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock l;
        try {
            l = lockChannel.tryLock();
        } catch (java.nio.channels.OverlappingFileLockException e) {
            l = null;
        }
        if (l == null) {
            lockChannel.close();
            throw new IllegalStateException(name + ": directory " + dir
                    + " is in use by another sink or agent; give each sink its own directory");
        }
        lock = l;
        cursorChannel = FileChannel.open(dir.resolve("cursor"), StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        recover();
    }

    /** Finds the segments left by an earlier run, where the receiver stopped acknowledging, and opens a new segment. */
    private void recover() throws IOException {
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "*" + SUFFIX)) {
            for (Path p : ds) {
                String f = p.getFileName().toString();
                try {
                    long seq = Long.parseLong(f.substring(0, f.length() - SUFFIX.length()));
                    Segment s = new Segment(seq, p);
                    s.bytes = Files.size(p);
                    s.entries = countEntries(p, 0, s.bytes);
                    segments.put(seq, s);
                    totalBytes += s.bytes;
                } catch (NumberFormatException notOurs) {
                    LOG.warn("{}: ignoring unexpected file {} in {}", name, p, dir);
                }
            }
        }
        Position cursor = readCursor();
        if (cursor != null && segments.containsKey(cursor.segment())) {
            rSeg = cursor.segment();
            rOff = cursor.offset();
            skipOnLoad = cursor.index();
        } else {
            Long first = cursor == null ? (segments.isEmpty() ? null : segments.firstKey())
                    : segments.ceilingKey(cursor.segment());
            rSeg = first == null ? (cursor == null ? 0 : cursor.segment()) : first;
            rOff = 0;
        }
        // acknowledged segments that a crash kept from being deleted
        while (!segments.isEmpty() && segments.firstKey() < rSeg) {
            deleteFile(segments.pollFirstEntry().getValue());
        }
        for (Segment s : segments.values()) {
            pendingEntries += s.entries;
        }
        Segment readerSeg = segments.get(rSeg);
        if (readerSeg != null && (rOff > 0 || skipOnLoad > 0)) {
            pendingEntries -= countEntries(readerSeg.path, 0, Math.min(rOff, readerSeg.bytes)) + skipOnLoad;
        }
        long next = Math.max(segments.isEmpty() ? 0 : segments.lastKey() + 1, rSeg + 1);
        if (pendingEntries > 0) {
            events.carriedOver(pendingEntries);
        }
        if (!segments.isEmpty()) {
            LOG.info("{}: {} entries left by the last run in {} segment(s) ({} bytes) to send first", name, pendingEntries,
                    segments.size(), totalBytes);
        }
        if (segments.isEmpty()) {
            rSeg = next;
            rOff = 0;
            skipOnLoad = 0;
        }
        openSegment(next);
    }

    private void openSegment(long seq) throws IOException {
        Segment s = new Segment(seq, dir.resolve(String.format("%020d%s", seq, SUFFIX)));
        activeChannel = FileChannel.open(s.path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        segments.put(seq, s);
        active = s;
        DirectorySync.sync(dir); // the new segment's directory entry survives a power loss too
    }

    /**
     * Writes one record of count entries, whose payload the writer encodes, before returning; rolls and
     * trims the log as needed. The record is built and checksummed outside the log's lock, in the calling
     * thread's buffer, so appenders encode in parallel and queue only for the write (in the pod-logs profile,
     * poll threads encoding under the lock blocked each other for 10-45 ms at a time).
     */
    public void append(int count, Consumer<ProtoWriter> payloadWriter) throws IOException {
        if (count <= 0) {
            return;
        }
        ProtoWriter enc = RECORDS.get();
        try {
            enc.reset();
            enc.ensure(HEADER);
            for (int i = 0; i < 4; i++) {
                enc.fixed32(0);
            }
            payloadWriter.accept(enc);
            byte[] b = enc.array();
            int size = enc.size();
            int payload = size - HEADER;
            ByteBuffer header = ByteBuffer.wrap(b, 0, HEADER).order(ByteOrder.LITTLE_ENDIAN);
            header.putInt(0, MAGIC).putInt(4, payload).putInt(8, count);
            CRC32C crc = new CRC32C();
            crc.update(b, 8, 4);
            crc.update(b, HEADER, payload);
            header.putInt(12, (int) crc.getValue());
            write(b, size, count);
        } finally {
            if (enc.array().length > MAX_KEPT_RECORD_BUFFER) {
                RECORDS.remove(); // a rare huge record does not keep its buffer in the thread
            }
        }
    }

    private synchronized void write(byte[] b, int size, int count) throws IOException {
        if (closed) {
            throw new IOException(name + ": the log in " + dir + " is closed");
        }
        if (active.bytes > 0 && active.bytes + size > segmentBytes) {
            roll();
        }
        ByteBuffer bb = ByteBuffer.wrap(b, 0, size);
        while (bb.hasRemaining()) {
            activeChannel.write(bb);
        }
        active.bytes += size;
        active.entries += count;
        totalBytes += size;
        pendingEntries += count;
        events.appended(count);
        dirty = true;
        if (syncIntervalNanos == 0) {
            sync();
        } else {
            syncIfDue();
        }
        trim();
        notifyAll();
    }

    private void roll() throws IOException {
        sync();
        activeChannel.close();
        openSegment(active.seq + 1);
    }

    public synchronized void syncIfDue() throws IOException {
        if (dirty && System.nanoTime() - lastSyncNanos >= syncIntervalNanos) {
            sync();
        }
    }

    private void sync() throws IOException {
        if (dirty && activeChannel.isOpen()) {
            activeChannel.force(false);
        }
        dirty = false;
        lastSyncNanos = System.nanoTime();
    }

    /** Deletes the oldest segments while the log is over maxBytes; unread entries in them are dropped. */
    private void trim() throws IOException {
        while (totalBytes > maxBytes && segments.size() > 1) {
            Segment oldest = segments.firstEntry().getValue();
            long lost;
            if (oldest.seq < rSeg) {
                lost = 0; // fully read: what is not yet acknowledged is in the sender's hands
            } else if (oldest.seq == rSeg) {
                lost = (rRecord == null ? 0 : rRecord.size() - rIndex) + countEntries(oldest.path, rOff, oldest.bytes);
                if (rRecord == null) {
                    lost -= Math.min(skipOnLoad, lost);
                }
                moveReaderTo(segments.higherKey(oldest.seq));
                readerTrims++;
            } else {
                lost = oldest.entries;
            }
            segments.pollFirstEntry();
            deleteFile(oldest);
            totalBytes -= oldest.bytes;
            pendingEntries = Math.max(0, pendingEntries - lost);
            if (lost > 0) {
                events.overLimit(lost);
            }
            LOG.warn("{}: {} is over its size limit ({} bytes); deleted the oldest segment {} ({} bytes, {} unsent entries dropped)",
                    name, dir, maxBytes, oldest.path.getFileName(), oldest.bytes, lost);
        }
    }

    private void moveReaderTo(Long seq) throws IOException {
        rSeg = seq == null ? active.seq : seq;
        rOff = 0;
        rRecord = null;
        rIndex = 0;
        skipOnLoad = 0;
        closeReader();
    }

    /** The next unread entry, or null when everything appended so far has been read. */
    public synchronized T peek() throws IOException {
        while (true) {
            if (rRecord != null && rIndex < rRecord.size()) {
                return rRecord.get(rIndex);
            }
            rRecord = null;
            if (!loadNextRecord()) {
                return null;
            }
        }
    }

    /** Moves past the entry peek handed out; for a log whose bound cannot delete what the reader is on, else see below. */
    public synchronized void advance() {
        rIndex++;
    }

    /**
     * How many times the bound deleted the segment the reader was in. Read it before {@link #peek()}, and hand it to
     * {@link #advance(int, long)}: entries handed out and not yet advanced past are counted as dropped when their
     * segment goes, so they must then not be sent too.
     */
    public long readerTrims() {
        return readerTrims;
    }

    /**
     * Moves past n entries handed out by peek, unless the bound deleted the reader's segment since trimsBefore (what
     * {@link #readerTrims()} said before that peek): then those entries were counted as dropped, nothing moves and it
     * returns false; peek again.
     */
    public synchronized boolean advance(int n, long trimsBefore) {
        if (readerTrims != trimsBefore) {
            return false;
        }
        rIndex += n;
        return true;
    }

    /** Whether the segment is still on disk (false once trimmed or acknowledged away). */
    public synchronized boolean retains(long segment) {
        return segments.containsKey(segment);
    }

    /** The position just after the last entry handed out by peek/advance. */
    public synchronized Position position() {
        if (rRecord != null && rIndex < rRecord.size()) {
            return new Position(rSeg, rRecordOff, rIndex);
        }
        return new Position(rSeg, rOff, 0);
    }

    private boolean loadNextRecord() throws IOException {
        while (true) {
            Segment seg = segments.get(rSeg);
            if (seg == null) {
                Long next = segments.higherKey(rSeg);
                if (next == null) {
                    return false;
                }
                moveReaderTo(next);
                continue;
            }
            if (rOff >= seg.bytes) {
                if (seg == active) {
                    return false;
                }
                Long next = segments.higherKey(rSeg);
                moveReaderTo(next);
                continue;
            }
            FileChannel ch = readerChannel(seg);
            List<T> entries = readRecord(ch, rOff, seg.bytes);
            if (entries == null) {
                long resume = resync(ch, rOff + 1, seg.bytes);
                long skipped = resume - rOff;
                LOG.error("{}: segment {} is damaged at offset {}: skipped {} bytes up to {}; the entries in them are lost",
                        name, seg.path, rOff, skipped, resume >= seg.bytes ? "the end of the segment" : "the next good record at " + resume);
                events.corrupt(skipped);
                rOff = resume;
                skipOnLoad = 0;
                continue;
            }
            rRecord = entries;
            rRecordOff = rOff;
            rIndex = Math.min(skipOnLoad, entries.size());
            skipOnLoad = 0;
            rOff += HEADER + lastPayload;
            return true;
        }
    }

    private int lastPayload;

    /** The record at off, or null when it does not check out. */
    private List<T> readRecord(FileChannel ch, long off, long limit) throws IOException {
        if (off + HEADER > limit) {
            return null;
        }
        ByteBuffer h = ByteBuffer.allocate(HEADER).order(ByteOrder.LITTLE_ENDIAN);
        readFully(ch, h, off);
        int magic = h.getInt(0);
        int len = h.getInt(4);
        int count = h.getInt(8);
        int sum = h.getInt(12);
        if (magic != MAGIC || len < 0 || count < 0 || off + HEADER + len > limit) {
            return null;
        }
        byte[] payload = new byte[len];
        readFully(ch, ByteBuffer.wrap(payload), off + HEADER);
        crc.reset();
        crc.update(h.array(), 8, 4);
        crc.update(payload, 0, len);
        if ((int) crc.getValue() != sum) {
            return null;
        }
        try {
            List<T> entries = codec.decode(payload, 0, len, count);
            lastPayload = len;
            return entries;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** The offset of the next good record at or after from, or limit. */
    private long resync(FileChannel ch, long from, long limit) throws IOException {
        int savedPayload = lastPayload;
        ByteBuffer one = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN);
        for (long off = from; off + HEADER <= limit; off++) {
            one.clear();
            readFully(ch, one, off);
            if (one.getInt(0) == MAGIC && readRecord(ch, off, limit) != null) {
                lastPayload = savedPayload;
                return off;
            }
        }
        return limit;
    }

    private static void readFully(FileChannel ch, ByteBuffer b, long off) throws IOException {
        while (b.hasRemaining()) {
            int n = ch.read(b, off + b.position());
            if (n < 0) {
                throw new IOException("unexpected end of file");
            }
        }
    }

    private FileChannel readerChannel(Segment seg) throws IOException {
        if (rChannel == null || rChannelSeg != seg.seq) {
            closeReader();
            rChannel = FileChannel.open(seg.path, StandardOpenOption.READ);
            rChannelSeg = seg.seq;
        }
        return rChannel;
    }

    private void closeReader() throws IOException {
        if (rChannel != null) {
            rChannel.close();
            rChannel = null;
            rChannelSeg = -1;
        }
    }

    /** The receiver took everything before p (entries of them): remember it, delete what is done. */
    public synchronized void ack(Position p, int entries) throws IOException {
        pendingEntries = Math.max(0, pendingEntries - entries);
        ByteBuffer b = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(0, p.segment()).putLong(8, p.offset()).putInt(16, p.index());
        crc.reset();
        crc.update(b.array(), 0, 20);
        b.putInt(20, (int) crc.getValue());
        cursorChannel.write(b, 0);
        while (!segments.isEmpty() && segments.firstKey() < p.segment() && segments.firstEntry().getValue() != active) {
            Segment s = segments.pollFirstEntry().getValue();
            totalBytes -= s.bytes;
            deleteFile(s);
        }
    }

    private Position readCursor() throws IOException {
        if (cursorChannel.size() < 24) {
            return null;
        }
        ByteBuffer b = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN);
        readFully(cursorChannel, b, 0);
        crc.reset();
        crc.update(b.array(), 0, 20);
        if ((int) crc.getValue() != b.getInt(20)) {
            LOG.warn("{}: the cursor in {} is damaged; resending from the oldest segment (duplicates possible)", name, dir);
            return null;
        }
        return new Position(b.getLong(0), b.getLong(8), b.getInt(16));
    }

    /** Entries of the records between two offsets, read from headers only (stops at the first bad header). */
    private static long countEntries(Path path, long from, long to) throws IOException {
        long n = 0;
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            ByteBuffer h = ByteBuffer.allocate(HEADER).order(ByteOrder.LITTLE_ENDIAN);
            long off = from;
            while (off + HEADER <= to) {
                h.clear();
                readFully(ch, h, off);
                int len = h.getInt(4);
                if (h.getInt(0) != MAGIC || len < 0 || off + HEADER + len > to) {
                    break;
                }
                n += h.getInt(8);
                off += HEADER + len;
            }
        } catch (NoSuchFileException gone) {
            return 0;
        }
        return n;
    }

    private void deleteFile(Segment s) throws IOException {
        if (s.seq == rChannelSeg) {
            closeReader();
        }
        Files.deleteIfExists(s.path);
    }

    /** Waits until something is appended or the timeout passes. */
    public synchronized void awaitAppend(long millis) throws InterruptedException {
        if (millis > 0) {
            wait(millis);
        }
    }

    public synchronized void wakeUp() {
        notifyAll();
    }

    public synchronized long pendingEntries() {
        return pendingEntries;
    }

    /** Bytes on disk not yet read past (what a restart would send). */
    public synchronized long pendingBytes() {
        long n = 0;
        for (Map.Entry<Long, Segment> e : segments.tailMap(rSeg, true).entrySet()) {
            n += e.getValue().bytes;
        }
        return Math.max(0, n - rOff);
    }

    public synchronized long diskBytes() {
        return totalBytes;
    }

    public synchronized int segmentCount() {
        return segments.size();
    }

    public Path dir() {
        return dir;
    }

    @Override
    public synchronized void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        sync();
        activeChannel.close();
        if (active.bytes == 0) {
            segments.remove(active.seq);
            Files.deleteIfExists(active.path);
        }
        closeReader();
        cursorChannel.force(false);
        cursorChannel.close();
        lock.release();
        lockChannel.close();
        notifyAll();
    }
}

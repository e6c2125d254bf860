package io.caravan.logs;

import io.caravan.model.LogEntry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * Follows one file (or the newest log of one container) from its stored position, and hands its lines to the
 * route in bounded batches. One call of {@link #poll()} reads at most one batch; the caller schedules the next.
 *
 * <p>Guarantees: the position moves only after the route returned without an exception, so a crash re-reads at
 * most the batch in flight. A last line without a newline is held until it is complete. At the end of the file
 * the path is looked at again ({@code stat}, never a WatchService, which misses events on overlay and hostPath
 * mounts): a different file behind the path (rename-and-create rotation, a file moved over it, a new container
 * log) means "read the open file to its end, then switch"; a file smaller than what was read was truncated
 * (copy-truncate): its copy, found among its {@link RotatedNames} by its {@link Fingerprint}, is read on from
 * where the reader was to its end, then the file again from 0. A follower told to {@link #finish()} reads what
 * its path names to the end, then forgets its position. What went away unread is counted ({@code lost}) and
 * logged once with what to do.
 */
public final class FileFollower {

    private static final Logger LOG = LoggerFactory.getLogger(FileFollower.class);
    private static final int READ_BUFFER = 64 * 1024;
    private static final byte[] NOTHING = new byte[0];

    private final String source;
    private final String key;
    private final FollowedPath target;
    private final Function<Path, LineDecoder> decoders;
    private final BatchSink sink;
    private final PositionStore positions;
    private final FollowSettings settings;
    private final LogSourceMetrics metrics;
    private final boolean startAtEnd;
    private final Map<String, String> labels;

    // one read buffer per worker thread, not per file: a node has hundreds of container logs, mostly idle
    private static final ThreadLocal<ByteBuffer> BUFFERS = ThreadLocal.withInitial(() -> ByteBuffer.allocate(READ_BUFFER));
    private final ReadClock clock = new ReadClock();
    private byte[] partial = new byte[256];
    private int partialLen;
    private boolean partialCut; // the held line passed maxLineBytes: the rest of it is skipped

    private LogFile file;
    private Path openPath;
    private String openKey;
    private Fingerprint.Builder print; // the open file's first bytes, taken in as they are read
    private LineDecoder decoder;
    private long readPos;   // next byte to read
    private long lineStart; // first byte of the line being assembled; every line before it was handed on
    private long committed; // the stored position in the open file
    private boolean started;
    private boolean statProblem;
    private boolean draining; // the open file is complete (rotated away, a copy): read it to its end, then switch
    private boolean damageCounted;
    private boolean counted;
    private int failures;
    private String errorReason;
    private volatile boolean finishing;
    private volatile boolean done;

    private volatile String statusFile;
    private volatile long statusCommitted;
    private volatile long statusSize;
    private volatile long linesRead;
    private volatile String state = "starting";
    private volatile String lastError;
    private volatile Instant lastErrorAt;

    /**
     * @param source     the endpoint, for log messages ("tail:audit")
     * @param key        the follower's identity in the positions store
     * @param startAtEnd with no stored position, start at the end of a file that exists now (a file that appears
     *                   later is new, and is always read from its beginning)
     * @param labels     stored with every position, so that the source can rebuild this follower after it stopped
     *                   listing it (pod-logs: the target's labels); null for none
     */
    public FileFollower(String source, String key, FollowedPath target, Function<Path, LineDecoder> decoders,
                        BatchSink sink, PositionStore positions, FollowSettings settings, LogSourceMetrics metrics,
                        boolean startAtEnd, Map<String, String> labels) {
        this.source = source;
        this.key = key;
        this.target = target;
        this.decoders = decoders;
        this.sink = sink;
        this.positions = positions;
        this.settings = settings;
        this.metrics = metrics;
        this.startAtEnd = startAtEnd;
        this.labels = labels;
    }

    public String key() {
        return key;
    }

    /**
     * Read what is left (the open file, then a newer file its path names, such as a restarted container's log),
     * hand it on, then forget the position: the file or pod is gone for good.
     */
    public void finish() {
        finishing = true;
    }

    /** Takes back a {@link #finish()} that has not completed yet (the pod came back); false when it is too late. */
    public synchronized boolean resume() {
        if (done) {
            return false;
        }
        finishing = false;
        return true;
    }

    public boolean isDone() {
        return done;
    }

    /**
     * Reads and hands on at most one batch. Never throws: problems are counted, logged once, and retried.
     *
     * @return milliseconds until the next call: 0 when more is waiting, -1 when finished
     */
    public synchronized long poll() {
        if (done) {
            return -1;
        }
        try {
            return step();
        } catch (SkipPoll e) {
            return retryDelay();
        } catch (IOException e) {
            problem("unreadable", "cannot read " + (openPath != null ? openPath : key) + " (" + describe(e)
                    + "); it is opened again from the stored position after a pause");
            closeFile();
            started = false; // resume from the stored position, wherever that file is now
            draining = false;
            return retryDelay();
        } catch (RuntimeException e) {
            problem("internal", "unexpected error following " + key + ": " + e);
            LOG.debug("{}: unexpected error following {}", source, key, e);
            return retryDelay();
        }
    }

    private long step() throws IOException {
        // taken before reading: an end of file seen after the request is the end of everything written before it
        boolean finishRequested = finishing;
        if (!started && !start()) {
            return finishIfIdle(finishRequested);
        }
        if (file == null && (finishRequested && !target.finishesNewer() || !openCurrent())) {
            return finishIfIdle(finishRequested); // a finishing fixed path opens no new file
        }
        List<LogEntry> out = new ArrayList<>();
        boolean atEof = read(out);
        if (!out.isEmpty() && !deliver(out)) {
            return retryDelay();
        }
        commitSafe();
        return atEof ? atEnd(finishRequested) : 0;
    }

    private long finishIfIdle(boolean finishRequested) {
        if (finishRequested) {
            complete();
            return -1;
        }
        return settings.pollMillis();
    }

    /**
     * Applies the stored position, or the start option when there is none. The stored content is looked for
     * where it may be now (see {@link FileLocator}); when it is nowhere, that is counted as lost.
     * False while there is no file to read.
     */
    private boolean start() throws IOException {
        Path current = target.current();
        statProblem = false;
        BasicFileAttributes cur = current == null ? null : statFile(current);
        if (statProblem) {
            return false; // a directory or unreadable: reported by statFile, looked at again next poll
        }
        Position stored = positions.get(key);
        started = true;
        if (stored != null && stored.file() != null) {
            Path storedFile = Path.of(stored.file());
            FileLocator.Found found = FileLocator.find(storedFile, stored.fileKey(), Fingerprint.decode(stored.fingerprint()),
                    stored.offset(), settings.rotatedNames(), current);
            // the stored inode holds other content now: truncated (or deleted and the inode reused)
            boolean truncated = (found == null || !found.path().equals(storedFile)) && FileLocator.hasKey(storedFile, stored.fileKey());
            if (truncated) {
                metrics.truncation();
            }
            if (found != null) {
                open(found.path(), stored.offset());
                // rotated while we were stopped: finish the old file first, then the current one from its start
                draining = found.copy() || cur != null && (!found.path().equals(current) || !Objects.equals(openKey, fileKey(cur)));
                if (found.copy()) {
                    LOG.info("{}: {} was rotated while the agent was away; its rest is read from {}, from byte {}",
                            source, storedFile, found.path(), stored.offset());
                }
                return true;
            }
            lost(truncated ? "truncated" : "deleted", storedFile + " (stored position " + stored.offset() + ") "
                    + (truncated ? "holds other content now (truncated, or deleted and its inode reused)" : "is gone")
                    + ", and no rotated copy of it (" + settings.rotatedNames() + " in " + storedFile.getParent()
                    + ") starts with the bytes read from it: what was written to it after that position is lost. "
                    + "Keep rotated logs until the agent has read them (more rotations kept, delaycompress, shorter "
                    + "agent outages), and let rotatedNames match the names rotation gives them");
            // a finishing fixed path has nothing more of its own; a container's newer log is still its own
            if ((!finishing || target.finishesNewer()) && openCurrent()) {
                return true;
            }
            positions.remove(key); // counted once: the next start does not look for it again
            return false;
        }
        if (cur == null) {
            state = "waiting for the file to appear";
            return false;
        }
        open(current, startAtEnd ? cur.size() : 0);
        return true;
    }

    private boolean openCurrent() throws IOException {
        Path current = target.current();
        if (current == null || statFile(current) == null) {
            if (errorReason == null) {
                state = "waiting for the file to appear";
            }
            return false;
        }
        open(current, 0);
        return true;
    }

    /** Opens {@code path} at {@code offset}: a new file, or the stored one (its first bytes read for its fingerprint). */
    private void open(Path path, long offset) throws IOException {
        LogFile f = openFile(path);
        Fingerprint.Builder fp = new Fingerprint.Builder();
        try {
            fp.readFrom(f, offset);
        } catch (IOException e) {
            f.close();
            throw e;
        }
        closeFile();
        file = f;
        print = fp;
        openPath = path;
        openKey = fileKey(Files.readAttributes(path, BasicFileAttributes.class));
        decoder = decoders.apply(path);
        draining = false;
        damageCounted = false;
        readPos = offset;
        lineStart = offset;
        partialLen = 0;
        partialCut = false;
        statusFile = path.toString();
        statusSize = Math.max(offset, f.size());
        storePosition(offset); // also a start at the end, so a restart does not go back to the beginning
        if (!counted) {
            counted = true;
            metrics.followed(1);
        }
        clearProblem();
        state = "following";
    }

    private LogFile openFile(Path path) throws IOException {
        try {
            return LogFile.open(path);
        } catch (AccessDeniedException e) {
            problem("unreadable", "no permission to read " + path + "; give the agent read access (runAsUser/group, hostPath mode)");
            throw new SkipPoll();
        }
    }

    /** Reads lines into {@code out} until the batch is full (false) or the file ends (true). */
    private boolean read(List<LogEntry> out) throws IOException {
        int lines = 0;
        long bytes = 0;
        ByteBuffer buffer = BUFFERS.get();
        try {
            while (true) {
                buffer.clear();
                int n = file.read(buffer, readPos);
                if (n <= 0) {
                    return true;
                }
                byte[] a = buffer.array();
                print.add(a, 0, n, readPos);
                int start = 0;
                for (int i = Utf8.indexOfNewline(a, 0, n); i >= 0; i = Utf8.indexOfNewline(a, i + 1, n)) {
                    long end = readPos + i + 1;
                    emitLine(a, start, i - start, out);
                    lines++;
                    bytes += end - lineStart;
                    lineStart = end;
                    start = i + 1;
                    if (lines >= settings.batchLines() || bytes >= settings.batchBytes()) {
                        readPos = end; // the rest of the buffer is read again next time
                        statusSize = Math.max(statusSize, readPos);
                        return false;
                    }
                }
                holdPartial(a, start, n - start);
                readPos += n;
                statusSize = Math.max(statusSize, readPos);
            }
        } finally {
            if (lines > 0) {
                metrics.read(lines, bytes);
                linesRead += lines;
            }
        }
    }

    private void emitLine(byte[] a, int off, int len, List<LogEntry> out) {
        byte[] src = a;
        int so = off;
        int sl = len;
        if (partialLen > 0 || partialCut) {
            holdPartial(a, off, len);
            src = partial;
            so = 0;
            sl = partialLen;
        }
        boolean cut = partialCut;
        if (sl > 0 && src[so + sl - 1] == '\r') {
            sl--;
        }
        if (sl > settings.maxLineBytes()) {
            sl = Utf8.cutPoint(src, so, sl, settings.maxLineBytes());
            cut = true;
        }
        if (cut) {
            metrics.lineTruncated();
        }
        if (!Utf8.isValid(src, so, sl)) {
            metrics.invalidUtf8();
        }
        long readNanos = clock.next();
        decoder.decode(src, so, sl, lineStart, readNanos, out); // before the partial buffer is reused
        partialLen = 0;
        partialCut = false;
        if (partial.length > READ_BUFFER) {
            partial = new byte[256]; // a rare long line does not keep its megabyte
        }
    }

    /** Keeps the start of an unfinished line, at most maxLineBytes + 1 bytes (the +1 tells a cut line from a full one). */
    private void holdPartial(byte[] a, int off, int len) {
        int room = settings.maxLineBytes() + 1 - partialLen;
        int take = Math.min(len, Math.max(room, 0));
        if (take < len) {
            partialCut = true;
        }
        if (take > 0) {
            if (partialLen + take > partial.length) {
                partial = Arrays.copyOf(partial, Math.max(partialLen + take, Math.min(partial.length * 2, settings.maxLineBytes() + 1)));
            }
            System.arraycopy(a, off, partial, partialLen, take);
            partialLen += take;
        }
    }

    private boolean deliver(List<LogEntry> out) {
        try {
            sink.deliver(out);
            failures = 0;
            if ("route_failed".equals(errorReason)) {
                clearProblem();
            }
            return true;
        } catch (Exception e) {
            problem("route_failed", "the route failed a batch of " + out.size() + " lines from " + openPath + " (" + e
                    + "); the position stays, and the batch is read again after a pause");
            rollback();
            return false;
        }
    }

    private void rollback() {
        readPos = committed;
        lineStart = committed;
        partialLen = 0;
        partialCut = false;
        decoder.reset();
        failures++;
    }

    private void commitSafe() {
        long held = decoder.heldSince();
        long safe = held >= 0 ? Math.min(held, lineStart) : lineStart;
        if (safe != committed) {
            storePosition(safe);
        }
    }

    private void storePosition(long offset) {
        committed = offset;
        statusCommitted = offset;
        positions.commit(Position.ofFile(key, openPath.toString(), openKey, print.value().encode(), offset, labels));
    }

    /** At the end of the open file: wait, switch to a newer file, go on in a truncated file's copy, or finish. */
    private long atEnd(boolean finishRequested) throws IOException {
        if (!draining) {
            Path current = target.current();
            BasicFileAttributes attrs = current == null ? null : statFile(current);
            boolean other = attrs != null && (!current.equals(openPath) || !Objects.equals(fileKey(attrs), openKey));
            if (other && (!finishRequested || target.finishesNewer())) {
                metrics.rotation();
                LOG.debug("{}: {} now names another file; reading {} to its end first", source, current, openPath);
                draining = true;
                return 0; // one more read: what a writer added before it reopened
            }
            if (attrs != null && !other) {
                statusSize = attrs.size();
                if (attrs.size() < readPos) {
                    return truncated(attrs.size());
                }
                if (errorReason != null && !"route_failed".equals(errorReason)) {
                    clearProblem();
                }
                state = "following";
            } else if (current == null) {
                state = "file missing; the open file is still read";
            }
            if (!finishRequested) {
                return settings.pollMillis(); // missing, or a problem statFile reported: the open file is still read
            }
        }
        countDamage();
        // the open file is complete: a last line without a newline is a line too
        if (!flushHeld()) {
            return retryDelay();
        }
        if (!draining || finishRequested && !target.finishesNewer()) {
            complete();
            return -1;
        }
        commitSafe();
        Path old = openPath;
        if (openCurrent()) {
            LOG.debug("{}: {} done, now following {}", source, old, openPath);
        } else {
            closeFile();
            draining = false;
        }
        return 0;
    }

    /** Hands on a held last line and whatever the decoder holds; false when the route failed them. */
    private boolean flushHeld() {
        List<LogEntry> out = new ArrayList<>();
        if (partialLen > 0 || partialCut) {
            emitLine(NOTHING, 0, 0, out);
            lineStart = readPos;
        }
        decoder.flush(out);
        return out.isEmpty() || deliver(out);
    }

    /** A compressed copy that ends early: what follows the damage is lost. */
    private void countDamage() {
        String damage = file.damage();
        if (damage != null && !damageCounted) {
            damageCounted = true;
            lost("damaged", openPath + " is damaged after byte " + readPos + " of its content (" + damage
                    + "): the rest of it is lost; the reader goes on with the next file");
        }
    }

    /**
     * The file shrank under us: copy-truncate (or rewritten in place). Its copy holds the same bytes up to the
     * truncation, so the reader goes on in the copy where it was, line halves and all, then reads the file from 0.
     * Without a copy, what was not read yet is lost.
     */
    private long truncated(long size) throws IOException {
        Path copy = FileLocator.findCopy(openPath, print.value(), settings.rotatedNames());
        if (copy != null) {
            metrics.truncation();
            LOG.info("{}: {} shrank from {} to {} bytes (copy-truncate); reading on in its copy {}, then it from the start",
                    source, openPath, readPos, size, copy);
            LogFile f = openFile(copy);
            closeFile();
            file = f;
            openPath = copy;
            openKey = fileKey(Files.readAttributes(copy, BasicFileAttributes.class));
            statusFile = copy.toString();
            draining = true;
            damageCounted = false;
            storePosition(committed); // a restart now resumes in the copy: the file no longer has these bytes
            return 0;
        }
        List<LogEntry> out = new ArrayList<>();
        if (partialLen > 0 || partialCut) {
            emitLine(NOTHING, 0, 0, out);
        }
        decoder.flush(out);
        if (!out.isEmpty() && !deliver(out)) {
            return retryDelay();
        }
        metrics.truncation();
        lost("truncated", openPath + " shrank from " + readPos + " to " + size + " bytes, and no rotated copy of it ("
                + settings.rotatedNames() + " in " + openPath.getParent() + ") starts with the bytes read from it: what "
                + "was written after byte " + readPos + " before the truncation is lost, if anything was. With "
                + "logrotate's copytruncate, let rotatedNames match the copy's name; a file rewritten in place loses "
                + "nothing more than this");
        readPos = 0;
        lineStart = 0;
        partialLen = 0;
        partialCut = false;
        decoder.reset();
        print = new Fingerprint.Builder(); // new content
        storePosition(0);
        return 0;
    }

    private void lost(String reason, String message) {
        metrics.lost(reason);
        LOG.warn("{}: {}", source, message);
    }

    /** The file's attributes, or null when it is missing or not a regular file (reported once). */
    private BasicFileAttributes statFile(Path p) throws IOException {
        BasicFileAttributes a;
        statProblem = false;
        try {
            a = Files.readAttributes(p, BasicFileAttributes.class);
        } catch (NoSuchFileException e) {
            return null;
        } catch (FileSystemException e) {
            statProblem = true;
            problem("unreadable", "cannot look at " + p + " (" + describe(e) + "): check the path and its symbolic links");
            return null;
        }
        if (!a.isRegularFile()) {
            statProblem = true;
            problem("not_a_file", p + " is " + (a.isDirectory() ? "a directory" : "not a regular file")
                    + ", not a log file; point the path at files (e.g. " + p + "/*.log); it is looked at again every poll");
            return null;
        }
        return a;
    }

    private void complete() {
        closeFile();
        positions.remove(key);
        done = true;
        state = "finished";
        if (counted) {
            counted = false;
            metrics.followed(-1);
        }
    }

    /** Stops reading; the position stays stored. */
    public synchronized void close() {
        closeFile();
        if (counted) {
            counted = false;
            metrics.followed(-1);
        }
        state = "stopped";
    }

    private void closeFile() {
        if (file != null) {
            try {
                file.close();
            } catch (IOException ignored) {
                // closing a read-only file loses nothing
            }
            file = null;
        }
    }

    private long retryDelay() {
        long d = settings.retryMillis() << Math.min(Math.max(failures - 1, 0), 5);
        return Math.min(Math.max(d, settings.pollMillis()), 30_000);
    }

    private void problem(String reason, String message) {
        if (!reason.equals(errorReason)) {
            LOG.warn("{}: {}", source, message);
            metrics.error(reason);
            errorReason = reason;
        }
        lastErrorAt = Instant.now();
        lastError = message;
        state = "error: " + reason;
    }

    private void clearProblem() {
        if (errorReason != null) {
            LOG.info("{}: {} is read again", source, openPath != null ? openPath : key);
            errorReason = null;
            lastError = null;
            lastErrorAt = null;
        }
    }

    static String fileKey(BasicFileAttributes a) {
        Object k = a.fileKey();
        return k == null ? null : k.toString();
    }

    private static String describe(IOException e) {
        if (e instanceof FileSystemException f && f.getReason() != null) {
            return f.getReason();
        }
        return e.toString();
    }

    public FollowerStatus status() {
        long size = statusSize;
        long pos = statusCommitted;
        return new FollowerStatus(key, statusFile, pos, size, Math.max(0, size - pos), linesRead, state, lastError, lastErrorAt);
    }

    /** Thrown where a problem was reported already and the poll just ends. */
    private static final class SkipPoll extends RuntimeException {
        SkipPoll() {
            super(null, null, false, false);
        }
    }
}

package io.caravan.logs;

import io.caravan.model.LogEntry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
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
 * log) means "read the open file to its end, then switch"; a file smaller than what was read means it was
 * truncated (copy-truncate), and it is read again from 0.
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

    // one read buffer per worker thread, not per file: a node has hundreds of container logs, mostly idle
    private static final ThreadLocal<ByteBuffer> BUFFERS = ThreadLocal.withInitial(() -> ByteBuffer.allocate(READ_BUFFER));
    private final ReadClock clock = new ReadClock();
    private byte[] partial = new byte[256];
    private int partialLen;
    private boolean partialCut; // the held line passed maxLineBytes: the rest of it is skipped

    private FileChannel channel;
    private Path openPath;
    private String openKey;
    private LineDecoder decoder;
    private long readPos;   // next byte to read
    private long lineStart; // first byte of the line being assembled; every line before it was handed on
    private long committed; // the stored position in the open file
    private boolean started;
    private boolean statProblem;
    private boolean draining;
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

    /**
     * @param source     the endpoint, for log messages ("tail:audit")
     * @param key        the follower's identity in the positions store
     * @param startAtEnd with no stored position, start at the end of a file that exists now (a file that appears
     *                   later is new, and is always read from its beginning)
     */
    public FileFollower(String source, String key, FollowedPath target, Function<Path, LineDecoder> decoders,
                        BatchSink sink, PositionStore positions, FollowSettings settings, LogSourceMetrics metrics,
                        boolean startAtEnd) {
        this.source = source;
        this.key = key;
        this.target = target;
        this.decoders = decoders;
        this.sink = sink;
        this.positions = positions;
        this.settings = settings;
        this.metrics = metrics;
        this.startAtEnd = startAtEnd;
    }

    public String key() {
        return key;
    }

    /** Read what is left, hand it on, then forget the position (the file or pod is gone for good). */
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
            closeChannel();
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
        if (channel == null && !openCurrent()) {
            return finishIfIdle(finishRequested);
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

    /** Applies the stored position, or the start option when there is none. False while there is no file to read. */
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
            Path found = locate(storedFile, stored.fileKey());
            if (found != null) {
                long size = Files.size(found);
                long offset = stored.offset();
                if (offset > size) {
                    metrics.truncation();
                    LOG.info("{}: {} is smaller ({} bytes) than its stored position {}: it was truncated while stopped; "
                            + "reading it from the start", source, found, size, offset);
                    offset = 0;
                }
                open(found, offset);
                // rotated while we were stopped: finish the old file first, then the current one from its start
                draining = cur != null && (!found.equals(current) || !Objects.equals(openKey, fileKey(cur)));
                return true;
            }
            LOG.info("{}: {} (stored position {}) is gone; {} is read from its beginning", source, storedFile,
                    stored.offset(), current != null ? current : key);
            return openCurrent();
        }
        if (cur == null) {
            state = "waiting for the file to appear";
            return false;
        }
        open(current, startAtEnd ? cur.size() : 0);
        return true;
    }

    /** The stored file, or the file with its identity in the same directory (it was renamed by a rotation). */
    private static Path locate(Path storedFile, String storedKey) throws IOException {
        try {
            BasicFileAttributes a = Files.readAttributes(storedFile, BasicFileAttributes.class);
            if (a.isRegularFile() && (storedKey == null || storedKey.equals(fileKey(a)))) {
                return storedFile;
            }
        } catch (NoSuchFileException e) {
            // look for it under another name
        }
        Path dir = storedFile.getParent();
        if (storedKey == null || dir == null || !Files.isDirectory(dir)) {
            return null;
        }
        try (DirectoryStream<Path> siblings = Files.newDirectoryStream(dir)) {
            for (Path p : siblings) {
                try {
                    BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
                    if (a.isRegularFile() && storedKey.equals(fileKey(a))) {
                        return p;
                    }
                } catch (IOException ignored) {
                    // vanished or unreadable: not ours
                }
            }
        }
        return null;
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

    private void open(Path path, long offset) throws IOException {
        FileChannel ch;
        try {
            ch = FileChannel.open(path, StandardOpenOption.READ);
        } catch (AccessDeniedException e) {
            problem("unreadable", "no permission to read " + path + "; give the agent read access (runAsUser/group, hostPath mode)");
            throw new SkipPoll();
        }
        closeChannel();
        channel = ch;
        openPath = path;
        openKey = fileKey(Files.readAttributes(path, BasicFileAttributes.class));
        decoder = decoders.apply(path);
        readPos = offset;
        lineStart = offset;
        partialLen = 0;
        partialCut = false;
        statusFile = path.toString();
        statusSize = Math.max(offset, ch.size());
        storePosition(offset); // also a start at the end, so a restart does not go back to the beginning
        if (!counted) {
            counted = true;
            metrics.followed(1);
        }
        clearProblem();
        state = "following";
    }

    /** Reads lines into {@code out} until the batch is full (false) or the file ends (true). */
    private boolean read(List<LogEntry> out) throws IOException {
        int lines = 0;
        long bytes = 0;
        ByteBuffer buffer = BUFFERS.get();
        try {
            while (true) {
                buffer.clear();
                int n = channel.read(buffer, readPos);
                if (n <= 0) {
                    return true;
                }
                byte[] a = buffer.array();
                int start = 0;
                for (int i = 0; i < n; i++) {
                    if (a[i] != '\n') {
                        continue;
                    }
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
        String line = Utf8.decode(src, so, sl);
        partialLen = 0;
        partialCut = false;
        if (partial.length > READ_BUFFER) {
            partial = new byte[256]; // a rare long line does not keep its megabyte
        }
        decoder.decode(line, lineStart, clock.next(), out);
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
        positions.commit(Position.ofFile(key, openPath.toString(), openKey, offset));
    }

    /** At the end of the open file: wait, switch to a new file, or start over after a truncation. */
    private long atEnd(boolean finishRequested) throws IOException {
        if (draining || finishRequested) {
            // the open file is complete: a last line without a newline is a line too
            List<LogEntry> out = new ArrayList<>();
            if (partialLen > 0 || partialCut) {
                emitLine(NOTHING, 0, 0, out);
                lineStart = readPos;
            }
            decoder.flush(out);
            if (!out.isEmpty() && !deliver(out)) {
                return retryDelay();
            }
            if (finishRequested) {
                complete();
                return -1;
            }
            commitSafe();
            draining = false;
            Path old = openPath;
            if (openCurrent()) {
                LOG.debug("{}: {} done, now following {}", source, old, openPath);
            } else {
                closeChannel();
            }
            return 0;
        }
        Path current = target.current();
        if (current == null) {
            state = "file missing; the open file is still read";
            return settings.pollMillis();
        }
        BasicFileAttributes attrs = statFile(current);
        if (attrs == null) {
            return settings.pollMillis(); // missing, or a problem statFile reported; keep reading the open file
        }
        if (!current.equals(openPath) || !Objects.equals(fileKey(attrs), openKey)) {
            metrics.rotation();
            LOG.debug("{}: {} now names another file; reading {} to its end first", source, current, openPath);
            draining = true;
            return 0;
        }
        statusSize = attrs.size();
        if (attrs.size() < readPos) {
            return truncated(attrs.size());
        }
        if (errorReason != null && !"route_failed".equals(errorReason)) {
            clearProblem();
        }
        state = "following";
        return settings.pollMillis();
    }

    /**
     * The file shrank under us: copy-truncate, or rewritten in place. What was written between the copy and the
     * truncate and not read yet is gone (inherent to copy-truncate; Promtail and Alloy lose it too).
     */
    private long truncated(long size) {
        List<LogEntry> out = new ArrayList<>();
        if (partialLen > 0 || partialCut) {
            emitLine(NOTHING, 0, 0, out);
        }
        decoder.flush(out);
        if (!out.isEmpty() && !deliver(out)) {
            return retryDelay();
        }
        metrics.truncation();
        LOG.info("{}: {} shrank from {} to {} bytes (copy-truncate, or rewritten in place); reading it again from the start",
                source, openPath, readPos, size);
        readPos = 0;
        lineStart = 0;
        partialLen = 0;
        partialCut = false;
        decoder.reset();
        storePosition(0);
        return 0;
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
        closeChannel();
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
        closeChannel();
        if (counted) {
            counted = false;
            metrics.followed(-1);
        }
        state = "stopped";
    }

    private void closeChannel() {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // closing a read-only channel loses nothing
            }
            channel = null;
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
        lastError = message;
        state = "error: " + reason;
    }

    private void clearProblem() {
        if (errorReason != null) {
            LOG.info("{}: {} is read again", source, openPath != null ? openPath : key);
            errorReason = null;
            lastError = null;
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
        return new FollowerStatus(key, statusFile, pos, size, Math.max(0, size - pos), linesRead, state, lastError);
    }

    /** Thrown where a problem was reported already and the poll just ends. */
    private static final class SkipPoll extends RuntimeException {
        SkipPoll() {
            super(null, null, false, false);
        }
    }
}

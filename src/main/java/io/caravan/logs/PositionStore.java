package io.caravan.logs;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.caravan.wal.DirectorySync;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The positions of one source, in one file of JSON lines (one {@link Position} per line, so a damaged line
 * costs only its own entry). Every commit replaces the file atomically (a temp file renamed over it), so a crash of
 * the agent leaves the last commit, whole. The write is made durable (fsync of the file and of the directory) at
 * most once a second, as the sinks' queues are ({@code syncInterval}): an fsync of file and directory per batch
 * was a large part of the reading thread's kernel time. After a power loss the file may hold a position up to a second
 * older, and those lines are read again; the queues the lines went to sync once a second too, so a power loss can
 * cost their last second either way.
 * Commits from several followers that arrive while a write is in progress share the next write (group commit).
 * Each entry is kept serialized, so a write costs one serialization (the changed entry), not one per entry.
 */
public final class PositionStore {

    private static final Logger LOG = LoggerFactory.getLogger(PositionStore.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** How often a write is also made durable: the sinks' default syncInterval. */
    private static final long SYNC_INTERVAL_NANOS = 1_000_000_000L;

    private final Path file;
    private final LogSourceMetrics metrics;
    private final Map<String, Position> entries = new TreeMap<>();
    private final Map<String, byte[]> lines = new TreeMap<>();
    private long version;
    private final Object writeLock = new Object();
    private long writtenVersion;
    private boolean dirCreated; // under writeLock; false again after a failed write, in case the directory went
    private long lastSyncNanos = System.nanoTime() - SYNC_INTERVAL_NANOS; // the first write is made durable
    private volatile String lastWriteError;
    private volatile Instant lastWriteErrorAt;

    private PositionStore(Path file, LogSourceMetrics metrics) {
        this.file = file;
        this.metrics = metrics;
    }

    /** Loads what is readable; damaged entries are counted, logged once, and left out (those sources start afresh). */
    public static PositionStore open(Path file, LogSourceMetrics metrics) {
        PositionStore store = new PositionStore(file, metrics);
        store.load();
        return store;
    }

    /** {@code <dataDir>/positions/<scheme>-<name>.jsonl}: one file per source; the name is made safe for a file name. */
    public static Path fileFor(Path dataDir, String scheme, String name) {
        return dataDir.resolve("positions").resolve(scheme + "-" + name.replaceAll("[^A-Za-z0-9._-]", "_") + ".jsonl");
    }

    public Path file() {
        return file;
    }

    public synchronized Position get(String key) {
        return entries.get(key);
    }

    public synchronized Map<String, Position> all() {
        return new TreeMap<>(entries);
    }

    /** Stores the position and returns once it is on disk (or the write failed, which is logged and counted). */
    public boolean commit(Position p) {
        byte[] line;
        try {
            line = serialize(p);
        } catch (IOException e) {
            throw new IllegalStateException("cannot serialize " + p, e); // a record of strings and numbers: never
        }
        long v;
        synchronized (this) {
            entries.put(p.key(), p);
            lines.put(p.key(), line);
            v = ++version;
        }
        return flush(v);
    }

    /**
     * The position as one JSON line, written field by field with Jackson's streaming generator: a commit follows
     * every batch, and data binding of the record was ~13% of the pod-logs run's reading thread (JFR). Same fields,
     * order and null handling as the record's binding, which reads it back.
     */
    static byte[] serialize(Position p) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(160 + (p.labels() == null ? 0 : 48 * p.labels().size()));
        try (JsonGenerator g = JSON.getFactory().createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("key", p.key());
            writeIfSet(g, "file", p.file());
            writeIfSet(g, "fileKey", p.fileKey());
            writeIfSet(g, "fingerprint", p.fingerprint());
            g.writeNumberField("offset", p.offset());
            if (p.timestampNanos() != null) {
                g.writeNumberField("timestampNanos", p.timestampNanos());
            }
            writeIfSet(g, "seen", p.seen());
            if (p.labels() != null) {
                g.writeObjectFieldStart("labels");
                for (Map.Entry<String, String> l : p.labels().entrySet()) {
                    g.writeStringField(l.getKey(), l.getValue());
                }
                g.writeEndObject();
            }
            g.writeEndObject();
        }
        return out.toByteArray();
    }

    private static void writeIfSet(JsonGenerator g, String name, String value) throws IOException {
        if (value != null) {
            g.writeStringField(name, value);
        }
    }

    /** Forgets a source (its file or pod is gone for good). */
    public boolean remove(String key) {
        long v;
        synchronized (this) {
            if (entries.remove(key) == null) {
                return true;
            }
            lines.remove(key);
            v = ++version;
        }
        return flush(v);
    }

    public String lastWriteError() {
        return lastWriteError;
    }

    /** When the last write failed; null while writes succeed. */
    public Instant lastWriteErrorAt() {
        return lastWriteErrorAt;
    }

    private boolean flush(long wanted) {
        synchronized (writeLock) {
            if (writtenVersion >= wanted) {
                return lastWriteError == null; // a write that started after our change already carried it
            }
            List<byte[]> snapshot;
            long v;
            synchronized (this) {
                snapshot = new ArrayList<>(lines.values());
                v = version;
            }
            try {
                write(snapshot);
                writtenVersion = v;
                if (lastWriteError != null) {
                    LOG.info("positions file {} is written again", file);
                }
                lastWriteError = null;
                lastWriteErrorAt = null;
                return true;
            } catch (IOException | RuntimeException e) {
                if (lastWriteError == null) {
                    LOG.error("cannot write positions file {} ({}); reading goes on, but a restart will re-read from the "
                            + "last stored positions: check that CARAVAN_DATA_DIR is writable and not full", file, e.toString());
                }
                lastWriteError = e.toString();
                lastWriteErrorAt = Instant.now();
                dirCreated = false;
                metrics.error("positions_write");
                return false;
            }
        }
    }

    private void write(List<byte[]> snapshot) throws IOException {
        int size = 0;
        for (byte[] line : snapshot) {
            size += line.length + 1;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(size);
        for (byte[] line : snapshot) {
            out.write(line);
            out.write('\n');
        }
        Path dir = file.toAbsolutePath().getParent();
        if (!dirCreated) {
            Files.createDirectories(dir); // once: on an existing directory it throws and catches an exception per call
            dirCreated = true;
        }
        Path tmp = dir.resolve(file.getFileName() + ".tmp");
        long now = System.nanoTime();
        boolean durable = now - lastSyncNanos >= SYNC_INTERVAL_NANOS; // a lone commit is; in a burst, one a second
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer buf = ByteBuffer.wrap(out.toByteArray());
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
            if (durable) {
                ch.force(true);
            }
        }
        try {
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
        }
        if (durable) {
            DirectorySync.sync(dir); // the rename itself is durable only once the directory is
            lastSyncNanos = now;
        }
    }

    private void load() {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return;
        } catch (IOException e) {
            LOG.error("cannot read positions file {} ({}); every source starts per its 'start' option", file, e.toString());
            metrics.error("positions_corrupt");
            return;
        }
        String text = new String(bytes, StandardCharsets.UTF_8);
        List<Integer> bad = new ArrayList<>();
        String[] rows = text.split("\n", -1);
        for (int i = 0; i < rows.length; i++) {
            String line = rows[i].trim();
            if (line.isEmpty()) {
                continue;
            }
            try {
                if (line.indexOf('\0') >= 0) {
                    throw new IOException("NUL bytes");
                }
                Position p = JSON.readValue(line, Position.class);
                if (p == null || !p.valid()) {
                    throw new IOException("incomplete entry");
                }
                entries.put(p.key(), p);
                lines.put(p.key(), serialize(p));
            } catch (IOException | RuntimeException e) {
                bad.add(i + 1);
            }
        }
        if (!bad.isEmpty()) {
            metrics.error("positions_corrupt");
            LOG.error("positions file {}: {} unreadable entr{} (line{} {}) left out; the sources they belonged to start per "
                            + "their 'start' option, the others resume; the file is rewritten on the next commit",
                    file, bad.size(), bad.size() == 1 ? "y" : "ies", bad.size() == 1 ? "" : "s",
                    bad.size() > 10 ? bad.subList(0, 10) + "..." : bad);
        }
    }
}

package io.caravan.bench.soak;

import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.IntSupplier;

/**
 * The tail load: {@code rate} lines a second spread round-robin over {@code files} files {@code app-N.log} in CRI
 * format ({@code <RFC3339Nano> stdout F seq=<id> f=<file> <padding>}), each line with a unique sequence id 0, 1, 2,
 * ... Lines are written whole, in 10 ms ticks, with O_APPEND. In the rotation storm, every 1-2 s one file (in
 * turn) is rotated the ways {@link Logrotate} does, in a cycle of four: rename, rename + gzip, rename, copytruncate.
 * The harness also rotates one file on demand while the agent is down. What a rotation keeps stays on disk.
 *
 * <p>Every id goes into a {@link LineBook} with its phase, time and file generation; a generation's fate is set at
 * its rotation (renamed, renamed + gzipped, copytruncated), so a lost line can be put down to the event that lost it.
 */
final class LogWriter implements Runnable {

    enum Rotation {
        RENAME("rename"), RENAME_GZIP("rename + gzip"), COPYTRUNCATE("copytruncate");

        final String label;

        Rotation(String label) {
            this.label = label;
        }
    }

    private static final Rotation[] STORM_CYCLE = {Rotation.RENAME, Rotation.RENAME_GZIP, Rotation.RENAME, Rotation.COPYTRUNCATE};
    /** logrotate compresses right after the rename (no delaycompress); the pause leaves a reader a moment, as in life. */
    private static final long GZIP_AFTER_MILLIS = 500;
    private static final String PADDING = "x".repeat(48);

    private record PendingGzip(Path file, long due) {
    }

    private final Path dir;
    private final int files;
    private final int rate;
    private final IntSupplier phase;
    private final LineBook book;
    private final int[] currentGeneration;
    private final FileOutputStream[] out;
    private final List<PendingGzip> pendingGzip = new ArrayList<>();
    private final long[] rotationsByKind = new long[Rotation.values().length];
    private final Random random = new Random(8);
    private volatile boolean running = true;
    private volatile boolean storm;
    private volatile long produced;
    private long rotations;
    private long stormRotations;
    private int nextFile;
    private volatile String failure;

    LogWriter(Path dir, int files, int rate, int capacity, IntSupplier phase) throws IOException {
        this.dir = dir;
        this.files = files;
        this.rate = rate;
        this.phase = phase;
        this.book = new LineBook(capacity);
        this.currentGeneration = new int[files];
        this.out = new FileOutputStream[files];
        Files.createDirectories(dir);
        for (int f = 0; f < files; f++) {
            out[f] = new FileOutputStream(file(f).toFile(), true);
            currentGeneration[f] = book.newGroup(Fate.LIVE);
        }
    }

    Path file(int f) {
        return dir.resolve("app-" + f + ".log");
    }

    LineBook book() {
        return book;
    }

    void storm(boolean on) {
        storm = on;
    }

    void stop() {
        running = false;
    }

    long produced() {
        return produced;
    }

    synchronized long rotations() {
        return rotations;
    }

    synchronized long rotations(Rotation kind) {
        return rotationsByKind[kind.ordinal()];
    }

    String failure() {
        return failure;
    }

    @Override
    public void run() {
        long start = System.nanoTime();
        long nextRotation = 0;
        StringBuilder[] buf = new StringBuilder[files];
        for (int f = 0; f < files; f++) {
            buf[f] = new StringBuilder(64 * 1024);
        }
        int next = 0;
        try {
            while (running) {
                long elapsedNanos = System.nanoTime() - start;
                long due = Math.min(elapsedNanos / 1_000_000L * rate / 1000L, book.capacity());
                if (due > produced) {
                    long nowMs = System.currentTimeMillis();
                    String now = Instant.ofEpochMilli(nowMs).toString();
                    byte ph = (byte) phase.getAsInt();
                    synchronized (this) {
                        for (long id = produced; id < due; id++) {
                            int f = next;
                            next = (next + 1) % files;
                            book.record(id, ph, nowMs, currentGeneration[f]);
                            buf[f].append(now).append(" stdout F seq=").append(id).append(" f=").append(f).append(' ').append(PADDING).append('\n');
                        }
                        for (int f = 0; f < files; f++) {
                            if (buf[f].length() > 0) {
                                out[f].write(buf[f].toString().getBytes(StandardCharsets.UTF_8));
                                buf[f].setLength(0);
                            }
                        }
                        book.published(due);
                        produced = due;
                    }
                }
                long nowMs = System.currentTimeMillis();
                if (storm && nowMs >= nextRotation) {
                    if (nextRotation != 0) {
                        rotate(STORM_CYCLE[(int) (stormRotations++ % STORM_CYCLE.length)]);
                    }
                    nextRotation = nowMs + 1000 + random.nextInt(1000);
                } else if (!storm) {
                    nextRotation = 0;
                }
                gzipDue(nowMs);
                Thread.sleep(10);
            }
        } catch (Exception e) {
            failure = e.toString();
        } finally {
            try {
                gzipDue(Long.MAX_VALUE); // what was renamed to be gzipped is gzipped
            } catch (IOException e) {
                failure = e.toString();
            }
            for (FileOutputStream o : out) {
                try {
                    o.close();
                } catch (IOException ignored) {
                    // the run is over
                }
            }
        }
    }

    /** Rotates the next file (in turn) now; a rename + gzip compresses {@value #GZIP_AFTER_MILLIS} ms later. */
    synchronized void rotate(Rotation kind) throws IOException {
        int f = nextFile;
        nextFile = (nextFile + 1) % files;
        rotations++;
        rotationsByKind[kind.ordinal()]++;
        Path p = file(f);
        long now = System.currentTimeMillis();
        switch (kind) {
            case COPYTRUNCATE -> {
                Logrotate.copytruncate(p); // the writer keeps its O_APPEND descriptor
                book.end(currentGeneration[f], Fate.COPYTRUNCATED, now);
            }
            case RENAME, RENAME_GZIP -> {
                out[f].close();
                Path rotated = Logrotate.renameDated(p, now);
                out[f] = new FileOutputStream(p.toFile(), true);
                if (kind == Rotation.RENAME_GZIP) {
                    pendingGzip.add(new PendingGzip(rotated, now + GZIP_AFTER_MILLIS));
                }
                book.end(currentGeneration[f], kind == Rotation.RENAME ? Fate.RENAMED : Fate.RENAMED_GZIPPED, now);
            }
        }
        currentGeneration[f] = book.newGroup(Fate.LIVE);
    }

    private synchronized void gzipDue(long nowMs) throws IOException {
        for (var it = pendingGzip.iterator(); it.hasNext(); ) {
            PendingGzip g = it.next();
            if (g.due() <= nowMs) {
                it.remove();
                Logrotate.gzip(g.file());
            }
        }
    }

    /** The sequence id after {@code marker} in a delivered line, or -1. */
    static long idOf(String line, String marker) {
        int i = line.indexOf(marker);
        if (i < 0) {
            return -1;
        }
        long v = 0;
        int j = i + marker.length();
        int digits = 0;
        for (; j < line.length(); j++) {
            char c = line.charAt(j);
            if (c < '0' || c > '9') {
                break;
            }
            v = v * 10 + (c - '0');
            digits++;
        }
        return digits == 0 ? -1 : v;
    }
}

package io.caravan.bench.soak;

import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.IntSupplier;

/**
 * The log load: {@code rate} lines a second spread round-robin over {@code files} files in CRI format
 * ({@code <RFC3339Nano> stdout F seq=<id> f=<file> <padding>}), each line with a unique sequence id 0, 1, 2, ...
 * Lines are written whole, in 10 ms ticks, with O_APPEND. In the rotation storm, every 1-2 s one file (in turn) is
 * rotated: three times in four by rename + create (logrotate's default, the kubelet's way), once in four by
 * copytruncate (copy to a side file, truncate to 0 while the writer keeps its descriptor). Rotated files are kept.
 *
 * <p>For every id it remembers the phase it was written in and its file generation; a generation ends "renamed",
 * "copytruncated" or stays "live", so a lost line can be put down to the event that lost it.
 */
final class LogWriter implements Runnable {

    static final byte GEN_LIVE = 0;
    static final byte GEN_RENAMED = 1;
    static final byte GEN_COPYTRUNCATED = 2;
    private static final String PADDING = "x".repeat(48);

    private final Path dir;
    private final int files;
    private final int rate;
    private final IntSupplier phase;
    private final byte[] phaseOf;
    private final int[] generationOf;
    private final List<Byte> generationEnd = new ArrayList<>();
    private final List<Long> generationEndAt = new ArrayList<>();
    private final int[] currentGeneration;
    private final FileOutputStream[] out;
    private final Random random = new Random(8);
    private volatile boolean running = true;
    private volatile boolean storm;
    private volatile long produced;
    private long rotations;
    private long renames;
    private long copytruncates;
    private volatile String failure;

    LogWriter(Path dir, int files, int rate, int capacity, IntSupplier phase) throws IOException {
        this.dir = dir;
        this.files = files;
        this.rate = rate;
        this.phase = phase;
        this.phaseOf = new byte[capacity];
        this.generationOf = new int[capacity];
        this.currentGeneration = new int[files];
        this.out = new FileOutputStream[files];
        Files.createDirectories(dir);
        for (int f = 0; f < files; f++) {
            out[f] = new FileOutputStream(file(f).toFile(), true);
            currentGeneration[f] = newGeneration();
        }
    }

    Path file(int f) {
        return dir.resolve("app-" + f + ".log");
    }

    private int newGeneration() {
        generationEnd.add(GEN_LIVE);
        generationEndAt.add(0L);
        return generationEnd.size() - 1;
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

    synchronized long renames() {
        return renames;
    }

    synchronized long copytruncates() {
        return copytruncates;
    }

    String failure() {
        return failure;
    }

    byte phaseOf(long id) {
        return phaseOf[(int) id];
    }

    synchronized byte generationEndOf(long id) {
        return generationEnd.get(generationOf[(int) id]);
    }

    int generationOf(long id) {
        return generationOf[(int) id];
    }

    /** When the line's file was rotated away (epoch ms), 0 if never. */
    synchronized long generationEndAtOf(long id) {
        return generationEndAt.get(generationOf[(int) id]);
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
                long due = Math.min(elapsedNanos / 1_000_000L * rate / 1000L, phaseOf.length);
                if (due > produced) {
                    String now = Instant.now().toString();
                    byte ph = (byte) phase.getAsInt();
                    synchronized (this) {
                        for (long id = produced; id < due; id++) {
                            int f = next;
                            next = (next + 1) % files;
                            phaseOf[(int) id] = ph;
                            generationOf[(int) id] = currentGeneration[f];
                            buf[f].append(now).append(" stdout F seq=").append(id).append(" f=").append(f).append(' ').append(PADDING).append('\n');
                        }
                        for (int f = 0; f < files; f++) {
                            if (buf[f].length() > 0) {
                                out[f].write(buf[f].toString().getBytes(StandardCharsets.UTF_8));
                                buf[f].setLength(0);
                            }
                        }
                        produced = due;
                    }
                }
                long nowMs = System.currentTimeMillis();
                if (storm && nowMs >= nextRotation) {
                    if (nextRotation != 0) {
                        rotate();
                    }
                    nextRotation = nowMs + 1000 + random.nextInt(1000);
                } else if (!storm) {
                    nextRotation = 0;
                }
                Thread.sleep(10);
            }
        } catch (Exception e) {
            failure = e.toString();
        } finally {
            for (FileOutputStream o : out) {
                try {
                    o.close();
                } catch (IOException ignored) {
                    // the run is over
                }
            }
        }
    }

    private synchronized void rotate() throws IOException {
        int f = (int) (rotations % files);
        rotations++;
        Path p = file(f);
        if (rotations % 4 == 0) {
            Files.copy(p, dir.resolve("app-" + f + ".log." + rotations + ".copy"));
            try (FileChannel ch = FileChannel.open(p, StandardOpenOption.WRITE)) {
                ch.truncate(0);
            }
            generationEnd.set(currentGeneration[f], GEN_COPYTRUNCATED);
            generationEndAt.set(currentGeneration[f], System.currentTimeMillis());
            copytruncates++;
        } else {
            out[f].close();
            Files.move(p, dir.resolve("app-" + f + ".log." + rotations));
            out[f] = new FileOutputStream(p.toFile(), true);
            generationEnd.set(currentGeneration[f], GEN_RENAMED);
            generationEndAt.set(currentGeneration[f], System.currentTimeMillis());
            renames++;
        }
        currentGeneration[f] = newGeneration();
    }

    /** The sequence id in a delivered line, or -1. */
    static long idOf(String line) {
        int i = line.indexOf("seq=");
        if (i < 0) {
            return -1;
        }
        long v = 0;
        int j = i + 4;
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

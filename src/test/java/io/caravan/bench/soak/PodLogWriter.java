package io.caravan.bench.soak;

import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.IntSupplier;
import java.util.stream.Stream;

/**
 * The kubelet's side of the pod logs: one CRI file per pod incarnation, {@code <dir>/<namespace>_<pod>_<uid>/app/0.log},
 * and {@code rate} lines a second round-robin over the incarnations being written
 * ({@code <RFC3339Nano> stdout F podline=<id> pod=<name> <padding>}), each with a unique id, whole lines in 10 ms ticks
 * with O_APPEND. {@link PodChurn} decides when an incarnation starts, stops being written and loses its directory.
 * Every id goes into a {@link LineBook} with its incarnation, whose fate is set when its pod is deleted.
 */
final class PodLogWriter implements Runnable {

    static final String CONTAINER = "app";
    private static final String PADDING = "y".repeat(48);

    record Incarnation(String namespace, String pod, String uid, Path dir, int group) {
    }

    private final Path base;
    private final int rate;
    private final IntSupplier phase;
    private final LineBook book;
    private final List<Incarnation> incarnations = new ArrayList<>();
    private final List<FileOutputStream> out = new ArrayList<>(); // null once the incarnation is no longer written
    private volatile boolean running = true;
    private volatile long produced;
    private int next;
    private volatile String failure;

    PodLogWriter(Path base, int rate, int capacity, IntSupplier phase) throws IOException {
        this.base = Files.createDirectories(base);
        this.rate = rate;
        this.phase = phase;
        this.book = new LineBook(capacity);
    }

    Path base() {
        return base;
    }

    LineBook book() {
        return book;
    }

    long produced() {
        return produced;
    }

    String failure() {
        return failure;
    }

    void stop() {
        running = false;
    }

    /** A new pod incarnation's directory and empty 0.log, written from now on; returns its index. */
    synchronized int add(String namespace, String pod, String uid) throws IOException {
        Path dir = base.resolve(namespace + "_" + pod + "_" + uid);
        Path file = Files.createDirectories(dir.resolve(CONTAINER)).resolve("0.log");
        incarnations.add(new Incarnation(namespace, pod, uid, dir, book.newGroup(Fate.POD_LIVE)));
        out.add(new FileOutputStream(file.toFile(), true));
        return incarnations.size() - 1;
    }

    synchronized Incarnation incarnation(int i) {
        return incarnations.get(i);
    }

    synchronized int incarnations() {
        return incarnations.size();
    }

    /** The container has exited: nothing more is written to its log. */
    synchronized void stopWriting(int i) throws IOException {
        FileOutputStream o = out.get(i);
        if (o != null) {
            o.close();
            out.set(i, null);
        }
    }

    /** The kubelet removes the pod's log directory (after it stopped writing it). */
    synchronized void remove(int i) throws IOException {
        stopWriting(i);
        Path dir = incarnations.get(i).dir();
        if (Files.exists(dir)) {
            try (Stream<Path> s = Files.walk(dir)) {
                for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }

    /** The incarnation's pod was deleted at {@code atMillis}, under {@code fate}. */
    synchronized void ended(int i, Fate fate, long atMillis) {
        book.end(incarnations.get(i).group(), fate, atMillis);
    }

    @Override
    public void run() {
        long start = System.nanoTime();
        List<StringBuilder> buf = new ArrayList<>();
        try {
            while (running) {
                long due = Math.min((System.nanoTime() - start) / 1_000_000L * rate / 1000L, book.capacity());
                if (due > produced) {
                    long nowMs = System.currentTimeMillis();
                    String now = Instant.ofEpochMilli(nowMs).toString();
                    byte ph = (byte) phase.getAsInt();
                    synchronized (this) {
                        while (buf.size() < out.size()) {
                            buf.add(new StringBuilder());
                        }
                        long id = produced;
                        for (int tries = 0; id < due && tries < out.size(); ) {
                            int i = next;
                            next = (next + 1) % out.size();
                            if (out.get(i) == null) {
                                tries++; // not written any more
                                continue;
                            }
                            tries = 0;
                            book.record(id, ph, nowMs, incarnations.get(i).group());
                            buf.get(i).append(now).append(" stdout F podline=").append(id).append(" pod=")
                                    .append(incarnations.get(i).pod()).append(' ').append(PADDING).append('\n');
                            id++;
                        }
                        for (int i = 0; i < out.size(); i++) {
                            if (buf.get(i).length() > 0) {
                                out.get(i).write(buf.get(i).toString().getBytes(StandardCharsets.UTF_8));
                                buf.get(i).setLength(0);
                            }
                        }
                        book.published(id);
                        produced = id;
                    }
                }
                Thread.sleep(10);
            }
        } catch (Exception e) {
            failure = e.toString();
        } finally {
            synchronized (this) {
                for (int i = 0; i < out.size(); i++) {
                    try {
                        stopWriting(i);
                    } catch (IOException ignored) {
                        // the run is over
                    }
                }
            }
        }
    }
}

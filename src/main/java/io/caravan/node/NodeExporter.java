package io.caravan.node;

import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;
import java.util.function.Consumer;

/**
 * Caravan's built-in node exporter: Alloy's prometheus.exporter.unix / node_exporter with the collectors
 * cpu, diskstats, filesystem, loadavg, meminfo, netdev, netstat, stat, time, uname and vmstat.
 * <p>
 * A scrape runs the enabled collectors in parallel, each bounded by the collector timeout: a collector
 * that throws or does not finish in time reports node_scrape_collector_success 0 and never holds up the
 * others. A collector still running from an earlier timed-out scrape is not started twice; it reports
 * success 0 until it has finished. The output is one scrape in the Prometheus text format 0.0.4 with the
 * families sorted by name and the samples by label values, as node_exporter's registry writes them.
 * <p>
 * Thread-safe: scrapes are serialized.
 */
public final class NodeExporter implements AutoCloseable {

    private static final AtomicInteger THREADS = new AtomicInteger();

    private final NodeExporterConfig config;
    private final ExecutorService pool;
    private final Consumer<ExecutorService> shutdown;
    private final Runner[] runners;
    private final TextFormat format = new TextFormat();
    private final ByteOut buffer = new ByteOut(64 * 1024);
    private final List<MetricFamily> families = new ArrayList<>();
    private final MetricFamilies meta = new MetricFamilies();
    private final Statfs statfs;

    /** With threads of its own, ended by {@link #close}: the command line, tests and benchmarks, where no Camel runs. */
    public NodeExporter(NodeExporterConfig config) {
        this(config, Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "node-exporter-" + THREADS.incrementAndGet());
            t.setDaemon(true);
            return t;
        }), ExecutorService::shutdownNow);
    }

    /**
     * Collectors run on {@code pool}, which must start a thread whenever all of its threads are busy (a cached pool):
     * a collector past its timeout keeps its thread until it ends, and the next scrape's collectors must not wait
     * behind it. {@link #close} hands the pool to {@code shutdown}.
     */
    public NodeExporter(NodeExporterConfig config, ExecutorService pool, Consumer<ExecutorService> shutdown) {
        this.config = config;
        this.pool = pool;
        this.shutdown = shutdown;
        this.statfs = config.statfs() != null ? config.statfs() : Statfs.platformDefault();
        List<String> names = config.collectors();
        this.runners = new Runner[names.size()];
        for (int i = 0; i < runners.length; i++) {
            runners[i] = new Runner(names.get(i), this::create);
        }
    }

    NodeExporterConfig config() {
        return config;
    }

    /** How statfs is done (JNA or the stat command). */
    public String statfsImplementation() {
        return statfs.describe();
    }

    private Collector create(String name, NodeExporterConfig c) {
        switch (name) {
            case "cpu": return new CpuCollector(c);
            case "diskstats": return new DiskstatsCollector(c);
            case "filesystem": return new FilesystemCollector(c, statfs, pool);
            case "loadavg": return new LoadavgCollector(c);
            case "meminfo": return new MeminfoCollector(c);
            case "netdev": return new NetdevCollector(c);
            case "netstat": return new NetstatCollector(c);
            case "stat": return new StatCollector(c);
            case "time": return new TimeCollector(c);
            case "uname": return new UnameCollector(c);
            case "vmstat": return new VmstatCollector(c);
            default: throw new IllegalArgumentException("unknown collector " + name);
        }
    }

    /** Replaces a collector (tests: a collector that hangs or fails). */
    void replaceCollector(String name, Collector collector) {
        for (Runner r : runners) {
            if (r.name.equals(name)) {
                r.collector = collector;
                return;
            }
        }
        throw new IllegalArgumentException("collector " + name + " is not enabled");
    }

    /** Writes one scrape to {@code out}. */
    public void scrape(OutputStream out) throws IOException {
        synchronized (this) {
            collectAndFormat();
            buffer.writeTo(out);
        }
    }

    /** One scrape as bytes. */
    public byte[] scrape() {
        synchronized (this) {
            collectAndFormat();
            return buffer.toByteArray();
        }
    }

    private void collectAndFormat() {
        long deadline = System.nanoTime() + config.collectorTimeout().toNanos();
        for (Runner r : runners) {
            r.start(pool);
        }
        meta.reset();
        MetricFamily duration = meta.family("node_scrape_collector_duration_seconds", "node_exporter: Duration of a collector scrape.",
            MetricType.GAUGE, "collector");
        MetricFamily success = meta.family("node_scrape_collector_success", "node_exporter: Whether a collector succeeded.",
            MetricType.GAUGE, "collector");
        families.clear();
        for (Runner r : runners) {
            boolean ok = r.await(deadline);
            duration.add1(r.seconds, r.name);
            success.add1(ok ? 1 : 0, r.name);
            if (r.usable) {
                r.out.nonEmpty(families);
            }
        }
        meta.nonEmpty(families);
        families.sort(BY_NAME);
        buffer.reset();
        format.write(families, buffer);
    }

    private static final Comparator<MetricFamily> BY_NAME = (a, b) -> a.name().compareTo(b.name());

    @Override
    public void close() {
        shutdown.accept(pool);
    }

    /** One collector, its output and whether it is still busy. */
    private final class Runner {
        final String name;
        final BiFunction<String, NodeExporterConfig, Collector> factory;
        final MetricFamilies out = new MetricFamilies();
        final AtomicBoolean busy = new AtomicBoolean();
        volatile Collector collector;
        Future<?> future;
        volatile long startNanos;
        volatile long endNanos;
        volatile Throwable failure;
        double seconds;
        boolean usable;
        RuntimeException initError;

        Runner(String name, BiFunction<String, NodeExporterConfig, Collector> factory) {
            this.name = name;
            this.factory = factory;
            try {
                this.collector = factory.apply(name, config);
            } catch (RuntimeException e) {
                initError = e; // reported as a failed collector on every scrape
            }
        }

        void start(ExecutorService pool) {
            future = null;
            usable = false;
            if (collector == null || !busy.compareAndSet(false, true)) {
                return; // could not be created, or still running from an earlier scrape
            }
            out.reset();
            failure = null;
            startNanos = System.nanoTime();
            final Collector c = collector;
            try {
                future = pool.submit(() -> {
                    try {
                        c.collect(out);
                    } catch (Throwable t) {
                        failure = t;
                    } finally {
                        endNanos = System.nanoTime();
                        busy.set(false);
                    }
                });
            } catch (RuntimeException e) {
                busy.set(false);
                failure = e;
            }
        }

        /** Waits until the deadline; true when the collector succeeded. */
        boolean await(long deadline) {
            if (future == null) {
                seconds = 0;
                return false;
            }
            try {
                future.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                seconds = (System.nanoTime() - startNanos) / 1e9;
                return false; // left running; its output is not touched until it ends
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                seconds = (System.nanoTime() - startNanos) / 1e9;
                return false;
            } catch (ExecutionException e) {
                failure = e.getCause();
            }
            seconds = (endNanos - startNanos) / 1e9;
            usable = true; // node_exporter keeps what a failing collector sent before its error
            return failure == null;
        }
    }
}

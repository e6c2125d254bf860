package io.caravan.bench.soak;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The metrics load: {@code targets} loopback HTTP targets of {@code series} series each. Every scrape of a target
 * gets the next number n of that target, and every series of that scrape has the value n (counter-like), so a
 * received (target, series, value) names exactly the scrape it came from. The target remembers when it served
 * each n; "produced" is scrapes served x series.
 */
final class TargetFarm implements AutoCloseable {

    static final String METRIC = "soak_series";
    static final String SERIES_LABEL = "s";

    private final int series;
    private final List<HttpServer> servers = new ArrayList<>();
    private final ExecutorService pool;
    private final Map<String, Integer> byInstance = new HashMap<>();
    private final List<String> instances = new ArrayList<>();
    private final long[][] servedAt; // [target][n] = epoch ms, n from 1
    private final int[] served;
    private final byte[][] seriesPrefix; // 'soak_series{s="i"} '
    private volatile boolean stopped;

    TargetFarm(int targets, int series, int maxScrapesPerTarget) throws IOException {
        this.series = series;
        this.servedAt = new long[targets][maxScrapesPerTarget + 1];
        this.served = new int[targets];
        this.seriesPrefix = new byte[series][];
        for (int i = 0; i < series; i++) {
            seriesPrefix[i] = (METRIC + "{" + SERIES_LABEL + "=\"" + i + "\"} ").getBytes(StandardCharsets.US_ASCII);
        }
        this.pool = Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "soak-target");
            t.setDaemon(true);
            return t;
        });
        for (int t = 0; t < targets; t++) {
            HttpServer s = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
            final int target = t;
            s.createContext("/metrics", ex -> serve(target, ex));
            s.setExecutor(pool);
            s.start();
            servers.add(s);
            String instance = "127.0.0.1:" + s.getAddress().getPort();
            instances.add(instance);
            byInstance.put(instance, t);
        }
    }

    List<String> instances() {
        return instances;
    }

    int targetOf(String instance) {
        Integer t = byInstance.get(instance);
        return t == null ? -1 : t;
    }

    int targets() {
        return instances.size();
    }

    int series() {
        return series;
    }

    /** From now on every scrape is answered 503 and is not counted as produced (the drain phase). */
    void stopProducing() {
        stopped = true;
    }

    private void serve(int target, HttpExchange ex) throws IOException {
        try (ex) {
            if (stopped) {
                ex.sendResponseHeaders(503, -1);
                return;
            }
            int n;
            synchronized (this) {
                n = served[target] + 1;
                if (n >= servedAt[target].length) {
                    ex.sendResponseHeaders(503, -1); // past the planned length: refuse rather than count blindly
                    return;
                }
                served[target] = n;
                servedAt[target][n] = System.currentTimeMillis();
            }
            byte[] value = (n + "\n").getBytes(StandardCharsets.US_ASCII);
            int len = 0;
            for (byte[] p : seriesPrefix) {
                len += p.length + value.length;
            }
            byte[] body = new byte[len];
            int at = 0;
            for (byte[] p : seriesPrefix) {
                System.arraycopy(p, 0, body, at, p.length);
                at += p.length;
                System.arraycopy(value, 0, body, at, value.length);
                at += value.length;
            }
            ex.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
            ex.sendResponseHeaders(200, body.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
        }
    }

    synchronized int served(int target) {
        return served[target];
    }

    synchronized long servedAt(int target, int n) {
        return servedAt[target][n];
    }

    synchronized long scrapesServed() {
        return Arrays.stream(served).asLongStream().sum();
    }

    long samplesProduced() {
        return scrapesServed() * series;
    }

    @Override
    public void close() {
        for (HttpServer s : servers) {
            s.stop(0);
        }
        pool.shutdownNow();
    }
}

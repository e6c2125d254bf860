package io.caravan.testing;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

/**
 * A scrape target on 127.0.0.1 that serves a body computed from the scrape count, optionally after a
 * delay (a hung exporter); counts the scrapes it answered.
 */
public final class FakeTarget implements AutoCloseable {

    private final HttpServer server;
    private final AtomicInteger scrapes = new AtomicInteger();
    private volatile long delayMs;
    private volatile String contentType = "text/plain; version=0.0.4; charset=utf-8";

    public FakeTarget(String path, IntFunction<String> body) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext(path, exchange -> {
            int n = scrapes.incrementAndGet();
            try {
                if (delayMs > 0) {
                    Thread.sleep(delayMs);
                }
                byte[] bytes = body.apply(n).getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Content-Type", contentType);
                exchange.sendResponseHeaders(200, bytes.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(bytes);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (IOException clientGone) {
                // the scraper timed out and closed the connection
            } finally {
                exchange.close();
            }
        });
        server.start();
    }

    public FakeTarget delay(long ms) {
        this.delayMs = ms;
        return this;
    }

    public FakeTarget contentType(String ct) {
        this.contentType = ct;
        return this;
    }

    public String address() {
        return "127.0.0.1:" + server.getAddress().getPort();
    }

    public int scrapes() {
        return scrapes.get();
    }

    @Override
    public void close() {
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }
}

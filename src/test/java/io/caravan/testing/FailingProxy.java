package io.caravan.testing;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.atomic.AtomicInteger;

/** A remote-write receiver that answers 500 to its first N requests, then forwards to the real one. */
public final class FailingProxy implements AutoCloseable {

    private final HttpServer server;
    private final AtomicInteger failed = new AtomicInteger();
    private final AtomicInteger forwarded = new AtomicInteger();

    public FailingProxy(String target, int failFirst) throws IOException {
        HttpClient http = HttpClient.newHttpClient();
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            try {
                if (failed.get() < failFirst) {
                    failed.incrementAndGet();
                    byte[] msg = "injected failure".getBytes();
                    exchange.sendResponseHeaders(500, msg.length);
                    exchange.getResponseBody().write(msg);
                    return;
                }
                HttpRequest.Builder req = HttpRequest.newBuilder(URI.create(target)).POST(HttpRequest.BodyPublishers.ofByteArray(body));
                for (String h : new String[]{"Content-Encoding", "Content-Type", "X-Prometheus-Remote-Write-Version", "User-Agent"}) {
                    String v = exchange.getRequestHeaders().getFirst(h);
                    if (v != null && !h.equals("User-Agent")) {
                        req.header(h, v);
                    }
                }
                HttpResponse<byte[]> resp = http.send(req.build(), HttpResponse.BodyHandlers.ofByteArray());
                forwarded.incrementAndGet();
                exchange.sendResponseHeaders(resp.statusCode(), resp.body().length == 0 ? -1 : resp.body().length);
                if (resp.body().length > 0) {
                    exchange.getResponseBody().write(resp.body());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                exchange.close();
            }
        });
        server.start();
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/api/v1/write";
    }

    public int failed() {
        return failed.get();
    }

    public int forwarded() {
        return forwarded.get();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}

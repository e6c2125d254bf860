package io.caravan.testing;

import com.sun.net.httpserver.HttpServer;
import io.caravan.model.MetricMetadata;
import io.caravan.model.Sample;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.IntFunction;

/**
 * A remote-write receiver on 127.0.0.1 that decodes and keeps every accepted request. The status of the
 * n-th request (1-based) comes from a function, so tests script outages, 429s and 4xx answers.
 */
public final class RecordingReceiver implements AutoCloseable {

    public record Answer(int status, Map<String, String> headers) {
        public static final Answer OK = new Answer(204, Map.of());
    }

    private final HttpServer server;
    private final List<Sample> accepted = new CopyOnWriteArrayList<>();
    private final List<MetricMetadata> acceptedMetadata = new CopyOnWriteArrayList<>();
    private final List<Map<String, String>> requestHeaders = new CopyOnWriteArrayList<>();
    private final List<Long> requestTimes = new CopyOnWriteArrayList<>();

    public RecordingReceiver(IntFunction<Answer> script) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            try (InputStream in = exchange.getRequestBody()) {
                byte[] body = in.readAllBytes();
                int n;
                synchronized (this) {
                    requestTimes.add(System.currentTimeMillis());
                    n = requestTimes.size();
                }
                Map<String, String> h = new java.util.HashMap<>();
                exchange.getRequestHeaders().forEach((k, v) -> h.put(k.toLowerCase(), v.get(0)));
                requestHeaders.add(h);
                Answer a = script.apply(n);
                if (a.status() / 100 == 2) {
                    accepted.addAll(RemoteWriteDecoder.decode(body));
                    acceptedMetadata.addAll(RemoteWriteDecoder.metadata(body));
                }
                a.headers().forEach((k, v) -> exchange.getResponseHeaders().set(k, v));
                exchange.sendResponseHeaders(a.status(), -1);
            } catch (IOException e) {
                exchange.sendResponseHeaders(400, -1);
            } finally {
                exchange.close();
            }
        });
        server.start();
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/api/v1/write";
    }

    public List<Sample> accepted() {
        return new ArrayList<>(accepted);
    }

    /** The metric metadata of the acknowledged requests, in arrival order. */
    public List<MetricMetadata> acceptedMetadata() {
        return new ArrayList<>(acceptedMetadata);
    }

    public List<Map<String, String>> requestHeaders() {
        return Collections.unmodifiableList(requestHeaders);
    }

    public List<Long> requestTimes() {
        return Collections.unmodifiableList(requestTimes);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}

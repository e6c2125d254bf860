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
import java.util.function.Function;
import java.util.function.IntFunction;

/**
 * A remote-write receiver on 127.0.0.1 that decodes and keeps every accepted request, a 1.0 WriteRequest or, by its
 * Content-Type, a 2.0 Request. The answer to a request comes from a script: by its number (1-based), so tests script
 * outages, 429s and 4xx answers, or by what it is ({@link Request}), so they script a receiver of one version.
 */
public final class RecordingReceiver implements AutoCloseable {

    public record Answer(int status, Map<String, String> headers) {
        public static final Answer OK = new Answer(204, Map.of());
    }

    /** What a request was: its number, whether it is remote_write 2.0, and its samples and histograms. */
    public record Request(int number, boolean v2, List<Sample> samples) {
    }

    private final HttpServer server;
    private final List<Sample> accepted = new CopyOnWriteArrayList<>();
    private final List<MetricMetadata> acceptedMetadata = new CopyOnWriteArrayList<>();
    private final List<RemoteWriteV2Decoder.Request> acceptedV2 = new CopyOnWriteArrayList<>();
    private final List<Map<String, String>> requestHeaders = new CopyOnWriteArrayList<>();
    private final List<Long> requestTimes = new CopyOnWriteArrayList<>();

    /** A receiver that answers the n-th request (1-based) as script says. */
    public RecordingReceiver(IntFunction<Answer> script) throws IOException {
        this((Function<Request, Answer>) r -> script.apply(r.number()));
    }

    /** A receiver that answers each request by what it is (its version, its samples). */
    public static RecordingReceiver byRequest(Function<Request, Answer> script) throws IOException {
        return new RecordingReceiver(script);
    }

    private RecordingReceiver(Function<Request, Answer> script) throws IOException {
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
                boolean v2 = h.getOrDefault("content-type", "").contains("proto=io.prometheus.write.v2.Request");
                RemoteWriteV2Decoder.Request request = v2 ? RemoteWriteV2Decoder.decode(body) : null;
                List<Sample> samples = v2 ? request.samples() : RemoteWriteDecoder.decode(body);
                Answer a = script.apply(new Request(n, v2, samples));
                if (a.status() / 100 == 2) {
                    if (v2) {
                        acceptedV2.add(request);
                    } else {
                        accepted.addAll(samples);
                        acceptedMetadata.addAll(RemoteWriteDecoder.metadata(body));
                    }
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

    /** The samples of the acknowledged 1.0 requests, in arrival order. */
    public List<Sample> accepted() {
        return new ArrayList<>(accepted);
    }

    /** The acknowledged 2.0 requests, in arrival order. */
    public List<RemoteWriteV2Decoder.Request> acceptedV2() {
        return new ArrayList<>(acceptedV2);
    }

    /** The samples of the acknowledged 2.0 requests, in arrival order. */
    public List<Sample> acceptedV2Samples() {
        return acceptedV2.stream().flatMap(r -> r.samples().stream()).toList();
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

package io.caravan.sink;

import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsServer;
import io.caravan.testing.LocalTls;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import io.caravan.http.HttpClients;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/** The one HTTP push client: its outcome table, headers, auth, excerpts and a stop while a request hangs. */
class PushClientTest {

    static final CloseableHttpClient PUSH = HttpClients.push(Duration.ofSeconds(5), Duration.ofSeconds(5), null, false);

    private HttpServer server;
    private final AtomicReference<Integer> status = new AtomicReference<>(204);
    private final AtomicReference<String> body = new AtomicReference<>("");
    private final Map<String, String> seen = new ConcurrentHashMap<>();
    private final CountDownLatch release = new CountDownLatch(1);

    @BeforeEach
    void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/push", ex -> {
            ex.getRequestHeaders().forEach((k, v) -> seen.put(k.toLowerCase(), v.get(0)));
            seen.put("body", new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            byte[] b = body.get().getBytes(StandardCharsets.UTF_8);
            if (status.get() == 429 || status.get() == 503) {
                ex.getResponseHeaders().add("Retry-After", "3");
            }
            ex.sendResponseHeaders(status.get(), b.length == 0 ? -1 : b.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(b);
            }
        });
        server.createContext("/hang", ex -> {
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            ex.sendResponseHeaders(204, -1);
            ex.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        release.countDown();
        server.stop(0);
    }

    private PushClient client(String path, boolean splitsRefusals) {
        URI url = URI.create("http://user:pw@127.0.0.1:" + server.getAddress().getPort() + path + "?token=secret");
        return new PushClient(PUSH, url,
                Map.of("Content-Type", "application/x-protobuf", "X-Sink", "test"), () -> "Bearer t0k", splitsRefusals);
    }

    @ParameterizedTest(name = "HTTP {0}: {1} (splitting), {2} (not splitting)")
    @CsvSource({
            "200, SENT, SENT", "204, SENT, SENT",
            "500, RETRY, RETRY", "503, RETRY, RETRY", "429, RETRY, RETRY",
            "400, REFUSED, DROP", "409, REFUSED, DROP", "413, REFUSED, DROP", "422, REFUSED, DROP",
            "401, DROP, DROP", "403, DROP, DROP", "404, DROP, DROP"})
    void every_sink_reads_an_answer_the_same_way_except_whether_it_splits_content_refusals(
            int code, PushClient.Outcome.Kind splitting, PushClient.Outcome.Kind notSplitting) throws Exception {
        status.set(code);
        body.set(code / 100 == 2 ? "" : "out of order sample\nfor series x");
        PushClient.Outcome a = client("/push", true).send(new byte[]{1, 2, 3}, 0, 3, () -> false);
        PushClient.Outcome b = client("/push", false).send(new byte[]{1, 2, 3}, 0, 3, () -> false);
        assertThat(a.kind()).isEqualTo(splitting);
        assertThat(b.kind()).isEqualTo(notSplitting);
        assertThat(PushClient.classify(code, true)).isEqualTo(splitting);
        assertThat(a.status()).isEqualTo(code);
        if (code / 100 != 2) {
            assertThat(a.answer()).isEqualTo("out of order sample for series x");
            assertThat(a.message()).startsWith("HTTP " + code + " from http://127.0.0.1:" + server.getAddress().getPort() + "/push: ")
                    .doesNotContain("secret").doesNotContain("pw");
        }
        assertThat(a.retryAfterMs()).isEqualTo(code == 429 || code == 503 ? 3000 : 0);
    }

    @Test
    void sends_the_sinks_headers_the_authorization_and_exactly_the_given_bytes() throws Exception {
        byte[] b = "xxhelloxx".getBytes(StandardCharsets.UTF_8);
        assertThat(client("/push", false).send(b, 2, 5, () -> false).kind()).isEqualTo(PushClient.Outcome.Kind.SENT);
        assertThat(seen).containsEntry("body", "hello").containsEntry("content-type", "application/x-protobuf")
                .containsEntry("x-sink", "test").containsEntry("authorization", "Bearer t0k");
    }

    @Test
    void headers_of_one_request_go_with_that_request_only() throws Exception {
        PushClient c = client("/push", false);
        c.send(new byte[1], 0, 1, Map.of("X-Scope-OrgID", "t1"), () -> false);
        assertThat(seen).containsEntry("x-scope-orgid", "t1").containsEntry("x-sink", "test");
        seen.clear();
        c.send(new byte[1], 0, 1, () -> false);
        assertThat(seen).doesNotContainKey("x-scope-orgid").containsEntry("x-sink", "test");
    }

    @Test
    void a_long_answer_is_cut_to_one_excerpt_length() throws Exception {
        status.set(400);
        body.set("e".repeat(5000));
        PushClient.Outcome o = client("/push", true).send(new byte[1], 0, 1, () -> false);
        assertThat(o.answer()).hasSize(PushClient.EXCERPT_CHARS + 3).endsWith("...");
    }

    @Test
    void no_answer_and_unreadable_credentials_are_retried() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        PushClient down = new PushClient(PUSH, URI.create("http://127.0.0.1:" + closedPort + "/push"), Map.of(), null, true);
        PushClient.Outcome o = down.send(new byte[1], 0, 1, () -> false);
        assertThat(o.kind()).isEqualTo(PushClient.Outcome.Kind.RETRY);
        assertThat(o.message()).startsWith("cannot reach http://127.0.0.1:" + closedPort + "/push");

        PushClient noToken = new PushClient(PUSH, URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/push"), Map.of(), () -> {
                    throw new IllegalStateException("cannot read bearer token file /nope");
                }, true);
        PushClient.Outcome t = noToken.send(new byte[1], 0, 1, () -> false);
        assertThat(t.kind()).isEqualTo(PushClient.Outcome.Kind.RETRY);
        assertThat(t.message()).contains("/nope");
    }

    @Test
    void a_stop_ends_a_hanging_request_without_interrupting_the_caller() throws Exception {
        AtomicReference<Boolean> stopped = new AtomicReference<>(false);
        PushClient hanging = client("/hang", false);
        Thread stopper = new Thread(() -> {
            try {
                Thread.sleep(300);
            } catch (InterruptedException ignored) {
                Thread.currentThread().interrupt();
            }
            stopped.set(true);
        });
        stopper.start();
        long t0 = System.nanoTime();
        PushClient.Outcome o = hanging.send(new byte[1], 0, 1, stopped::get);
        assertThat(o).as("stopped before an answer").isNull();
        assertThat((System.nanoTime() - t0) / 1_000_000).isLessThan(3_000);
        assertThat(Thread.currentThread().isInterrupted()).isFalse();
    }

    /** TLS is verified by default (the JVM's trust store, the host name), against a CA file when given, skipped only when asked. */
    @Test
    void https_is_verified_unless_the_sink_says_otherwise(@TempDir Path dir) throws Exception {
        LocalTls tls = new LocalTls(dir);
        HttpsServer https = tls.server(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        https.createContext("/push", ex -> {
            ex.getRequestBody().readAllBytes();
            ex.sendResponseHeaders(204, -1);
            ex.close();
        });
        https.start();
        try {
            int port = https.getAddress().getPort();
            URI byIp = URI.create("https://127.0.0.1:" + port + "/push");
            URI byName = URI.create("https://localhost:" + port + "/push"); // the certificate names 127.0.0.1 only
            Duration t = Duration.ofSeconds(5);
            String ca = tls.caFile().toString();

            PushClient.Outcome untrusted = new PushClient(HttpClients.push(t, t, null, false), byIp, Map.of(), null, false)
                    .send(new byte[1], 0, 1, () -> false);
            assertThat(untrusted.kind()).isEqualTo(PushClient.Outcome.Kind.RETRY);
            assertThat(untrusted.message()).startsWith("cannot reach https://127.0.0.1:" + port + "/push").containsIgnoringCase("certificat");

            assertThat(new PushClient(HttpClients.push(t, t, ca, false), byIp, Map.of(), null, false)
                    .send(new byte[1], 0, 1, () -> false).kind()).isEqualTo(PushClient.Outcome.Kind.SENT);

            PushClient.Outcome otherName = new PushClient(HttpClients.push(t, t, ca, false), byName, Map.of(), null, false)
                    .send(new byte[1], 0, 1, () -> false);
            assertThat(otherName.kind()).as("the host name is checked too").isEqualTo(PushClient.Outcome.Kind.RETRY);

            assertThat(new PushClient(HttpClients.push(t, t, null, true), byName, Map.of(), null, false)
                    .send(new byte[1], 0, 1, () -> false).kind()).isEqualTo(PushClient.Outcome.Kind.SENT);
        } finally {
            https.stop(0);
        }
    }
}

package io.caravan.e2e;

import io.caravan.testing.PrometheusServer;
import io.caravan.testing.RealPeers;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** The real blackbox_exporter from Debian's package, on 127.0.0.1, with the seed's module names. */
final class BlackboxExporter implements AutoCloseable {

    /** The modules the seed's targets name; all plain HTTP probes here, the TLS ones only differ in what they demand. */
    static final String CONFIG = """
            modules:
              http_2xx:
                prober: http
                timeout: 5s
                http:
                  preferred_ip_protocol: ip4
              http_2xx_skip_verify:
                prober: http
                timeout: 5s
                http:
                  preferred_ip_protocol: ip4
                  tls_config:
                    insecure_skip_verify: true
              http_2xx_tls:
                prober: http
                timeout: 5s
                http:
                  preferred_ip_protocol: ip4
                  fail_if_not_ssl: true
            """;

    private final Process process;
    private final Path dir;
    private final int port;

    private BlackboxExporter(Process process, Path dir, int port) {
        this.process = process;
        this.dir = dir;
        this.port = port;
    }

    static BlackboxExporter start() throws Exception {
        String binary = RealPeers.require("prometheus-blackbox-exporter", "prometheus-blackbox-exporter");
        Path dir = Files.createTempDirectory("caravan-blackbox");
        Files.writeString(dir.resolve("blackbox.yml"), CONFIG);
        int port = PrometheusServer.freePort();
        Process p = new ProcessBuilder(binary, "--config.file=" + dir.resolve("blackbox.yml"),
                "--web.listen-address=127.0.0.1:" + port, "--log.level=warn")
                .redirectErrorStream(true).redirectOutput(dir.resolve("blackbox.log").toFile()).start();
        BlackboxExporter exporter = new BlackboxExporter(p, dir, port);
        exporter.awaitReady();
        return exporter;
    }

    private void awaitReady() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.currentTimeMillis() + 20_000;
        while (System.currentTimeMillis() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("blackbox exporter exited: " + log());
            }
            try {
                if (http.send(HttpRequest.newBuilder(URI.create("http://" + address() + "/-/healthy")).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // still starting
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("blackbox exporter not ready after 20s: " + log());
    }

    String address() {
        return "127.0.0.1:" + port;
    }

    String log() {
        try {
            return Files.readString(dir.resolve("blackbox.log"));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    @Override
    public void close() throws Exception {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
        File[] files = dir.toFile().listFiles();
        for (File f : files == null ? new File[0] : files) {
            f.delete();
        }
        dir.toFile().delete();
    }
}

package io.caravan.bench.peers;

import com.sun.net.httpserver.HttpServer;
import io.caravan.node.NodeExporter;
import io.caravan.node.NodeExporterConfig;

import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;

/**
 * Caravan's built-in node exporter served over HTTP, in a JVM of its own, the way node_exporter serves its
 * collectors: {@code GET /metrics} is one scrape of the default collectors (the seed's eleven), written
 * uncompressed. In the agent the exporter has no HTTP hop (the node-metrics route reads it in process), so this
 * small server is what makes the two comparable: one process, one HTTP GET per scrape, CPU from /proc.
 * {@code GET /alloc} answers the bytes allocated so far by every live thread (com.sun.management.ThreadMXBean),
 * for allocation per scrape.
 * <p>
 * usage: NodeExporterServer PORT
 */
public final class NodeExporterServer {

    private NodeExporterServer() {
    }

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        NodeExporter exporter = new NodeExporter(NodeExporterConfig.builder().build());
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        threads.setThreadAllocatedMemoryEnabled(true);
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 64);
        server.setExecutor(Executors.newFixedThreadPool(2));
        server.createContext("/metrics", ex -> {
            try (ex) {
                byte[] body = exporter.scrape();
                ex.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
                ex.sendResponseHeaders(200, body.length);
                try (OutputStream os = ex.getResponseBody()) {
                    os.write(body);
                }
            }
        });
        server.createContext("/alloc", ex -> {
            try (ex) {
                long sum = 0;
                for (long b : threads.getThreadAllocatedBytes(threads.getAllThreadIds())) {
                    if (b > 0) {
                        sum += b;
                    }
                }
                byte[] body = (sum + " " + threads.getThreadCount() + "\n").getBytes(StandardCharsets.US_ASCII);
                ex.sendResponseHeaders(200, body.length);
                try (OutputStream os = ex.getResponseBody()) {
                    os.write(body);
                }
            }
        });
        server.start();
        System.out.println("node exporter on 127.0.0.1:" + port + ", statfs: " + exporter.statfsImplementation());
    }
}

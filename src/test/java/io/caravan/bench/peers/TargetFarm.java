package io.caravan.bench.peers;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;

/**
 * N scrape targets on one JDK HttpServer (127.0.0.1): {@code /metrics/<n>} serves a cAdvisor-shaped exposition of
 * {@code series} samples (the families and label sets the kubelet's /metrics/cadvisor serves: container, id,
 * image, name, namespace, pod, with cpu/device/interface/failure_type/state where cAdvisor has them; HELP and
 * TYPE lines; no timestamps). Every scrape of a target advances its values (counters grow, gauges move), so
 * every sample is new. Served uncompressed whatever the Accept-Encoding, so both scrapers get the same bytes
 * and the farm's CPU stays small.
 */
final class TargetFarm implements AutoCloseable {

    private final HttpServer server;
    private final ExecutorService pool;
    private final byte[][] prefixes;
    private final long[] base;
    private final long[] step;
    private final boolean[] fractional;
    private final AtomicIntegerArray scrapes;
    private final AtomicLong served = new AtomicLong();
    private final ThreadLocal<ByteArrayOutputStream> buffers;
    final int bodyBytes;

    TargetFarm(int targets, int series) throws IOException {
        List<String[]> lines = fixture(series);
        prefixes = new byte[lines.size()][];
        base = new long[lines.size()];
        step = new long[lines.size()];
        fractional = new boolean[lines.size()];
        java.util.Random r = new java.util.Random(42);
        for (int i = 0; i < lines.size(); i++) {
            prefixes[i] = lines.get(i)[0].getBytes(StandardCharsets.UTF_8);
            boolean counter = lines.get(i)[1].equals("counter");
            fractional[i] = lines.get(i)[0].contains("_seconds");
            base[i] = 1 + r.nextInt(1_000_000_000);
            step[i] = counter ? 1 + r.nextInt(100_000) : r.nextInt(2_000_001) - 1_000_000;
        }
        scrapes = new AtomicIntegerArray(targets);
        int size = render(0, new ByteArrayOutputStream(1 << 20)).length;
        bodyBytes = size;
        buffers = ThreadLocal.withInitial(() -> new ByteArrayOutputStream(size + 4096));
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1024);
        pool = Executors.newFixedThreadPool(4, r2 -> {
            Thread t = new Thread(r2, "farm");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(pool);
        server.createContext("/metrics/", this::handle);
        server.start();
    }

    int port() {
        return server.getAddress().getPort();
    }

    int seriesPerTarget() {
        return prefixes.length;
    }

    long scrapesServed() {
        return served.get();
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            int n;
            try {
                n = Integer.parseInt(ex.getRequestURI().getPath().substring("/metrics/".length()));
            } catch (NumberFormatException e) {
                n = -1;
            }
            if (n < 0 || n >= scrapes.length()) {
                ex.sendResponseHeaders(404, -1);
                return;
            }
            int k = scrapes.incrementAndGet(n);
            ByteArrayOutputStream buf = buffers.get();
            buf.reset();
            byte[] body = render(k, buf);
            ex.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
            ex.sendResponseHeaders(200, body.length);
            try (OutputStream os = ex.getResponseBody()) {
                os.write(body);
            }
            served.incrementAndGet();
        }
    }

    private byte[] render(int k, ByteArrayOutputStream out) {
        byte[] num = new byte[24];
        for (int i = 0; i < prefixes.length; i++) {
            out.write(prefixes[i], 0, prefixes[i].length);
            long v = Math.abs(base[i] + k * step[i]);
            if (fractional[i]) {
                writeLong(out, num, v / 1000);
                out.write('.');
                long f = v % 1000;
                out.write('0' + (int) (f / 100));
                out.write('0' + (int) (f / 10 % 10));
                out.write('0' + (int) (f % 10));
            } else {
                writeLong(out, num, v);
            }
            out.write('\n');
        }
        return out.toByteArray();
    }

    private static void writeLong(ByteArrayOutputStream out, byte[] num, long v) {
        int p = num.length;
        do {
            num[--p] = (byte) ('0' + v % 10);
            v /= 10;
        } while (v > 0);
        out.write(num, p, num.length - p);
    }

    /** {prefix up to and including the space before the value (with HELP/TYPE before a family's first series), type}. */
    static List<String[]> fixture(int series) {
        String[][] families = {
            // name, type, extra label (name=v1|v2|...) or ""
            {"container_cpu_usage_seconds_total", "counter", "cpu=total"},
            {"container_cpu_user_seconds_total", "counter", ""},
            {"container_cpu_system_seconds_total", "counter", ""},
            {"container_cpu_cfs_periods_total", "counter", ""},
            {"container_cpu_cfs_throttled_periods_total", "counter", ""},
            {"container_cpu_cfs_throttled_seconds_total", "counter", ""},
            {"container_cpu_load_average_10s", "gauge", ""},
            {"container_memory_usage_bytes", "gauge", ""},
            {"container_memory_working_set_bytes", "gauge", ""},
            {"container_memory_rss", "gauge", ""},
            {"container_memory_cache", "gauge", ""},
            {"container_memory_swap", "gauge", ""},
            {"container_memory_mapped_file", "gauge", ""},
            {"container_memory_max_usage_bytes", "gauge", ""},
            {"container_memory_failcnt", "counter", ""},
            {"container_memory_failures_total", "counter", "failure_type=pgfault|pgmajfault;scope=container|hierarchy"},
            {"container_fs_reads_bytes_total", "counter", "device=/dev/nvme0n1"},
            {"container_fs_writes_bytes_total", "counter", "device=/dev/nvme0n1"},
            {"container_fs_reads_total", "counter", "device=/dev/nvme0n1"},
            {"container_fs_writes_total", "counter", "device=/dev/nvme0n1"},
            {"container_blkio_device_usage_total", "counter", "device=/dev/nvme0n1;major=259;minor=0;operation=Read|Write"},
            {"container_network_receive_bytes_total", "counter", "interface=eth0"},
            {"container_network_receive_packets_total", "counter", "interface=eth0"},
            {"container_network_receive_packets_dropped_total", "counter", "interface=eth0"},
            {"container_network_receive_errors_total", "counter", "interface=eth0"},
            {"container_network_transmit_bytes_total", "counter", "interface=eth0"},
            {"container_network_transmit_packets_total", "counter", "interface=eth0"},
            {"container_network_transmit_packets_dropped_total", "counter", "interface=eth0"},
            {"container_network_transmit_errors_total", "counter", "interface=eth0"},
            {"container_file_descriptors", "gauge", ""},
            {"container_sockets", "gauge", ""},
            {"container_threads", "gauge", ""},
            {"container_threads_max", "gauge", ""},
            {"container_processes", "gauge", ""},
            {"container_oom_events_total", "counter", ""},
            {"container_last_seen", "gauge", ""},
            {"container_start_time_seconds", "gauge", ""},
            {"container_spec_cpu_period", "gauge", ""},
            {"container_spec_cpu_quota", "gauge", ""},
            {"container_spec_cpu_shares", "gauge", ""},
            {"container_spec_memory_limit_bytes", "gauge", ""},
            {"container_spec_memory_reservation_limit_bytes", "gauge", ""},
            {"container_spec_memory_swap_limit_bytes", "gauge", ""},
            {"container_tasks_state", "gauge", "state=iowaiting|running|sleeping|stopped|uninterruptible"},
            {"container_ulimits_soft", "gauge", "ulimit=max_open_files"},
        };
        int perContainer = 0;
        for (String[] f : families) {
            perContainer += combos(f[2]).size();
        }
        int containers = (series + perContainer - 1) / perContainer;
        String[] namespaces = {"kube-system", "monitoring", "shop", "payments", "search", "ingress-nginx", "cnpg-system", "observability"};
        String[] apps = {"checkout", "cart", "catalog", "web", "api", "worker", "coredns", "kube-proxy", "prometheus", "postgres", "redis", "envoy"};
        List<String[]> out = new ArrayList<>();
        for (String[] f : families) {
            boolean first = true;
            for (int c = 0; c < containers && out.size() < series; c++) {
                String ns = namespaces[c % namespaces.length];
                String app = apps[c % apps.length];
                String pod = app + "-7f9c6d8b5-" + Integer.toString(36 * 36 * 36 + c * 7919 % 46656, 36);
                String hex = String.format("%064x", (c + 1) * 0x9E3779B97F4A7C15L & Long.MAX_VALUE);
                String labelsCommon = "container=\"" + app + "\",id=\"/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod"
                        + String.format("%08x_%04x", c * 2654435761L & 0xffffffffL, c) + ".slice/cri-containerd-" + hex + ".scope\",image=\"ghcr.io/acme/" + app
                        + ":1." + (c % 9) + "." + (c % 5) + "\",name=\"" + hex + "\",namespace=\"" + ns + "\",pod=\"" + pod + "\"";
                for (String extra : combos(f[2])) {
                    if (out.size() >= series) {
                        break;
                    }
                    StringBuilder sb = new StringBuilder();
                    if (first) {
                        sb.append("# HELP ").append(f[0]).append(" cAdvisor-like ").append(f[1]).append(" for the benchmark.\n");
                        sb.append("# TYPE ").append(f[0]).append(' ').append(f[1]).append('\n');
                        first = false;
                    }
                    sb.append(f[0]).append('{').append(labelsCommon);
                    if (!extra.isEmpty()) {
                        sb.append(',').append(extra);
                    }
                    sb.append("} ");
                    out.add(new String[]{sb.toString(), f[1]});
                }
            }
        }
        return out;
    }

    /** "a=x|y;b=u|v" -> every combination as label text a="x",b="u" ... ; "" -> one empty combination. */
    private static List<String> combos(String spec) {
        List<String> out = new ArrayList<>(List.of(""));
        if (spec.isEmpty()) {
            return out;
        }
        for (String part : spec.split(";")) {
            String name = part.substring(0, part.indexOf('='));
            List<String> next = new ArrayList<>();
            for (String prefix : out) {
                for (String v : part.substring(part.indexOf('=') + 1).split("\\|")) {
                    next.add((prefix.isEmpty() ? "" : prefix + ",") + name + "=\"" + v + "\"");
                }
            }
            out = next;
        }
        return out;
    }

    @Override
    public void close() {
        server.stop(0);
        pool.shutdownNow();
    }
}

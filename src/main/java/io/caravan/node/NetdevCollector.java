package io.caravan.node;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/**
 * node_exporter's netdev collector with default flags (netlink on, detailed metrics off, so the netlink
 * counters folded back into the /proc/net/dev names by its legacy() step). /proc/net/dev prints exactly
 * those folded counters (the kernel's net-procfs does the same sums), so it is read once per scrape; the
 * one netlink counter /proc/net/dev lacks, rx_nohandler, comes from /sys/class/net/DEV/statistics
 * (0 when unreadable, as the netlink struct reports 0). Default device filter: none (Debian's 1.5 package
 * excludes ^lo$ by default; upstream does not).
 */
final class NetdevCollector implements Collector {

    private static final String[] KEYS = {
        "receive_bytes", "receive_packets", "receive_errs", "receive_drop", "receive_fifo", "receive_frame",
        "receive_compressed", "receive_multicast",
        "transmit_bytes", "transmit_packets", "transmit_errs", "transmit_drop", "transmit_fifo", "transmit_colls",
        "transmit_carrier", "transmit_compressed"};

    private final String path;
    private final String sysNet;
    private final FileBuf file = new FileBuf(4096);
    private final FileBuf small = new FileBuf(64);
    private final NameCache names = new NameCache();
    private final FieldFilter devices;
    private final Map<String, String> nohandlerPaths = new HashMap<>();
    private final double[] row = new double[16];
    private MetricFamily[] fams;   // the same MetricFamilies object is passed every scrape
    private MetricFamily nohandler;

    NetdevCollector(NodeExporterConfig config) {
        this.path = config.procPath("net/dev");
        this.sysNet = config.sysPath("class/net/");
        this.devices = new FieldFilter(null, null);
    }

    @Override
    public String name() {
        return "netdev";
    }

    @Override
    public void collect(MetricFamilies out) throws IOException {
        file.read(path);
        if (fams == null) {
            fams = new MetricFamily[KEYS.length];
            for (int i = 0; i < KEYS.length; i++) {
                fams[i] = family(out, KEYS[i]);
            }
            nohandler = family(out, "receive_nohandler");
        }
        int pos = file.lineEnd(0) + 1;
        pos = file.lineEnd(pos) + 1; // two header lines
        int line = 0;
        while (pos < file.len) {
            int end = file.lineEnd(pos);
            int colon = pos;
            while (colon < end && file.buf[colon] != ':') {
                colon++;
            }
            if (colon == end) {
                pos = end + 1;
                continue;
            }
            int ns = file.skipSpaces(pos, colon);
            String dev = names.get(line++, file.buf, ns, colon);
            if (!devices.ignored(dev)) {
                int p = file.skipSpaces(colon + 1, end);
                int n = 0;
                while (p < end && n < 16) {
                    int e = file.tokenEnd(p, end);
                    double v = file.parseUnsignedAsDouble(p, e);
                    if (Double.isNaN(v)) {
                        throw new IOException("invalid value in " + path + ": " + file.utf8(p, e));
                    }
                    row[n++] = v;
                    p = file.skipSpaces(e, end);
                }
                if (n != 16) {
                    throw new IOException("short line in " + path + " for " + dev);
                }
                for (int i = 0; i < 16; i++) {
                    fams[i].add1(row[i], dev);
                }
                nohandler.add1(readNohandler(dev), dev);
            }
            pos = end + 1;
        }
    }

    private MetricFamily family(MetricFamilies out, String key) {
        MetricFamily f = out.get("node_network_" + key + "_total");
        return f != null ? f
            : out.family("node_network_" + key + "_total", "Network device statistic " + key + ".", MetricType.COUNTER, "device");
    }

    private double readNohandler(String dev) {
        String p = nohandlerPaths.get(dev);
        if (p == null) {
            p = sysNet + dev + "/statistics/rx_nohandler";
            nohandlerPaths.put(dev, p);
        }
        if (!small.tryRead(p)) {
            return 0;
        }
        int e = small.len;
        while (e > 0 && FileBuf.isSpace(small.buf[e - 1])) {
            e--;
        }
        double v = small.parseUnsignedAsDouble(0, e);
        return Double.isNaN(v) ? 0 : v;
    }
}

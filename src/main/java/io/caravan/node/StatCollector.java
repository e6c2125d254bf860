package io.caravan.node;

import java.io.IOException;

/**
 * node_exporter's stat collector (default flags, so no softirq families): interrupts, context switches,
 * forks, boot time and running/blocked processes from /proc/stat.
 */
final class StatCollector implements Collector {

    private final String path;
    private final FileBuf file = new FileBuf(8192);

    StatCollector(NodeExporterConfig config) {
        this.path = config.procPath("stat");
    }

    @Override
    public String name() {
        return "stat";
    }

    @Override
    public void collect(MetricFamilies out) throws IOException {
        file.read(path);
        double intr = 0;
        double ctxt = 0;
        double btime = 0;
        double forks = 0;
        double running = 0;
        double blocked = 0;
        int pos = 0;
        while (pos < file.len) {
            int end = file.lineEnd(pos);
            int ke = file.tokenEnd(pos, end);
            int vs = file.skipSpaces(ke, end);
            int ve = file.tokenEnd(vs, end);
            byte c = file.buf[pos];
            if (c == 'i' && file.equalsAscii(pos, ke, "intr")) {
                intr = number(vs, ve);
            } else if (c == 'c' && file.equalsAscii(pos, ke, "ctxt")) {
                ctxt = number(vs, ve);
            } else if (c == 'b' && file.equalsAscii(pos, ke, "btime")) {
                btime = number(vs, ve);
            } else if (c == 'p') {
                if (file.equalsAscii(pos, ke, "processes")) {
                    forks = number(vs, ve);
                } else if (file.equalsAscii(pos, ke, "procs_running")) {
                    running = number(vs, ve);
                } else if (file.equalsAscii(pos, ke, "procs_blocked")) {
                    blocked = number(vs, ve);
                }
            }
            pos = end + 1;
        }
        out.family("node_intr_total", "Total number of interrupts serviced.", MetricType.COUNTER).add(intr);
        out.family("node_context_switches_total", "Total number of context switches.", MetricType.COUNTER).add(ctxt);
        out.family("node_forks_total", "Total number of forks.", MetricType.COUNTER).add(forks);
        out.family("node_boot_time_seconds", "Node boot time, in unixtime.", MetricType.GAUGE).add(btime);
        out.family("node_procs_running", "Number of processes in runnable state.", MetricType.GAUGE).add(running);
        out.family("node_procs_blocked", "Number of processes blocked waiting for I/O to complete.", MetricType.GAUGE).add(blocked);
    }

    private double number(int s, int e) throws IOException {
        double v = file.parseUnsignedAsDouble(s, e);
        if (Double.isNaN(v)) {
            throw new IOException("couldn't parse '" + file.string(s, e) + "' in " + path);
        }
        return v;
    }
}

package io.caravan.node;

import java.io.IOException;

/** node_exporter's loadavg collector: node_load1/5/15 from /proc/loadavg. */
final class LoadavgCollector implements Collector {

    private final String path;
    private final FileBuf file = new FileBuf(256);

    LoadavgCollector(NodeExporterConfig config) {
        this.path = config.procPath("loadavg");
    }

    @Override
    public String name() {
        return "loadavg";
    }

    @Override
    public void collect(MetricFamilies out) throws IOException {
        file.read(path);
        double[] loads = new double[3];
        int end = file.lineEnd(0);
        int pos = 0;
        for (int i = 0; i < 3; i++) {
            pos = file.skipSpaces(pos, end);
            int e = file.tokenEnd(pos, end);
            if (pos == e) {
                throw new IOException("unexpected content in " + path);
            }
            double v = file.parseDouble(pos, e);
            if (Double.isNaN(v)) {
                throw new IOException("could not parse load '" + file.string(pos, e) + "' in " + path);
            }
            loads[i] = v;
            pos = e;
        }
        out.family("node_load1", "1m load average.", MetricType.GAUGE).add(loads[0]);
        out.family("node_load5", "5m load average.", MetricType.GAUGE).add(loads[1]);
        out.family("node_load15", "15m load average.", MetricType.GAUGE).add(loads[2]);
    }
}

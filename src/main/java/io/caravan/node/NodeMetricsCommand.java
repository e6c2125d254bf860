package io.caravan.node;

import java.io.IOException;
import java.io.PrintStream;

/**
 * {@code caravan node-metrics [--path.procfs DIR] [--path.sysfs DIR] [--path.rootfs DIR] [--path.udev.data DIR]
 * [--collectors cpu,meminfo,...]}: prints one scrape in the Prometheus text format and exits. No Spring.
 */
public final class NodeMetricsCommand {

    private NodeMetricsCommand() {
    }

    /** Runs the command; returns the exit code: 0 ok, 2 bad flags (usage on err), 1 output failed. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        NodeExporterConfig config;
        try {
            config = NodeExporterConfig.fromArgs(args);
        } catch (IllegalArgumentException e) {
            err.println(e.getMessage());
            return 2;
        }
        try (NodeExporter exporter = new NodeExporter(config)) {
            exporter.scrape(out);
            out.flush();
            if (out.checkError()) {
                err.println("node-metrics: error writing output");
                return 1;
            }
            return 0;
        } catch (IOException | RuntimeException e) {
            err.println("node-metrics: " + e);
            return 1;
        }
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }
}

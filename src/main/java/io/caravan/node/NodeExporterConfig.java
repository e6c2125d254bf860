package io.caravan.node;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;

/**
 * Where the node exporter reads from and what it runs: node_exporter's {@code --path.procfs},
 * {@code --path.sysfs}, {@code --path.rootfs}, {@code --path.udev.data} (in the DaemonSet the host's trees
 * are mounted under /host) and the enabled collectors. Immutable; see {@link #builder()} and {@link #fromArgs}.
 */
public final class NodeExporterConfig {

    /** The collectors Caravan implements, which are also the default set. */
    public static final List<String> DEFAULT_COLLECTORS = List.of(
        "cpu", "diskstats", "filesystem", "loadavg", "meminfo", "netdev", "netstat", "stat", "time", "uname", "vmstat");

    public static final String USAGE = String.join("\n",
        "usage: node-metrics [--path.procfs DIR] [--path.sysfs DIR] [--path.rootfs DIR] [--path.udev.data DIR]",
        "                    [--collectors NAME,NAME,...]",
        "  --path.procfs DIR     procfs mountpoint (default /proc)",
        "  --path.sysfs DIR      sysfs mountpoint (default /sys)",
        "  --path.rootfs DIR     rootfs mountpoint (default /)",
        "  --path.udev.data DIR  udev data path (default /run/udev/data)",
        "  --collectors LIST     comma-separated collectors (default " + String.join(",", DEFAULT_COLLECTORS) + ")",
        "Flags also take the form --flag=VALUE.");

    private final String procfs;
    private final String sysfs;
    private final String rootfs;
    private final String udevData;
    private final List<String> collectors;
    private final Duration collectorTimeout;
    private final Duration mountTimeout;
    private final Statfs statfs;
    private final Clock clock;

    private NodeExporterConfig(Builder b) {
        this.procfs = trimSlash(b.procfs);
        this.sysfs = trimSlash(b.sysfs);
        this.rootfs = trimSlash(b.rootfs);
        this.udevData = trimSlash(b.udevData);
        this.collectors = Collections.unmodifiableList(new ArrayList<>(b.collectors));
        this.collectorTimeout = b.collectorTimeout;
        this.mountTimeout = b.mountTimeout;
        this.statfs = b.statfs;
        this.clock = b.clock;
    }

    private static String trimSlash(String p) {
        while (p.length() > 1 && p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        return p;
    }

    public static NodeExporterConfig defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.procfs = procfs;
        b.sysfs = sysfs;
        b.rootfs = rootfs;
        b.udevData = udevData;
        b.collectors = new ArrayList<>(collectors);
        b.collectorTimeout = collectorTimeout;
        b.mountTimeout = mountTimeout;
        b.statfs = statfs;
        b.clock = clock;
        return b;
    }

    /**
     * Parses node_exporter-style flags ({@code --path.procfs DIR} or {@code --path.procfs=DIR}, ...).
     *
     * @throws IllegalArgumentException with a message that ends in the usage text
     */
    public static NodeExporterConfig fromArgs(String[] args) {
        Builder b = builder();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            String flag = a;
            String value = null;
            int eq = a.indexOf('=');
            if (a.startsWith("--") && eq > 0) {
                flag = a.substring(0, eq);
                value = a.substring(eq + 1);
            }
            switch (flag) {
                case "--path.procfs", "--path.sysfs", "--path.rootfs", "--path.udev.data", "--collectors" -> {
                    if (value == null) {
                        if (i + 1 >= args.length) {
                            throw bad("flag " + flag + " needs a value");
                        }
                        value = args[++i];
                    }
                    if (value.isEmpty()) {
                        throw bad("flag " + flag + " needs a non-empty value");
                    }
                    switch (flag) {
                        case "--path.procfs" -> b.procfs(value);
                        case "--path.sysfs" -> b.sysfs(value);
                        case "--path.rootfs" -> b.rootfs(value);
                        case "--path.udev.data" -> b.udevData(value);
                        default -> {
                            List<String> list = new ArrayList<>();
                            for (String c : value.split(",", -1)) {
                                String name = c.trim();
                                if (name.isEmpty()) {
                                    throw bad("empty collector name in --collectors " + value);
                                }
                                list.add(name);
                            }
                            try {
                                b.collectors(list);
                            } catch (IllegalArgumentException e) {
                                throw bad(e.getMessage());
                            }
                        }
                    }
                }
                case "-h", "--help" -> throw bad("help requested");
                default -> throw bad("unknown flag " + a);
            }
        }
        return b.build();
    }

    private static IllegalArgumentException bad(String why) {
        return new IllegalArgumentException("node-metrics: " + why + "\n" + USAGE);
    }

    public String procfs() {
        return procfs;
    }

    public String sysfs() {
        return sysfs;
    }

    public String rootfs() {
        return rootfs;
    }

    public String udevData() {
        return udevData;
    }

    public List<String> collectors() {
        return collectors;
    }

    public Duration collectorTimeout() {
        return collectorTimeout;
    }

    public Duration mountTimeout() {
        return mountTimeout;
    }

    Statfs statfs() {
        return statfs;
    }

    Clock clock() {
        return clock;
    }

    String procPath(String rel) {
        return procfs + "/" + rel;
    }

    String sysPath(String rel) {
        return sysfs + "/" + rel;
    }

    /** node_exporter's rootfsFilePath: the mount point as seen from here. */
    String rootfsPath(String mountPoint) {
        if ("/".equals(rootfs)) {
            return mountPoint;
        }
        String r = trimSlash(rootfs);
        return mountPoint.startsWith("/") ? r + mountPoint : r + "/" + mountPoint;
    }

    /** node_exporter's rootfsStripPrefix. */
    String rootfsStripPrefix(String path) {
        if ("/".equals(rootfs)) {
            return path;
        }
        String r = rootfs;
        String stripped = path.startsWith(r) ? path.substring(r.length()) : path;
        return stripped.isEmpty() ? "/" : stripped;
    }

    @Override
    public String toString() {
        return "NodeExporterConfig{procfs=" + procfs + ", sysfs=" + sysfs + ", rootfs=" + rootfs + ", udevData=" + udevData
            + ", collectors=" + collectors + ", collectorTimeout=" + collectorTimeout + ", mountTimeout=" + mountTimeout + "}";
    }

    public static final class Builder {
        private String procfs = "/proc";
        private String sysfs = "/sys";
        private String rootfs = "/";
        private String udevData = "/run/udev/data";
        private List<String> collectors = new ArrayList<>(DEFAULT_COLLECTORS);
        private Duration collectorTimeout = Duration.ofSeconds(10);
        private Duration mountTimeout = Duration.ofSeconds(5);
        private Statfs statfs;
        private Clock clock = Clock.systemDefaultZone();

        public Builder procfs(String v) {
            procfs = Objects.requireNonNull(v);
            return this;
        }

        public Builder sysfs(String v) {
            sysfs = Objects.requireNonNull(v);
            return this;
        }

        public Builder rootfs(String v) {
            rootfs = Objects.requireNonNull(v);
            return this;
        }

        public Builder udevData(String v) {
            udevData = Objects.requireNonNull(v);
            return this;
        }

        /** The collectors to run; each must be one of {@link #DEFAULT_COLLECTORS}; duplicates are dropped. */
        public Builder collectors(List<String> names) {
            List<String> unknown = new ArrayList<>();
            for (String n : names) {
                if (!DEFAULT_COLLECTORS.contains(n)) {
                    unknown.add(n);
                }
            }
            if (!unknown.isEmpty()) {
                throw new IllegalArgumentException("unknown collector(s) " + unknown + "; known: " + String.join(",", DEFAULT_COLLECTORS));
            }
            collectors = new ArrayList<>(new LinkedHashSet<>(names));
            return this;
        }

        /** How long one collector may run before it is reported as failed (default 10 s). */
        public Builder collectorTimeout(Duration d) {
            collectorTimeout = requirePositive(d);
            return this;
        }

        /** node_exporter's --collector.filesystem.mount-timeout (default 5 s). */
        public Builder mountTimeout(Duration d) {
            mountTimeout = requirePositive(d);
            return this;
        }

        /** The statfs implementation (tests); default: JNA when on the classpath, else the stat(1) command. */
        Builder statfs(Statfs s) {
            statfs = s;
            return this;
        }

        /** The clock of the time collector (tests). */
        Builder clock(Clock c) {
            clock = Objects.requireNonNull(c);
            return this;
        }

        private static Duration requirePositive(Duration d) {
            if (d == null || d.isZero() || d.isNegative()) {
                throw new IllegalArgumentException("timeout must be positive: " + d);
            }
            return d;
        }

        public NodeExporterConfig build() {
            return new NodeExporterConfig(this);
        }
    }
}

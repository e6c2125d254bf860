package io.caravan.node;

import java.io.File;
import java.io.IOException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * node_exporter's cpu collector with default flags (guest on, info off): node_cpu_seconds_total and
 * node_cpu_guest_seconds_total from the cpuN lines of /proc/stat (ticks / USER_HZ 100), with node_exporter's
 * guard against counters that jump backwards (hotplug: an idle drop of 3 s or more resets the CPU), offline
 * CPUs dropped; node_cpu_isolated from /sys/devices/system/cpu/isolated (read once, as node_exporter does);
 * node_cpu_core_throttles_total / node_cpu_package_throttles_total from thermal_throttle; node_cpu_online
 * from cpuN/online (nothing when cpu0 has no online file).
 */
final class CpuCollector implements Collector {

    private static final double USER_HZ = 100.0;
    private static final double JUMP_BACK_SECONDS = 3.0;
    private static final String[] MODES = {"user", "nice", "system", "idle", "iowait", "irq", "softirq", "steal"};
    // column order in /proc/stat: user nice system idle iowait irq softirq steal guest guest_nice
    private static final int IDLE = 3;

    private final NodeExporterConfig config;
    private final String statPath;
    private final String cpuDir;
    private final FileBuf file = new FileBuf(8192);
    private final FileBuf small = new FileBuf(64);
    private final int[] isolated;
    /** cpu id -> last exported counters (10 columns). */
    private final Map<Integer, double[]> stats = new HashMap<>();
    private final double[] fresh = new double[10];
    private String[] ids = new String[0];
    private boolean[] seen = new boolean[0];

    CpuCollector(NodeExporterConfig config) {
        this.config = config;
        this.statPath = config.procPath("stat");
        this.cpuDir = config.sysPath("devices/system/cpu");
        this.isolated = readIsolated(config.sysPath("devices/system/cpu/isolated"));
    }

    @Override
    public String name() {
        return "cpu";
    }

    private String id(int cpu) {
        if (cpu >= ids.length) {
            ids = Arrays.copyOf(ids, Math.max(cpu + 1, ids.length * 2 + 8));
        }
        String s = ids[cpu];
        if (s == null) {
            s = Integer.toString(cpu);
            ids[cpu] = s;
        }
        return s;
    }

    @Override
    public void collect(MetricFamilies out) throws IOException {
        updateStat(out);
        if (isolated != null) {
            MetricFamily f = out.family("node_cpu_isolated",
                "Whether each core is isolated, information from /sys/devices/system/cpu/isolated.", MetricType.GAUGE, "cpu");
            for (int c : isolated) {
                f.add1(1, id(c));
            }
        }
        updateSysfs(out);
    }

    private void updateStat(MetricFamilies out) throws IOException {
        file.read(statPath);
        if (seen.length < ids.length + 1) {
            seen = new boolean[Math.max(64, ids.length * 2)];
        }
        Arrays.fill(seen, false);
        int online = 0;
        int pos = 0;
        while (pos < file.len) {
            int end = file.lineEnd(pos);
            // "cpuN ..." lines; the aggregate "cpu " line is skipped
            if (end - pos > 3 && file.buf[pos] == 'c' && file.buf[pos + 1] == 'p' && file.buf[pos + 2] == 'u'
                && file.buf[pos + 3] >= '0' && file.buf[pos + 3] <= '9') {
                int ne = file.tokenEnd(pos + 3, end);
                long cpu = file.parseUnsigned(pos + 3, ne);
                if (cpu < 0 || cpu > 1_000_000) {
                    throw new IOException("couldn't parse " + file.utf8(pos, ne) + " in " + statPath);
                }
                Arrays.fill(fresh, 0);
                int p = file.skipSpaces(ne, end);
                for (int col = 0; col < 10 && p < end; col++) {
                    int e = file.tokenEnd(p, end);
                    double v = file.parseUnsignedAsDouble(p, e);
                    if (Double.isNaN(v)) {
                        throw new IOException("couldn't parse " + file.utf8(p, e) + " in " + statPath);
                    }
                    fresh[col] = v / USER_HZ;
                    p = file.skipSpaces(e, end);
                }
                update((int) cpu);
                if (cpu >= seen.length) {
                    seen = Arrays.copyOf(seen, (int) cpu * 2 + 1);
                }
                seen[(int) cpu] = true;
                online++;
            }
            pos = end + 1;
        }
        if (online != stats.size()) {
            stats.keySet().removeIf(k -> k >= seen.length || !seen[k]);
        }
        MetricFamily seconds = out.family("node_cpu_seconds_total", "Seconds the CPUs spent in each mode.", MetricType.COUNTER, "cpu", "mode");
        MetricFamily guest = out.family("node_cpu_guest_seconds_total", "Seconds the CPUs spent in guests (VMs) for each mode.",
            MetricType.COUNTER, "cpu", "mode");
        for (Map.Entry<Integer, double[]> e : stats.entrySet()) {
            String cpu = id(e.getKey());
            double[] s = e.getValue();
            for (int m = 0; m < MODES.length; m++) {
                seconds.add2(s[m], cpu, MODES[m]);
            }
            guest.add2(s[8], cpu, "user");
            guest.add2(s[9], cpu, "nice");
        }
    }

    /** node_exporter's updateCPUStats for one CPU: counters only move forward; a big idle drop resets. */
    private void update(int cpu) {
        double[] old = stats.get(cpu);
        if (old == null) {
            old = new double[10];
            stats.put(cpu, old);
        }
        if (old[IDLE] - fresh[IDLE] >= JUMP_BACK_SECONDS) {
            Arrays.fill(old, 0);
        }
        for (int i = 0; i < 10; i++) {
            if (fresh[i] >= old[i]) {
                old[i] = fresh[i];
            }
        }
    }

    private void updateSysfs(MetricFamilies out) throws IOException {
        File dir = new File(cpuDir);
        String[] entries = dir.list();
        if (entries == null) {
            throw new IOException("couldn't list " + cpuDir);
        }
        Arrays.sort(entries); // filepath.Glob returns sorted names
        TreeMap<Long, Long> packageThrottles = null;
        TreeMap<Long, TreeMap<Long, Long>> coreThrottles = null;
        boolean onlineSupported = false;
        boolean first = true;
        MetricFamily onlineFamily = null;
        for (String name : entries) {
            if (!isCpuDir(name)) {
                continue;
            }
            String base = cpuDir + "/" + name;
            // node_cpu_online: no-op when the first CPU has no "online" file
            if (first) {
                first = false;
                onlineSupported = new File(base + "/online").exists();
                if (onlineSupported) {
                    onlineFamily = out.family("node_cpu_online", "CPUs that are online and being scheduled.", MetricType.GAUGE, "cpu");
                }
            }
            if (onlineSupported) {
                double on = 0;
                if (small.tryRead(base + "/online")) {
                    String v = small.trimmed();
                    on = "1".equals(v) ? 1 : 0;
                }
                onlineFamily.add1(on, name.substring(3));
            }
            long pkg = readUint(base + "/topology/physical_package_id");
            if (pkg < 0) {
                continue;
            }
            long core = readUint(base + "/topology/core_id");
            if (core < 0) {
                continue;
            }
            if (coreThrottles == null) {
                coreThrottles = new TreeMap<>();
                packageThrottles = new TreeMap<>();
            }
            TreeMap<Long, Long> cores = coreThrottles.computeIfAbsent(pkg, k -> new TreeMap<>());
            if (!cores.containsKey(core)) {
                long n = readUint(base + "/thermal_throttle/core_throttle_count");
                if (n >= 0) {
                    cores.put(core, n);
                }
            }
            if (!packageThrottles.containsKey(pkg)) {
                long n = readUint(base + "/thermal_throttle/package_throttle_count");
                if (n >= 0) {
                    packageThrottles.put(pkg, n);
                }
            }
        }
        if (packageThrottles != null) {
            MetricFamily pf = out.family("node_cpu_package_throttles_total", "Number of times this CPU package has been throttled.",
                MetricType.COUNTER, "package");
            for (Map.Entry<Long, Long> e : packageThrottles.entrySet()) {
                pf.add1(e.getValue(), Long.toString(e.getKey()));
            }
            MetricFamily cf = out.family("node_cpu_core_throttles_total", "Number of times this CPU core has been throttled.",
                MetricType.COUNTER, "package", "core");
            for (Map.Entry<Long, TreeMap<Long, Long>> e : coreThrottles.entrySet()) {
                for (Map.Entry<Long, Long> c : e.getValue().entrySet()) {
                    cf.add2(c.getValue(), Long.toString(e.getKey()), Long.toString(c.getKey()));
                }
            }
        }
    }

    /** Matches the glob cpu[0-9]* as node_exporter's does. */
    private static boolean isCpuDir(String name) {
        return name.length() > 3 && name.startsWith("cpu") && name.charAt(3) >= '0' && name.charAt(3) <= '9';
    }

    private long readUint(String path) {
        if (!small.tryRead(path)) {
            return -1;
        }
        String s = small.trimmed();
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** The CPU list in /sys/devices/system/cpu/isolated ("1,3-5"), null when the file is missing. */
    private static int[] readIsolated(String path) {
        FileBuf f = new FileBuf(256);
        if (!f.tryRead(path)) {
            return null;
        }
        String s = f.trimmed();
        if (s.isEmpty()) {
            return new int[0];
        }
        int[] out = new int[0];
        try {
            for (String part : s.split(",")) {
                int dash = part.indexOf('-');
                int lo = Integer.parseInt(part.substring(0, dash < 0 ? part.length() : dash).trim());
                int hi = dash < 0 ? lo : Integer.parseInt(part.substring(dash + 1).trim());
                for (int c = lo; c <= hi; c++) {
                    out = Arrays.copyOf(out, out.length + 1);
                    out[out.length - 1] = c;
                }
            }
        } catch (RuntimeException e) {
            return null;
        }
        return out;
    }
}

package io.caravan.node;

import java.io.File;
import java.io.IOException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * node_exporter's diskstats collector: /proc/diskstats (lines with fewer than 14 fields are skipped, as
 * procfs does; a line with N fields yields the first N-3 of the 17 counters), node_disk_info with udev
 * properties from --path.udev.data/b{major}:{minor} and queue/rotational from sysfs, the udev-derived
 * filesystem, device-mapper and ATA families. Default device exclude:
 * ^(z?ram|loop|fd|(h|s|v|xv)d[a-z]|nvme\d+n\d+p)\d+$
 */
final class DiskstatsCollector implements Collector {

    static final String DEFAULT_EXCLUDE = "^(z?ram|loop|fd|(h|s|v|xv)d[a-z]|nvme\\d+n\\d+p)\\d+$";

    private static final double SECONDS_PER_TICK = 1.0 / 1000.0;
    private static final double SECTOR = 512.0;

    /** name, help, type; in /proc/diskstats column order. */
    private static final String[][] STATS = {
        {"reads_completed_total", "The total number of reads completed successfully."},
        {"reads_merged_total", "The total number of reads merged."},
        {"read_bytes_total", "The total number of bytes read successfully."},
        {"read_time_seconds_total", "The total number of seconds spent by all reads."},
        {"writes_completed_total", "The total number of writes completed successfully."},
        {"writes_merged_total", "The number of writes merged."},
        {"written_bytes_total", "The total number of bytes written successfully."},
        {"write_time_seconds_total", "This is the total number of seconds spent by all writes."},
        {"io_now", "The number of I/Os currently in progress."},
        {"io_time_seconds_total", "Total seconds spent doing I/Os."},
        {"io_time_weighted_seconds_total", "The weighted # of seconds spent doing I/Os."},
        {"discards_completed_total", "The total number of discards completed successfully."},
        {"discards_merged_total", "The total number of discards merged."},
        {"discarded_sectors_total", "The total number of sectors discarded successfully."},
        {"discard_time_seconds_total", "This is the total number of seconds spent by all discards."},
        {"flush_requests_total", "The total number of flush requests completed successfully"},
        {"flush_requests_time_seconds_total", "This is the total number of seconds spent by all flush requests."},
    };
    /** multiplier per column: 1, sectors to bytes, or ticks to seconds */
    private static final double[] SCALE = {1, 1, SECTOR, SECONDS_PER_TICK, 1, 1, SECTOR, SECONDS_PER_TICK, 1,
        SECONDS_PER_TICK, SECONDS_PER_TICK, 1, 1, 1, SECONDS_PER_TICK, 1, SECONDS_PER_TICK};

    private static final String[][] ATA = {
        {"ID_ATA_WRITE_CACHE", "node_disk_ata_write_cache", "ATA disk has a write cache."},
        {"ID_ATA_WRITE_CACHE_ENABLED", "node_disk_ata_write_cache_enabled", "ATA disk has its write cache enabled."},
        {"ID_ATA_ROTATION_RATE_RPM", "node_disk_ata_rotation_rate_rpm", "ATA disk rotation rate in RPMs (0 for SSDs)."},
    };

    private final String path;
    private final String sysBlock;
    private final String udevDir;
    private final boolean udevEnabled;
    private final FileBuf file = new FileBuf(8192);
    private final FileBuf small = new FileBuf(1024);
    private final NameCache names = new NameCache();
    private final FieldFilter filter = FieldFilter.exclude(DEFAULT_EXCLUDE);
    private final double[] row = new double[17];
    private final Map<String, DevicePaths> devicePaths = new HashMap<>();
    private final Map<Long, String> numbers = new HashMap<>();
    private MetricFamily[] stats;
    private MetricFamily info;

    DiskstatsCollector(NodeExporterConfig config) {
        this.path = config.procPath("diskstats");
        this.sysBlock = config.sysPath("block/");
        this.udevDir = config.udevData();
        // as node_exporter: udev properties only when the directory is there
        this.udevEnabled = new File(udevDir).isDirectory();
    }

    @Override
    public String name() {
        return "diskstats";
    }

    private String number(long n) {
        String s = numbers.get(n);
        if (s == null) {
            s = Long.toString(n);
            numbers.put(n, s);
        }
        return s;
    }

    @Override
    public void collect(MetricFamilies out) throws IOException {
        file.read(path);
        if (stats == null) {
            stats = new MetricFamily[STATS.length];
            for (int i = 0; i < STATS.length; i++) {
                stats[i] = out.family("node_disk_" + STATS[i][0], STATS[i][1], i == 8 ? MetricType.GAUGE : MetricType.COUNTER, "device");
            }
            info = out.family("node_disk_info", "Info of /sys/block/<block_device>.", MetricType.GAUGE,
                "device", "major", "minor", "path", "wwn", "model", "serial", "revision", "rotational");
        }
        int pos = 0;
        int line = 0;
        while (pos < file.len) {
            int end = file.lineEnd(pos);
            int p = file.skipSpaces(pos, end);
            int e = file.tokenEnd(p, end);
            long major = file.parseUnsigned(p, e);
            p = file.skipSpaces(e, end);
            e = file.tokenEnd(p, end);
            long minor = file.parseUnsigned(p, e);
            p = file.skipSpaces(e, end);
            e = file.tokenEnd(p, end);
            if (major < 0 || minor < 0 || e == p) {
                pos = end + 1;
                continue;
            }
            String dev = names.get(line++, file.buf, p, e);
            p = file.skipSpaces(e, end);
            int n = 0;
            boolean ok = true;
            while (p < end && n < 17) {
                e = file.tokenEnd(p, end);
                double v = file.parseUnsignedAsDouble(p, e);
                if (Double.isNaN(v)) {
                    ok = false;
                    break;
                }
                row[n++] = v;
                p = file.skipSpaces(e, end);
            }
            if (!ok) {
                throw new IOException("couldn't get diskstats: bad value in line " + file.utf8(pos, end));
            }
            pos = end + 1;
            if (n + 3 < 14 || filter.ignored(dev)) {
                continue;
            }
            DevicePaths dp = devicePaths.get(dev);
            if (dp == null || dp.major != major || dp.minor != minor) {
                dp = new DevicePaths(major, minor, new String[] {sysBlock + dev + "/queue/rotational",
                    udevDir + "/b" + major + ":" + minor, null, sysBlock + dev + "/slaves"});
                devicePaths.put(dev, dp);
            }
            String[] paths = dp.paths;
            Map<String, String> udev = udevEnabled ? readUdev(paths[1]) : Map.of();
            String serial = nonEmpty(udev.get("SCSI_IDENT_SERIAL"), udev.get("ID_SERIAL_SHORT"), udev.get("ID_SERIAL"));
            String rotational = "0";
            if (small.tryRead(paths[0])) {
                String r = small.trimmed();
                try {
                    rotational = Long.toBinaryString(Long.parseLong(r));
                } catch (NumberFormatException ignored) {
                    rotational = "0";
                }
            }
            info.add(1, dev, number(major), number(minor), get(udev, "ID_PATH"), get(udev, "ID_WWN"), get(udev, "ID_MODEL"), serial,
                get(udev, "ID_REVISION"), rotational);
            for (int i = 0; i < n; i++) {
                stats[i].add1(row[i] * SCALE[i], dev);
            }
            if (udev.isEmpty()) {
                continue;
            }
            String fsType = udev.get("ID_FS_TYPE");
            if (fsType != null && !fsType.isEmpty()) {
                out.family("node_disk_filesystem_info", "Info about disk filesystem.", MetricType.GAUGE,
                        "device", "type", "usage", "uuid", "version")
                    .add(1, dev, fsType, get(udev, "ID_FS_USAGE"), get(udev, "ID_FS_UUID"), get(udev, "ID_FS_VERSION"));
            }
            String dmName = udev.get("DM_NAME");
            if (dmName != null && !dmName.isEmpty()) {
                out.family("node_disk_device_mapper_info", "Info about disk device mapper.", MetricType.GAUGE,
                        "device", "name", "uuid", "vg_name", "lv_name", "lv_layer")
                    .add(1, dev, dmName, get(udev, "DM_UUID"), get(udev, "DM_VG_NAME"), get(udev, "DM_LV_NAME"), get(udev, "DM_LV_LAYER"));
                String[] slaves = new File(paths[3]).list();
                if (slaves != null) {
                    Arrays.sort(slaves);
                    MetricFamily backing = out.family("node_disk_device_mapper_backing_device_info",
                        "Info about the underlying block devices of a device mapper device.", MetricType.GAUGE, "device", "backing_device");
                    for (String s : slaves) {
                        backing.add2(1, dev, s);
                    }
                }
            }
            String ata = udev.get("ID_ATA");
            if (ata != null && !ata.isEmpty()) {
                for (String[] a : ATA) {
                    String v = udev.get(a[0]);
                    if (v == null) {
                        continue;
                    }
                    try {
                        double d = Double.parseDouble(v);
                        out.family(a[1], a[2], MetricType.GAUGE, "device").add1(d, dev);
                    } catch (NumberFormatException ignored) {
                        // node_exporter logs and skips
                    }
                }
            }
        }
    }

    private static String get(Map<String, String> m, String k) {
        String v = m.get(k);
        return v == null ? "" : v;
    }

    private static String nonEmpty(String a, String b, String c) {
        if (a != null && !a.isEmpty()) {
            return a;
        }
        if (b != null && !b.isEmpty()) {
            return b;
        }
        return c == null ? "" : c;
    }

    /** The E:KEY=VALUE lines of a udev database file; empty when it cannot be read. */
    private Map<String, String> readUdev(String p) {
        if (!small.tryRead(p)) {
            return Map.of();
        }
        Map<String, String> m = new HashMap<>();
        int pos = 0;
        while (pos < small.len) {
            int end = small.lineEnd(pos);
            if (end - pos > 2 && small.buf[pos] == 'E' && small.buf[pos + 1] == ':') {
                int eq = pos + 2;
                while (eq < end && small.buf[eq] != '=') {
                    eq++;
                }
                if (eq < end) {
                    m.put(small.utf8(pos + 2, eq), small.utf8(eq + 1, end));
                }
            }
            pos = end + 1;
        }
        return m;
    }

    private static final class DevicePaths {
        final long major;
        final long minor;
        final String[] paths;

        DevicePaths(long major, long minor, String[] paths) {
            this.major = major;
            this.minor = minor;
            this.paths = paths;
        }
    }
}

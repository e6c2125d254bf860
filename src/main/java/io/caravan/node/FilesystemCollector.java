package io.caravan.node;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * node_exporter's filesystem collector (1.9): mounts from /proc/1/mountinfo (falling back to
 * /proc/self/mountinfo), default mount-point and fs-type excludes, statfs of each mount under
 * --path.rootfs with at most 4 calls in flight (--collector.filesystem.stat-workers), each bounded by
 * --collector.filesystem.mount-timeout (5 s). A mount whose statfs times out is marked stuck and skipped
 * (device_error 1, device_error="mountpoint timeout") until that statfs call returns, as node_exporter's
 * stuckMounts does; unlike node_exporter 1.9, whose worker still waits for the hung call, the scrape
 * itself never waits longer than the timeout.
 */
final class FilesystemCollector implements Collector {

    static final String DEFAULT_MOUNT_POINTS_EXCLUDE =
        "^/(dev|proc|run/credentials/.+|sys|var/lib/docker/.+|var/lib/containers/storage/.+)($|/)";
    static final String DEFAULT_FS_TYPES_EXCLUDE = "^(autofs|binfmt_misc|bpf|cgroup2?|configfs|debugfs|devpts|devtmpfs|fusectl"
        + "|hugetlbfs|iso9660|mqueue|nsfs|overlay|proc|procfs|pstore|rpc_pipefs|securityfs|selinuxfs|squashfs|erofs|sysfs|tracefs)$";
    static final int STAT_WORKERS = 4;
    static final String TIMEOUT_ERROR = "mountpoint timeout";

    private static final String[] LABELS = {"device", "mountpoint", "fstype", "device_error"};

    private final NodeExporterConfig config;
    private final String rootMountinfo;
    private final String selfMountinfo;
    private final Statfs statfs;
    private final ExecutorService pool;
    private final long timeoutNanos;
    private final FileBuf file = new FileBuf(16384);
    private final FieldFilter mountPointFilter = FieldFilter.exclude(DEFAULT_MOUNT_POINTS_EXCLUDE);
    private final FieldFilter fsTypeFilter = FieldFilter.exclude(DEFAULT_FS_TYPES_EXCLUDE);
    /** mount point -> the statfs call still running on it */
    private final Map<String, Future<Statfs.Result>> stuck = new HashMap<>();
    private final Map<String, String> mountPointCache = new HashMap<>();

    FilesystemCollector(NodeExporterConfig config, Statfs statfs, ExecutorService pool) {
        this.config = config;
        this.rootMountinfo = config.procPath("1/mountinfo");
        this.selfMountinfo = config.procPath("self/mountinfo");
        this.statfs = statfs;
        this.pool = pool;
        this.timeoutNanos = config.mountTimeout().toNanos();
    }

    @Override
    public String name() {
        return "filesystem";
    }

    static final class Mount {
        String device;
        String mountPoint;
        String fsType;
        String major;
        String minor;
        boolean readOnly;
        String deviceError = "";
        double error;
        Statfs.Result stats;
        Future<Statfs.Result> future;
        long started;
    }

    @Override
    public void collect(MetricFamilies out) throws Exception {
        if (!file.tryRead(rootMountinfo)) {
            file.read(selfMountinfo);
        }
        List<Mount> mounts = parse();
        // statfs, at most STAT_WORKERS in flight, each bounded by the mount timeout
        ArrayDeque<Mount> inFlight = new ArrayDeque<>();
        for (Mount m : mounts) {
            Future<Statfs.Result> hung = stuck.get(m.mountPoint);
            if (hung != null) {
                if (!hung.isDone()) {
                    m.error = 1;
                    m.deviceError = TIMEOUT_ERROR;
                    m.readOnly = false;
                    continue;
                }
                stuck.remove(m.mountPoint); // recovered
            }
            if (inFlight.size() == STAT_WORKERS) {
                finish(inFlight.poll());
            }
            final String target = config.rootfsPath(m.mountPoint);
            m.started = System.nanoTime();
            m.future = pool.submit(() -> statfs.statfs(target));
            inFlight.add(m);
        }
        while (!inFlight.isEmpty()) {
            finish(inFlight.poll());
        }

        MetricFamily deviceError = out.family("node_filesystem_device_error",
            "Whether an error occurred while getting statistics for the given device.", MetricType.GAUGE, LABELS);
        MetricFamily readonly = out.family("node_filesystem_readonly", "Filesystem read-only status.", MetricType.GAUGE, LABELS);
        MetricFamily size = out.family("node_filesystem_size_bytes", "Filesystem size in bytes.", MetricType.GAUGE, LABELS);
        MetricFamily free = out.family("node_filesystem_free_bytes", "Filesystem free space in bytes.", MetricType.GAUGE, LABELS);
        MetricFamily avail = out.family("node_filesystem_avail_bytes", "Filesystem space available to non-root users in bytes.",
            MetricType.GAUGE, LABELS);
        MetricFamily files = out.family("node_filesystem_files", "Filesystem total file nodes.", MetricType.GAUGE, LABELS);
        MetricFamily filesFree = out.family("node_filesystem_files_free", "Filesystem total free file nodes.", MetricType.GAUGE, LABELS);
        MetricFamily mountInfo = out.family("node_filesystem_mount_info", "Filesystem mount information.", MetricType.GAUGE,
            "device", "major", "minor", "mountpoint");
        Set<String> seen = new HashSet<>();
        for (Mount m : mounts) {
            // node_exporter exposes a label set once even when a mount is listed twice
            String key = m.device + '\0' + m.mountPoint + '\0' + m.fsType + '\0' + m.deviceError + '\0' + m.major + '\0' + m.minor;
            if (!seen.add(key)) {
                continue;
            }
            String[] l = {m.device, m.mountPoint, m.fsType, m.deviceError};
            deviceError.add(m.error, l);
            readonly.add(m.readOnly ? 1 : 0, l);
            if (m.error > 0) {
                continue;
            }
            Statfs.Result r = m.stats;
            double bsize = (double) r.bsize;
            size.add(unsigned(r.blocks) * bsize, l);
            free.add(unsigned(r.bfree) * bsize, l);
            avail.add(unsigned(r.bavail) * bsize, l);
            files.add(unsigned(r.files), l);
            filesFree.add(unsigned(r.ffree), l);
            mountInfo.add(1, m.device, m.major, m.minor, m.mountPoint);
        }
    }

    private static double unsigned(long v) {
        return v >= 0 ? (double) v : (double) (v >>> 1) * 2.0 + (v & 1);
    }

    private void finish(Mount m) throws InterruptedException {
        long left = m.started + timeoutNanos - System.nanoTime();
        try {
            m.stats = m.future.get(Math.max(0, left), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            // mark stuck until the call returns; report it like node_exporter reports a stuck mount
            stuck.put(m.mountPoint, m.future);
            m.error = 1;
            m.deviceError = TIMEOUT_ERROR;
            m.readOnly = false;
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            m.error = 1;
            m.deviceError = c instanceof IOException && c.getMessage() != null ? c.getMessage() : String.valueOf(c);
        }
        m.future = null;
    }

    /** /proc/PID/mountinfo: id parent major:minor root mountpoint options [optional...] - fstype source superoptions */
    private List<Mount> parse() throws IOException {
        List<Mount> mounts = new ArrayList<>();
        List<int[]> fields = new ArrayList<>(16);
        int pos = 0;
        while (pos < file.len) {
            int end = file.lineEnd(pos);
            fields.clear();
            int p = file.skipSpaces(pos, end);
            while (p < end) {
                int e = file.tokenEnd(p, end);
                fields.add(new int[] {p, e});
                p = file.skipSpaces(e, end);
            }
            if (fields.isEmpty()) {
                pos = end + 1;
                continue;
            }
            if (fields.size() < 10) {
                throw new IOException("malformed mount point information: " + file.utf8(pos, end));
            }
            int sep = 6;
            while (sep < fields.size() && !file.equalsAscii(fields.get(sep)[0], fields.get(sep)[1], "-")) {
                sep++;
            }
            if (sep + 3 >= fields.size() + 1 || sep + 2 >= fields.size()) {
                throw new IOException("malformed mount point information: " + file.utf8(pos, end));
            }
            int[] mm = fields.get(2);
            int colon = mm[0];
            while (colon < mm[1] && file.buf[colon] != ':') {
                colon++;
            }
            long major = file.parseUnsigned(mm[0], colon);
            long minor = colon < mm[1] ? file.parseUnsigned(colon + 1, mm[1]) : -1;
            if (major < 0 || minor < 0) {
                throw new IOException("malformed mount point MajorMinorVer: " + file.utf8(mm[0], mm[1]));
            }
            Mount m = new Mount();
            m.fsType = str(fields.get(sep + 1));
            m.device = sep + 2 < fields.size() ? str(fields.get(sep + 2)) : "";
            m.mountPoint = mountPoint(str(fields.get(4)));
            if (mountPointFilter.ignored(m.mountPoint) || fsTypeFilter.ignored(m.fsType)) {
                pos = end + 1;
                continue;
            }
            m.major = Long.toString(major);
            m.minor = Long.toString(minor);
            boolean ro = hasOption(fields.get(5));
            if (!ro && sep + 3 < fields.size()) {
                ro = hasOption(fields.get(sep + 3));
            }
            m.readOnly = ro;
            mounts.add(m);
            pos = end + 1;
        }
        return mounts;
    }

    private String str(int[] f) {
        return file.utf8(f[0], f[1]);
    }

    /** \040 and \011 translated, as node_exporter does (fstab(5)); then --path.rootfs stripped. */
    private String mountPoint(String raw) {
        String cached = mountPointCache.get(raw);
        if (cached != null) {
            return cached;
        }
        String mp = raw.replace("\\040", " ").replace("\\011", "\t");
        mp = config.rootfsStripPrefix(mp);
        if (mountPointCache.size() > 4096) {
            mountPointCache.clear();
        }
        mountPointCache.put(raw, mp);
        return mp;
    }

    /** Whether a comma-separated option list contains "ro". */
    private boolean hasOption(int[] f) {
        int s = f[0];
        for (int i = f[0]; i <= f[1]; i++) {
            if (i == f[1] || file.buf[i] == ',') {
                if (i - s == 2 && file.buf[s] == 'r' && file.buf[s + 1] == 'o') {
                    return true;
                }
                s = i + 1;
            }
        }
        return false;
    }
}

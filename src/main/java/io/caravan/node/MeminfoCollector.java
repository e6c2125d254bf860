package io.caravan.node;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/**
 * node_exporter's meminfo collector as of 1.9: the /proc/meminfo fields that procfs' Meminfo struct knows,
 * as node_memory_&lt;Field&gt;_bytes (kB values times 1024) and node_memory_HugePages_{Free,Rsvd,Surp,Total}
 * (page counts). Fields procfs does not know (Balloon, Hugetlb, KReclaimable, SecPageTables, FileHugePages,
 * FilePmdMapped, ...) are not exported; Debian's 1.5 still exported every line.
 */
final class MeminfoCollector implements Collector {

    /** /proc/meminfo key (without ':') to metric suffix. */
    static final String[][] FIELDS = {
        {"Active", "Active_bytes"}, {"Active(anon)", "Active_anon_bytes"}, {"Active(file)", "Active_file_bytes"},
        {"AnonHugePages", "AnonHugePages_bytes"}, {"AnonPages", "AnonPages_bytes"}, {"Bounce", "Bounce_bytes"},
        {"Buffers", "Buffers_bytes"}, {"Cached", "Cached_bytes"}, {"CmaFree", "CmaFree_bytes"},
        {"CmaTotal", "CmaTotal_bytes"}, {"CommitLimit", "CommitLimit_bytes"}, {"Committed_AS", "Committed_AS_bytes"},
        {"DirectMap1G", "DirectMap1G_bytes"}, {"DirectMap2M", "DirectMap2M_bytes"}, {"DirectMap4k", "DirectMap4k_bytes"},
        {"Dirty", "Dirty_bytes"}, {"HardwareCorrupted", "HardwareCorrupted_bytes"}, {"Hugepagesize", "Hugepagesize_bytes"},
        {"Inactive", "Inactive_bytes"}, {"Inactive(anon)", "Inactive_anon_bytes"}, {"Inactive(file)", "Inactive_file_bytes"},
        {"KernelStack", "KernelStack_bytes"}, {"Mapped", "Mapped_bytes"}, {"MemAvailable", "MemAvailable_bytes"},
        {"MemFree", "MemFree_bytes"}, {"MemTotal", "MemTotal_bytes"}, {"Mlocked", "Mlocked_bytes"},
        {"NFS_Unstable", "NFS_Unstable_bytes"}, {"PageTables", "PageTables_bytes"}, {"Percpu", "Percpu_bytes"},
        {"SReclaimable", "SReclaimable_bytes"}, {"SUnreclaim", "SUnreclaim_bytes"}, {"Shmem", "Shmem_bytes"},
        {"ShmemHugePages", "ShmemHugePages_bytes"}, {"ShmemPmdMapped", "ShmemPmdMapped_bytes"}, {"Slab", "Slab_bytes"},
        {"SwapCached", "SwapCached_bytes"}, {"SwapFree", "SwapFree_bytes"}, {"SwapTotal", "SwapTotal_bytes"},
        {"Unevictable", "Unevictable_bytes"}, {"VmallocChunk", "VmallocChunk_bytes"}, {"VmallocTotal", "VmallocTotal_bytes"},
        {"VmallocUsed", "VmallocUsed_bytes"}, {"Writeback", "Writeback_bytes"}, {"WritebackTmp", "WritebackTmp_bytes"},
        {"Zswap", "Zswap_bytes"}, {"Zswapped", "Zswapped_bytes"},
        {"HugePages_Free", "HugePages_Free"}, {"HugePages_Rsvd", "HugePages_Rsvd"},
        {"HugePages_Surp", "HugePages_Surp"}, {"HugePages_Total", "HugePages_Total"},
    };

    private final String path;
    private final FileBuf file = new FileBuf(8192);
    private final NameCache names = new NameCache();
    private final MetricFamily[] families = new MetricFamily[FIELDS.length];
    private final Map<String, Integer> index = new HashMap<>();

    MeminfoCollector(NodeExporterConfig config) {
        this.path = config.procPath("meminfo");
        for (int i = 0; i < FIELDS.length; i++) {
            index.put(FIELDS[i][0], i);
        }
    }

    @Override
    public String name() {
        return "meminfo";
    }

    @Override
    public void collect(MetricFamilies out) throws IOException {
        file.read(path);
        int pos = 0;
        int line = 0;
        while (pos < file.len) {
            int end = file.lineEnd(pos);
            int s = file.skipSpaces(pos, end);
            if (s == end) {
                pos = end + 1;
                continue;
            }
            int ke = file.tokenEnd(s, end);
            int vs = file.skipSpaces(ke, end);
            int ve = file.tokenEnd(vs, end);
            int us = file.skipSpaces(ve, end);
            int ue = file.tokenEnd(us, end);
            if (vs == ve || file.skipSpaces(ue, end) != end) {
                throw new IOException("malformed line in " + path + ": " + file.utf8(pos, end));
            }
            long v = file.parseUnsigned(vs, ve);
            if (v < 0) {
                throw new IOException("invalid value in " + path + ": " + file.utf8(pos, end));
            }
            boolean kb = false;
            if (us < ue) {
                if (!file.equalsAscii(us, ue, "kB")) {
                    throw new IOException("unsupported unit in " + path + ": " + file.utf8(pos, end));
                }
                kb = true;
            }
            int keyEnd = file.buf[ke - 1] == ':' ? ke - 1 : ke;
            String key = names.get(line++, file.buf, s, keyEnd);
            Integer i = index.get(key);
            if (i != null) {
                MetricFamily f = families[i];
                if (f == null) {
                    String suffix = FIELDS[i][1];
                    f = out.family("node_memory_" + suffix, "Memory information field " + suffix + ".",
                        suffix.endsWith("_total") ? MetricType.COUNTER : MetricType.GAUGE);
                    families[i] = f;
                }
                boolean bytes = FIELDS[i][1].endsWith("_bytes");
                f.add(bytes && kb ? 1024.0 * v : (double) v);
            }
            pos = end + 1;
        }
    }
}

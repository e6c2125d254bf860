package io.caravan.node;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/** node_exporter's vmstat collector: /proc/vmstat fields matching --collector.vmstat.fields, untyped. */
final class VmstatCollector implements Collector {

    static final String DEFAULT_FIELDS = "^(oom_kill|pgpg|pswp|pg.*fault).*";

    private final String path;
    private final FileBuf file = new FileBuf(8192);
    private final NameCache names = new NameCache();
    private final FieldFilter filter = FieldFilter.include(DEFAULT_FIELDS);
    private final Map<String, MetricFamily> families = new HashMap<>();

    VmstatCollector(NodeExporterConfig config) {
        this.path = config.procPath("vmstat");
    }

    @Override
    public String name() {
        return "vmstat";
    }

    @Override
    public void collect(MetricFamilies out) throws IOException {
        file.read(path);
        int pos = 0;
        int line = 0;
        while (pos < file.len) {
            int end = file.lineEnd(pos);
            int ke = file.tokenEnd(pos, end);
            if (ke > pos) {
                String key = names.get(line++, file.buf, pos, ke);
                if (filter.accepted(key)) {
                    int vs = file.skipSpaces(ke, end);
                    int ve = file.tokenEnd(vs, end);
                    double v = file.parseDouble(vs, ve);
                    if (Double.isNaN(v)) {
                        throw new IOException("invalid value in " + path + ": " + file.utf8(pos, end));
                    }
                    MetricFamily f = families.get(key);
                    if (f == null) {
                        f = out.family("node_vmstat_" + key, "/proc/vmstat information field " + key + ".", MetricType.UNTYPED);
                        families.put(key, f);
                    }
                    f.add(v);
                }
            }
            pos = end + 1;
        }
    }
}

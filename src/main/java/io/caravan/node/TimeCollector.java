package io.caravan.node;

import java.io.File;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Arrays;

/**
 * node_exporter's time collector: node_time_seconds, node_time_zone_offset_seconds{time_zone} and the
 * clocksource info families from /sys/devices/system/clocksource/clocksourceN.
 */
final class TimeCollector implements Collector {

    private final Clock clock;
    private final String clocksourceDir;
    private final FileBuf file = new FileBuf(256);

    TimeCollector(NodeExporterConfig config) {
        this.clock = config.clock();
        this.clocksourceDir = config.sysPath("devices/system/clocksource");
    }

    @Override
    public String name() {
        return "time";
    }

    @Override
    public void collect(MetricFamilies out) throws IOException {
        Instant now = clock.instant();
        double seconds = (now.getEpochSecond() * 1_000_000_000.0 + now.getNano()) / 1e9;
        out.family("node_time_seconds", "System time in seconds since epoch (1970).", MetricType.GAUGE).add(seconds);
        ZoneId zone = clock.getZone();
        out.family("node_time_zone_offset_seconds", "System time zone offset in seconds.", MetricType.GAUGE, "time_zone")
            .add1(zone.getRules().getOffset(now).getTotalSeconds(), ZoneAbbreviation.of(zone, now));

        String[] entries = new File(clocksourceDir).list();
        if (entries == null) {
            return; // no clocksource directory: procfs' glob finds nothing, node_exporter exports nothing
        }
        Arrays.sort(entries);
        MetricFamily available = null;
        MetricFamily current = null;
        for (String name : entries) {
            if (!name.startsWith("clocksource") || name.length() == 11 || !Character.isDigit(name.charAt(11))) {
                continue;
            }
            String device = name.substring(11);
            String base = clocksourceDir + "/" + name;
            file.read(base + "/available_clocksource");
            if (available == null) {
                available = out.family("node_time_clocksource_available_info",
                    "Available clocksources read from '/sys/devices/system/clocksource'.", MetricType.GAUGE, "device", "clocksource");
                current = out.family("node_time_clocksource_current_info",
                    "Current clocksource read from '/sys/devices/system/clocksource'.", MetricType.GAUGE, "device", "clocksource");
            }
            int pos = 0;
            while (pos < file.len) {
                while (pos < file.len && FileBuf.isSpace(file.buf[pos])) {
                    pos++;
                }
                int e = pos;
                while (e < file.len && !FileBuf.isSpace(file.buf[e])) {
                    e++;
                }
                if (e > pos) {
                    available.add2(1, device, file.utf8(pos, e));
                }
                pos = e;
            }
            file.read(base + "/current_clocksource");
            current.add2(1, device, file.trimmed());
        }
    }
}

package io.caravan.scrape;

import io.caravan.model.MetricMetadata;
import io.caravan.scrape.parse.ExpositionParser;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One target's metric metadata, gathered from a body's TYPE, HELP and UNIT entries as Prometheus' scrape cache
 * keeps it: per family name, the last of each kind the body gave. A scrape whose metadata is the previous one's
 * hands on the same list, so a sink sees at a glance that nothing changed.
 */
final class FamilyMetadata {

    private final Map<String, String[]> building = new LinkedHashMap<>(); // family -> {type, help, unit}
    private List<MetricMetadata> last = List.of();

    void begin() {
        building.clear();
    }

    void add(ExpositionParser.Entry entry, ExpositionParser parser) {
        int slot = switch (entry) {
            case TYPE -> 0;
            case HELP -> 1;
            case UNIT -> 2;
            default -> -1;
        };
        if (slot < 0) {
            return;
        }
        String[] kinds = building.computeIfAbsent(parser.metricFamily(), f -> new String[3]);
        kinds[slot] = switch (entry) {
            case TYPE -> parser.type().name();
            case HELP -> parser.help();
            default -> parser.unit();
        };
    }

    /** The metadata of the body just read (the previous list when it is the same). */
    List<MetricMetadata> end() {
        List<MetricMetadata> now = new ArrayList<>(building.size());
        for (Map.Entry<String, String[]> e : building.entrySet()) {
            String[] k = e.getValue();
            now.add(new MetricMetadata(e.getKey(), k[0] == null ? MetricMetadata.Type.UNKNOWN : MetricMetadata.Type.valueOf(k[0]), k[1], k[2]));
        }
        if (!now.equals(last)) {
            last = List.copyOf(now);
        }
        return last;
    }
}

package io.caravan.loki;

import io.caravan.model.LogEntry;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An entry's Loki tenant, as Alloy's loki.write reads it: the {@value LogEntry#TENANT_LABEL} label when set, else
 * the sink's own tenant. The label chooses where the entry goes; it is never part of the stream sent.
 */
final class Tenants {

    /** The key of entries without the label: they go as the sink's own tenant (a label value is never empty). */
    static final String SINKS_OWN = "";

    private Tenants() {
    }

    /**
     * The entries by tenant, in first-seen order and each in its order, the label taken out; the same list under
     * {@link #SINKS_OWN} when no entry has one (the usual case costs no copy).
     */
    static Map<String, List<LogEntry>> split(List<LogEntry> entries) {
        int first = 0;
        while (first < entries.size() && !entries.get(first).labels().has(LogEntry.TENANT_LABEL)) {
            first++;
        }
        if (first == entries.size()) {
            return Map.of(SINKS_OWN, entries);
        }
        Map<String, List<LogEntry>> byTenant = new LinkedHashMap<>();
        if (first > 0) {
            byTenant.put(SINKS_OWN, new ArrayList<>(entries.subList(0, first)));
        }
        for (int i = first; i < entries.size(); i++) {
            LogEntry e = entries.get(i);
            String tenant = e.labels().get(LogEntry.TENANT_LABEL);
            byTenant.computeIfAbsent(tenant == null ? SINKS_OWN : tenant, t -> new ArrayList<>()).add(withoutLabel(e));
        }
        return byTenant;
    }

    /** The entry as it is sent: without the tenant label. */
    static LogEntry withoutLabel(LogEntry e) {
        return e.labels().has(LogEntry.TENANT_LABEL) ? e.withLabels(e.labels().toBuilder().del(LogEntry.TENANT_LABEL).build()) : e;
    }

    /** The tenant entries of this one (null or "": the sink's own) go as; null when neither is set. */
    static String effective(String tenant, String sinksOwn) {
        String t = tenant == null || tenant.isEmpty() ? sinksOwn : tenant;
        return t == null || t.isBlank() ? null : t;
    }

    /** The X-Scope-OrgID a request of this tenant carries; none when it has no tenant. */
    static Map<String, String> header(String tenant, String sinksOwn) {
        String t = effective(tenant, sinksOwn);
        return t == null ? Map.of() : Map.of("X-Scope-OrgID", t);
    }
}

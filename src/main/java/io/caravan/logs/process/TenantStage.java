package io.caravan.logs.process;

import io.caravan.model.LogEntry;

/**
 * stage.tenant: sets the reserved label {@value LogEntry#TENANT_LABEL}, which the Loki sink reads to choose the tenant
 * (X-Scope-OrgID) an entry is sent as, and removes before sending. The tenant comes from one of a label, an
 * extracted value (a string, number or boolean) or a fixed value; when the label or value is missing or empty
 * the entry keeps the tenant it had, if any.
 */
final class TenantStage extends Stage.PerEntry {

    private final Args args;

    /** Alloy's TenantConfig: exactly one of label, source and value; "" means not given. */
    record Args(String label, String source, String value) implements StageArgs {
        Args {
            label = ArgChecks.orDefault(label, "");
            source = ArgChecks.orDefault(source, "");
            value = ArgChecks.orDefault(value, "");
        }

        @Override
        public void validate() {
            int given = (label.isEmpty() ? 0 : 1) + (source.isEmpty() ? 0 : 1) + (value.isEmpty() ? 0 : 1);
            if (given == 0) {
                throw new IllegalArgumentException("one of 'label', 'source' or 'value' is required: where the tenant comes from");
            }
            if (given > 1) {
                throw new IllegalArgumentException("'label', 'source' and 'value' exclude each other; set only one");
            }
        }
    }

    TenantStage(Args args) {
        this.args = args;
    }

    @Override
    boolean apply(ProcessEntry e) {
        String tenant;
        if (!args.source().isEmpty()) {
            tenant = Extracted.asString(e.extracted.get(args.source()));
        } else if (!args.label().isEmpty()) {
            tenant = e.labels.get(args.label());
        } else {
            tenant = args.value();
        }
        if (tenant != null && !tenant.isEmpty()) {
            e.labels.set(LogEntry.TENANT_LABEL, tenant);
        }
        return true;
    }
}

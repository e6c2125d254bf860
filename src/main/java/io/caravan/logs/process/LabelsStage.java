package io.caravan.logs.process;

import java.util.Map;

/**
 * stage.labels: label name to extracted key (empty means the same name). A key that is missing, or whose
 * value is not a string, number or boolean (a JSON null), leaves the label as it is, as in Alloy.
 */
final class LabelsStage extends Stage.PerEntry {

    private final String[] names;
    private final String[] sources;

    /** Alloy's LabelsConfig: label name to extracted key; only extracted values as the source. */
    record Args(Map<String, String> values, String sourceType) implements StageArgs {
        Args {
            values = ArgChecks.inOrder(values);
            sourceType = ArgChecks.orDefault(sourceType, "extracted");
        }

        @Override
        public void validate() {
            ArgChecks.required("values", values);
            if (!sourceType.equals("extracted")) {
                throw new IllegalArgumentException("source_type '" + sourceType + "' is not supported here; only 'extracted'");
            }
            values.keySet().forEach(LabelNames::require);
        }
    }

    LabelsStage(Args args) {
        Map<String, String> v = args.values();
        names = new String[v.size()];
        sources = new String[v.size()];
        int i = 0;
        for (Map.Entry<String, String> kv : v.entrySet()) {
            names[i] = kv.getKey();
            sources[i] = kv.getValue().isEmpty() ? kv.getKey() : kv.getValue();
            i++;
        }
    }

    @Override
    boolean apply(ProcessEntry e) {
        for (int i = 0; i < names.length; i++) {
            Object v = e.extracted.get(sources[i]);
            if (v != null) {
                String s = Extracted.asString(v);
                if (s != null) {
                    e.labels.set(names[i], s); // an empty string removes the label: Loki has no empty-valued labels
                }
            }
        }
        return true;
    }
}

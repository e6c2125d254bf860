package io.caravan.logs.process;

import java.util.LinkedHashMap;
import java.util.Map;

/** stage.static_labels: sets fixed labels; an empty value is skipped, as in Alloy. */
final class StaticLabelsStage extends Stage.PerEntry {

    private final String[] names;
    private final String[] values;

    /** Alloy's StaticLabelsConfig: label name to value. */
    record Args(Map<String, String> values) implements StageArgs {
        Args {
            values = ArgChecks.inOrder(values);
        }

        @Override
        public void validate() {
            ArgChecks.required("values", values);
            values.keySet().forEach(LabelNames::require);
        }
    }

    StaticLabelsStage(Args args) {
        Map<String, String> v = new LinkedHashMap<>(args.values());
        v.values().removeIf(String::isEmpty);
        names = v.keySet().toArray(new String[0]);
        values = v.values().toArray(new String[0]);
    }

    @Override
    boolean apply(ProcessEntry e) {
        for (int i = 0; i < names.length; i++) {
            e.labels.set(names[i], values[i]);
        }
        return true;
    }
}

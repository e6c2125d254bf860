package io.caravan.logs.process;

import java.util.Map;

/** stage.static_labels: sets fixed labels; an empty value is skipped, as in Alloy. */
final class StaticLabelsStage extends Stage.PerEntry {

    private final String[] names;
    private final String[] values;

    StaticLabelsStage(StageArgs args) {
        Map<String, String> v = args.map("values", true);
        args.done("static_labels", "values");
        v.keySet().forEach(LabelNames::require);
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

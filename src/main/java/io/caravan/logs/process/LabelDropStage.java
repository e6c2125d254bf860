package io.caravan.logs.process;

import java.util.List;

/** stage.label_drop: removes the named labels. */
final class LabelDropStage extends Stage.PerEntry {

    private final String[] names;

    LabelDropStage(StageArgs args) {
        List<String> v = args.list("values");
        args.done("label_drop", "values");
        if (v.isEmpty()) {
            throw new IllegalArgumentException("'values' is required: the label names to drop");
        }
        names = v.toArray(new String[0]);
    }

    @Override
    boolean apply(ProcessEntry e) {
        for (String n : names) {
            e.labels.del(n);
        }
        return true;
    }
}

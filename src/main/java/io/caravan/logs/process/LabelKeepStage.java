package io.caravan.logs.process;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** stage.label_keep: removes every label not named. */
final class LabelKeepStage extends Stage.PerEntry {

    private final Set<String> keep;

    LabelKeepStage(StageArgs args) {
        List<String> v = args.list("values");
        args.done("label_keep", "values");
        if (v.isEmpty()) {
            throw new IllegalArgumentException("'values' is required: the label names to keep");
        }
        keep = new HashSet<>(v);
    }

    @Override
    boolean apply(ProcessEntry e) {
        for (int i = e.labels.size() - 1; i >= 0; i--) {
            if (!keep.contains(e.labels.name(i))) {
                e.labels.del(e.labels.name(i));
            }
        }
        return true;
    }
}

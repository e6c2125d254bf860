package io.caravan.logs.process;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** stage.label_keep: removes every label not named. */
final class LabelKeepStage extends Stage.PerEntry {

    private final Set<String> keep;

    /** Alloy's LabelAllowConfig: the label names to keep. */
    record Args(List<String> values) implements StageArgs {
        Args {
            values = ArgChecks.listOrEmpty(values);
        }

        @Override
        public void validate() {
            if (values.isEmpty()) {
                throw new IllegalArgumentException("'values' is required: the label names to keep");
            }
        }
    }

    LabelKeepStage(Args args) {
        keep = new HashSet<>(args.values());
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

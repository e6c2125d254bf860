package io.caravan.logs.process;

import java.util.List;

/** stage.label_drop: removes the named labels. */
final class LabelDropStage extends Stage.PerEntry {

    private final String[] names;

    /** Alloy's LabelDropConfig: the label names to remove. */
    record Args(List<String> values) implements StageArgs {
        Args {
            values = ArgChecks.listOrEmpty(values);
        }

        @Override
        public void validate() {
            if (values.isEmpty()) {
                throw new IllegalArgumentException("'values' is required: the label names to drop");
            }
        }
    }

    LabelDropStage(Args args) {
        names = args.values().toArray(new String[0]);
    }

    @Override
    boolean apply(ProcessEntry e) {
        for (String n : names) {
            e.labels.del(n);
        }
        return true;
    }
}

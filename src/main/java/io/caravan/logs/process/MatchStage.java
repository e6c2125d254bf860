package io.caravan.logs.process;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import io.micrometer.core.instrument.Counter;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * stage.match: entries whose labels (and line, with line filters) match the selector either go through
 * the nested stages (action keep, the default) or are dropped (action drop). As in Alloy, the nested
 * stages see runs of consecutive matching entries, re-seed extracted with the labels first, and the
 * result is stably sorted by time so entries of one stream that took different branches stay in order.
 */
final class MatchStage implements Stage {

    private final LogSelector selector;
    private final List<Stage> stages;
    private final Counter dropped; // null for keep

    /**
     * Alloy's MatchConfig: a LogQL selector; action keep runs the nested stages (which it needs), drop drops (and
     * takes none). pipeline_name is accepted, as Alloy's, and names nothing here.
     */
    record Args(String selector, String action, @JsonDeserialize(using = StagesFile.Nested.class) List<StageConfig> stages,
                String dropCounterReason, String pipelineName) implements StageArgs {
        Args {
            action = ArgChecks.orDefault(action, "keep");
            stages = stages == null ? List.of() : List.copyOf(stages);
            dropCounterReason = ArgChecks.emptyAsDefault(dropCounterReason, "match_stage");
            pipelineName = ArgChecks.orDefault(pipelineName, "");
        }

        @Override
        public void validate() {
            ArgChecks.required("selector", selector);
            if (!action.equals("keep") && !action.equals("drop")) {
                throw new IllegalArgumentException("action must be keep or drop, found '" + action + "'");
            }
            if (action.equals("keep") && stages.isEmpty()) {
                throw new IllegalArgumentException("a match stage with action keep needs nested 'stages'");
            }
            if (action.equals("drop") && !stages.isEmpty()) {
                throw new IllegalArgumentException("a match stage with action drop cannot have nested 'stages'");
            }
            LogSelector.parse(selector);
        }
    }

    MatchStage(Args args, StageMetrics metrics) {
        this.selector = LogSelector.parse(args.selector());
        this.stages = Pipeline.build(args.stages(), metrics);
        this.dropped = args.action().equals("drop") ? metrics.dropCounter(args.dropCounterReason()) : null;
    }

    @Override
    public void process(List<ProcessEntry> entries) {
        if (dropped != null) {
            int before = entries.size();
            entries.removeIf(e -> selector.matches(e.labels, e.line));
            dropped.increment(before - entries.size());
            return;
        }
        if (entries.isEmpty()) {
            Pipeline.runStages(stages, entries); // an empty batch comes for entries held by time (a nested multiline)
            return;
        }
        List<ProcessEntry> merged = null;
        List<ProcessEntry> run = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            ProcessEntry e = entries.get(i);
            boolean match = selector.matches(e.labels, e.line);
            if (match) {
                if (merged == null) {
                    merged = new ArrayList<>(entries.size());
                    merged.addAll(entries.subList(0, i));
                }
                run.add(e);
            }
            if (!run.isEmpty() && (!match || i == entries.size() - 1)) {
                for (ProcessEntry r : run) {
                    r.seedExtractedFromLabels();
                }
                Pipeline.runStages(stages, run);
                merged.addAll(run);
                run.clear();
            }
            if (!match && merged != null) {
                merged.add(e);
            }
        }
        if (merged != null) {
            merged.sort(Comparator.comparingLong(e -> e.timestampNanos)); // List.sort is stable
            entries.clear();
            entries.addAll(merged);
        }
    }

    @Override
    public boolean holdsByTime() {
        return stages.stream().anyMatch(Stage::holdsByTime);
    }

    @Override
    public boolean holdsOverdue() {
        return Pipeline.holdsOverdue(stages);
    }

    /** What the nested stages hold, through the rest of them. */
    @Override
    public List<ProcessEntry> flush() {
        return Pipeline.flushStages(stages);
    }
}

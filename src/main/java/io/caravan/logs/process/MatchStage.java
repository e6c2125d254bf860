package io.caravan.logs.process;

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

    MatchStage(StageArgs args, List<Stage> nested, LogSelector selector, String action, String reason, StageMetrics metrics) {
        this.selector = selector;
        this.stages = nested;
        this.dropped = action.equals("drop") ? metrics.dropCounter(reason.isEmpty() ? "match_stage" : reason) : null;
    }

    @Override
    public void process(List<ProcessEntry> entries) {
        if (dropped != null) {
            int before = entries.size();
            entries.removeIf(e -> selector.matches(e.labels, e.line));
            dropped.increment(before - entries.size());
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
}

package io.caravan.logs.process;

import io.caravan.model.Labels;
import io.caravan.model.LogEntry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import java.util.ArrayList;
import java.util.List;

/** Test helper: a pipeline from inline YAML with its own registry. */
final class StageRunner {

    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    final Pipeline pipeline;

    StageRunner(String yaml) {
        pipeline = Pipeline.parse(yaml, "test.yaml", "test", registry);
    }

    List<LogEntry> run(LogEntry... in) {
        return pipeline.process(List.of(in));
    }

    LogEntry one(Labels labels, String line) {
        List<LogEntry> out = run(new LogEntry(labels, 1_000L, line));
        return out.isEmpty() ? null : out.get(0);
    }

    /** One entry through the stages as they leave it, extracted values and all; null when dropped. */
    ProcessEntry through(LogEntry in) {
        List<ProcessEntry> work = new ArrayList<>(List.of(new ProcessEntry(in)));
        Pipeline.runStages(pipeline.stages(), work);
        return work.isEmpty() ? null : work.get(0);
    }

    double dropped(String reason) {
        var c = registry.find(StageMetrics.DROPPED).tag("reason", reason).counter();
        return c == null ? 0 : c.count();
    }
}

package io.caravan.logs.process;

import io.caravan.model.Labels;
import io.caravan.model.LogEntry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Test helper for stages judged by the extracted map, as Alloy's own stage tests are: a stage file run over one
 * entry whose extracted map starts as given. Placeholders fail the test: a stage file's Go templates share their
 * "{{" and must reach the stage as written.
 */
final class ExtractedRunner {

    /** A table row's expectation that the stage file is refused, with this message. */
    record Refused(String message) {
    }

    private ExtractedRunner() {
    }

    /** One table row: the file refused as {@code want} says, or the entry's extracted map and line afterwards. */
    static void check(String yaml, Map<String, Object> extracted, String line, Object want, String wantLine) {
        if (want instanceof Refused r) {
            assertThatThrownBy(() -> run(yaml, extracted, line)).isInstanceOf(PipelineConfigException.class)
                    .hasMessage(r.message());
            return;
        }
        ProcessEntry out = run(yaml, extracted, line);
        assertThat(out.extracted).isEqualTo(want);
        assertThat(out.line).isEqualTo(wantLine == null ? line : wantLine);
    }

    static ProcessEntry run(String yaml, Map<String, Object> extracted, String line) {
        List<StageConfig> configs = StagesFile.read(yaml, "t.yaml", text -> {
            throw new AssertionError("placeholders resolved in " + text);
        });
        List<Stage> stages = Pipeline.build(configs, new StageMetrics(new SimpleMeterRegistry(), "t"));
        ProcessEntry e = new ProcessEntry(new LogEntry(Labels.EMPTY, 1_000L, line));
        e.extracted.putAll(extracted);
        List<ProcessEntry> batch = new ArrayList<>(List.of(e));
        for (Stage s : stages) {
            s.process(batch);
        }
        return e;
    }
}

package io.caravan.logs.process;

import io.caravan.model.LogEntry;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * A loki.process pipeline: an ordered list of stages read from a YAML list in Alloy's block and argument
 * names ({@code - json: {expressions: {...}}}), applied to a batch of entries. Thread-safe: stages keep
 * no per-call state, and those with state across calls (cri, limit, timestamp's fudge) lock it.
 */
public final class Pipeline {

    private final List<StageConfig> configs;
    private final List<Stage> stages;

    private Pipeline(List<StageConfig> configs, List<Stage> stages) {
        this.configs = configs;
        this.stages = stages;
    }

    /**
     * Reads a stage file. Every problem is a PipelineConfigException naming the source, the stage number
     * (from 1) and block name, the reason and the line.
     */
    public static Pipeline parse(String yamlText, String source, String name, MeterRegistry registry) {
        return parse(yamlText, source, name, registry, UnaryOperator.identity());
    }

    /** As {@link #parse(String, String, String, MeterRegistry)}, with placeholders resolved in each string value. */
    public static Pipeline parse(String yamlText, String source, String name, MeterRegistry registry,
                                 UnaryOperator<String> placeholders) {
        List<StageConfig> configs = StagesFile.read(yamlText, source, placeholders);
        return new Pipeline(configs, build(configs, new StageMetrics(registry, name)));
    }

    static List<Stage> build(List<StageConfig> configs, StageMetrics metrics) {
        List<Stage> out = new ArrayList<>(configs.size());
        for (StageConfig c : configs) {
            out.add(c.build(metrics));
        }
        return List.copyOf(out);
    }

    /**
     * Runs stages over working entries, whose extracted maps are seeded (by ProcessEntry, or a nested pipeline). Every
     * stage runs, also on an empty batch: a stage holding entries by time lets the overdue ones go then.
     */
    static void runStages(List<Stage> stages, List<ProcessEntry> entries) {
        for (Stage s : stages) {
            s.process(entries);
        }
    }

    /** The entries that come out of the stages, in order; dropped ones are left out. */
    public List<LogEntry> process(List<LogEntry> in) {
        List<ProcessEntry> work = new ArrayList<>(in.size());
        for (LogEntry e : in) {
            work.add(new ProcessEntry(e));
        }
        runStages(stages, work);
        List<LogEntry> out = new ArrayList<>(work.size());
        for (Iterator<ProcessEntry> it = work.iterator(); it.hasNext(); ) {
            out.add(it.next().toLogEntry());
        }
        return out;
    }

    /**
     * At the end of the input: the entries the stages still hold (a cri partial line whose full line never came),
     * each through the stages after the one that held it, in order; the stages hold nothing afterwards. For the
     * {@code process} command when its input ends, and for a route that stops ({@link HeldEntriesRelease}).
     */
    public List<LogEntry> flush() {
        List<LogEntry> out = new ArrayList<>();
        for (ProcessEntry e : flushStages(stages)) {
            out.add(e.toLogEntry());
        }
        return out;
    }

    /** Whether a stage holds an entry whose time is up: an empty batch through {@link #process} would let it out. */
    public boolean holdsOverdue() {
        return holdsOverdue(stages);
    }

    /** Whether a stage can hold entries by time (multiline): only then does a running route look for overdue ones. */
    public boolean holdsByTime() {
        return stages.stream().anyMatch(Stage::holdsByTime);
    }

    static boolean holdsOverdue(List<Stage> stages) {
        for (Stage s : stages) {
            if (s.holdsOverdue()) {
                return true;
            }
        }
        return false;
    }

    static List<ProcessEntry> flushStages(List<Stage> stages) {
        List<ProcessEntry> out = new ArrayList<>();
        for (int i = 0; i < stages.size(); i++) {
            List<ProcessEntry> held = new ArrayList<>(stages.get(i).flush());
            for (int j = i + 1; j < stages.size() && !held.isEmpty(); j++) {
                stages.get(j).process(held); // a later stage may hold some again: its own flush comes next
            }
            out.addAll(held);
        }
        return out;
    }

    List<Stage> stages() {
        return stages;
    }

    public int size() {
        return stages.size();
    }

    /** The block names of the top-level stages, in order (nested ones are inside their match). */
    public List<String> stageNames() {
        return configs.stream().map(c -> c.type().blockName()).toList();
    }
}

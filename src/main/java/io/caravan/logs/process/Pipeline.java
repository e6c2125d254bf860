package io.caravan.logs.process;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.caravan.model.LogEntry;
import io.micrometer.core.instrument.MeterRegistry;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * A loki.process pipeline: an ordered list of stages read from a YAML list in Alloy's block and argument
 * names ({@code - json: {expressions: {...}}}), applied to a batch of entries. Thread-safe: stages keep
 * no per-call state, and those with state across calls (cri, limit, timestamp's fudge) lock it.
 */
public final class Pipeline {

    static final String STAGES = "static_labels, drop, json, labels, cri, regex, timestamp, output, label_drop, "
            + "label_keep, match, limit";

    private static final YAMLMapper YAML = new YAMLMapper();

    private final List<Stage> stages;

    private Pipeline(List<Stage> stages) {
        this.stages = stages;
    }

    /**
     * Reads a stage file. Every problem is a PipelineConfigException naming the source, the stage number
     * (from 1) and block name, and the reason.
     */
    public static Pipeline parse(String yamlText, String source, String name, MeterRegistry registry) {
        return parse(yamlText, source, name, registry, UnaryOperator.identity());
    }

    /**
     * As {@link #parse(String, String, String, MeterRegistry)}, with placeholders resolved in each string
     * value that holds "{{". Resolving scalars, not the whole text, because flow mappings in YAML end in
     * "}}" too ({@code {values: {a: b}}}), which a text-wide resolver takes for a broken placeholder.
     */
    public static Pipeline parse(String yamlText, String source, String name, MeterRegistry registry,
                                 UnaryOperator<String> placeholders) {
        JsonNode root;
        try {
            root = YAML.readTree(yamlText);
        } catch (IOException e) {
            throw new PipelineConfigException(source + ": not valid YAML: " + e.getMessage(), e);
        }
        if (root == null || root.isNull() || root.isMissingNode()) {
            return new Pipeline(List.of());
        }
        try {
            root = resolve(root, placeholders);
        } catch (RuntimeException e) {
            throw new PipelineConfigException(source + ": " + e.getMessage(), e);
        }
        StageMetrics metrics = new StageMetrics(registry, name);
        return new Pipeline(stages(root, source, "", metrics));
    }

    private static JsonNode resolve(JsonNode node, UnaryOperator<String> placeholders) {
        if (node.isTextual()) {
            String t = node.textValue();
            return t.contains("{{") ? TextNode.valueOf(placeholders.apply(t)) : node;
        }
        if (node.isArray()) {
            ArrayNode a = (ArrayNode) node;
            for (int i = 0; i < a.size(); i++) {
                a.set(i, resolve(a.get(i), placeholders));
            }
        } else if (node.isObject()) {
            ObjectNode o = (ObjectNode) node;
            for (Iterator<Map.Entry<String, JsonNode>> it = o.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> f = it.next();
                f.setValue(resolve(f.getValue(), placeholders));
            }
        }
        return node;
    }

    private static List<Stage> stages(JsonNode list, String source, String where, StageMetrics metrics) {
        if (!list.isArray()) {
            throw new PipelineConfigException(source + ": " + (where.isEmpty() ? "" : where + ": ")
                    + "expected a YAML list of stages, like \"- drop: {expression: '^\\\\s*$'}\"");
        }
        List<Stage> out = new ArrayList<>();
        int index = 0;
        for (JsonNode item : list) {
            index++;
            String at = where + (where.isEmpty() ? "" : " > ") + "stage " + index;
            if (!item.isObject() || item.size() != 1) {
                throw new PipelineConfigException(source + ": " + at + ": each stage is a mapping with exactly one block"
                        + " name (" + STAGES + "), found " + StageArgs.kind(item));
            }
            Map.Entry<String, JsonNode> block = item.fields().next();
            String stageName = block.getKey();
            String label = at + " (" + stageName + ")";
            JsonNode argsNode = block.getValue();
            if (argsNode == null || argsNode.isNull()) {
                argsNode = YAML.createObjectNode();
            }
            if (!argsNode.isObject()) {
                throw new PipelineConfigException(source + ": " + label + ": the arguments must be a mapping, found " + StageArgs.kind(argsNode));
            }
            try {
                out.add(stage(stageName, new StageArgs(argsNode), source, label, metrics));
            } catch (PipelineConfigException e) {
                throw e;
            } catch (IllegalArgumentException e) {
                throw new PipelineConfigException(source + ": " + label + ": " + e.getMessage(), e);
            }
        }
        return out;
    }

    private static Stage stage(String name, StageArgs args, String source, String label, StageMetrics metrics) {
        return switch (name) {
            case "static_labels" -> new StaticLabelsStage(args);
            case "drop" -> new DropStage(args, metrics);
            case "json" -> new JsonStage(args, metrics);
            case "labels" -> new LabelsStage(args);
            case "cri" -> new CriStage(args);
            case "regex" -> new RegexStage(args);
            case "timestamp" -> new TimestampStage(args);
            case "output" -> new OutputStage(args);
            case "label_drop" -> new LabelDropStage(args);
            case "label_keep" -> new LabelKeepStage(args);
            case "limit" -> new LimitStage(args, metrics);
            case "match" -> match(args, source, label, metrics);
            default -> throw new IllegalArgumentException("unknown stage '" + name + "'; supported: " + STAGES);
        };
    }

    private static Stage match(StageArgs args, String source, String label, StageMetrics metrics) {
        String selectorText = args.string("selector");
        String action = args.optString("action", "keep");
        String reason = args.optString("drop_counter_reason", "");
        args.optString("pipeline_name", "");
        JsonNode nested = args.raw("stages");
        args.done("match", "selector, action, stages, drop_counter_reason, pipeline_name");
        if (!action.equals("keep") && !action.equals("drop")) {
            throw new IllegalArgumentException("action must be keep or drop, found '" + action + "'");
        }
        boolean hasStages = nested != null && !nested.isNull() && !(nested.isArray() && nested.isEmpty());
        if (action.equals("keep") && !hasStages) {
            throw new IllegalArgumentException("a match stage with action keep needs nested 'stages'");
        }
        if (action.equals("drop") && hasStages) {
            throw new IllegalArgumentException("a match stage with action drop cannot have nested 'stages'");
        }
        LogSelector selector = LogSelector.parse(selectorText);
        List<Stage> inner = hasStages ? stages(nested, source, label, metrics) : List.of();
        return new MatchStage(args, inner, selector, action, reason, metrics);
    }

    /** Runs stages over working entries, seeding extracted from the labels first (as each Alloy pipeline does). */
    static void runStages(List<Stage> stages, List<ProcessEntry> entries) {
        for (int i = 0; i < entries.size(); i++) {
            entries.get(i).seedExtractedFromLabels();
        }
        for (Stage s : stages) {
            if (entries.isEmpty()) {
                return;
            }
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

    List<Stage> stages() {
        return stages;
    }

    public int size() {
        return stages.size();
    }
}

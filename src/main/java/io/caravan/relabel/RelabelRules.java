package io.caravan.relabel;

import io.caravan.model.Labels;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * An ordered, compiled list of relabel rules, applied exactly as Prometheus 3 applies relabel_configs.
 * Immutable and thread-safe; compile once, apply from any number of threads.
 */
public final class RelabelRules {

    private static final RelabelRules NONE = new RelabelRules(List.of(), new CompiledRule[0], NameValidation.UTF8);

    /** Each thread's scratch builder for {@link #apply(Labels)}; a builder keeps its arrays between uses. */
    private static final ThreadLocal<Labels.Builder> SCRATCH = ThreadLocal.withInitial(Labels.Builder::new);

    private final List<RelabelRule> rules;
    private final CompiledRule[] compiled;
    /** How many rules at the start only read labels; those run on the input without a builder. */
    private final int leadingFilters;
    private final NameValidation names;

    private RelabelRules(List<RelabelRule> rules, CompiledRule[] compiled, NameValidation names) {
        this.rules = rules;
        this.compiled = compiled;
        this.names = names;
        int f = 0;
        while (f < compiled.length && compiled[f].isFilter()) {
            f++;
        }
        this.leadingFilters = f;
    }

    /** No rules: every label set passes unchanged. */
    public static RelabelRules none() {
        return NONE;
    }

    /** Validates (Prometheus 3 UTF-8 names) and compiles rules built in code. */
    public static RelabelRules of(List<RelabelRule> rules) {
        return of(rules, NameValidation.UTF8);
    }

    /**
     * Validates and compiles; a bad rule throws {@link RelabelConfigException} naming the rule, counted from 1.
     */
    public static RelabelRules of(List<RelabelRule> rules, NameValidation names) {
        return compile(rules, names, null, null);
    }

    /** Parses a YAML list of Prometheus relabel_configs; {@code sourceName} (e.g. the file name) appears in errors. */
    public static RelabelRules parse(String yamlText, String sourceName) {
        return parse(yamlText, sourceName, NameValidation.UTF8);
    }

    public static RelabelRules parse(String yamlText, String sourceName, NameValidation names) {
        RelabelYamlReader.Parsed parsed = RelabelYamlReader.read(yamlText, sourceName);
        return compile(parsed.rules(), names, sourceName, parsed.lines());
    }

    /** Reads and parses a YAML file of relabel_configs. */
    public static RelabelRules load(Path file) {
        return load(file, NameValidation.UTF8);
    }

    public static RelabelRules load(Path file, NameValidation names) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new RelabelConfigException(file.toString(), 0, 0,
                    "cannot read the rules file: " + e + "; check the path and its permissions", e);
        }
        return parse(text, file.getFileName() == null ? file.toString() : file.getFileName().toString(), names);
    }

    private static RelabelRules compile(List<RelabelRule> rules, NameValidation names, String source, int[] lines) {
        CompiledRule[] compiled = new CompiledRule[rules.size()];
        for (int i = 0; i < compiled.length; i++) {
            RelabelRule rule = rules.get(i);
            try {
                rule.validate(names);
                compiled[i] = new CompiledRule(rule, names);
            } catch (RelabelConfigException e) {
                throw e.at(source, i + 1, lines == null ? 0 : lines[i]);
            }
        }
        return new RelabelRules(Collections.unmodifiableList(new ArrayList<>(rules)), compiled, names);
    }

    /** The rules as configured, in order. */
    public List<RelabelRule> rules() {
        return rules;
    }

    public int size() {
        return compiled.length;
    }

    public NameValidation nameValidation() {
        return names;
    }

    /**
     * The relabelled label set, or null when a rule drops it. Returns {@code in} itself when no rule
     * other than keep/drop/keepequal/dropequal exists.
     */
    public Labels apply(Labels in) {
        for (int i = 0; i < leadingFilters; i++) {
            if (!compiled[i].keeps(in)) {
                return null;
            }
        }
        if (leadingFilters == compiled.length) {
            return in;
        }
        Labels.Builder b = SCRATCH.get();
        b.reset(in);
        try {
            for (int i = leadingFilters; i < compiled.length; i++) {
                if (!compiled[i].apply(b)) {
                    return null;
                }
            }
            return b.build();
        } finally {
            b.reset(); // do not keep the caller's strings alive in a thread-local
        }
    }

    /**
     * Applies the rules to a builder the caller owns and reuses; false when the label set is dropped
     * (the builder is then left part-way). No label set is built or copied; the caller decides when to build.
     */
    public boolean process(Labels.Builder b) {
        for (CompiledRule rule : compiled) {
            if (!rule.apply(b)) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        return "RelabelRules" + rules;
    }
}

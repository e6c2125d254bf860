package io.caravan.logs.process;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Reads a stage file, a YAML list of stages in Alloy's block names ({@code - json: {expressions: {...}}}), into
 * one {@link StageConfig} per stage, nested through match stages. Every problem is a PipelineConfigException
 * saying the file, the stage (its number from 1 and block name, nested as "stage 2 (match) > stage 1 (json)"),
 * the reason, and the line and column of the key it is about (of the stage, for a rule between arguments).
 */
final class StagesFile {

    private static final YAMLMapper YAML = new YAMLMapper();
    private static final String LABEL = "caravan.stage.label";

    private final String source;
    private final StagesFileParser parser;

    private StagesFile(String source, StagesFileParser parser) {
        this.source = source;
        this.parser = parser;
    }

    /** The stages of a file; placeholders are resolved in each string value that holds "{{". */
    static List<StageConfig> read(String yamlText, String source, UnaryOperator<String> placeholders) {
        try {
            // the whole file first, so a YAML mistake anywhere is reported as one before any stage is looked at
            JsonNode root = YAML.readTree(yamlText);
            if (root == null || root.isNull() || root.isMissingNode()) {
                return List.of();
            }
        } catch (JsonProcessingException e) {
            throw new PipelineConfigException(source + ": not valid YAML: " + e.getMessage(), e);
        }
        try (StagesFileParser parser = new StagesFileParser(YAML.getFactory().createParser(yamlText), placeholders)) {
            parser.nextToken();
            return new StagesFile(source, parser).list("");
        } catch (IOException e) {
            throw new PipelineConfigException(source + ": not valid YAML: " + e.getMessage(), e);
        }
    }

    /** The list at the current token; {@code where} is the enclosing stage's label, "" at the top. */
    private List<StageConfig> list(String where) throws IOException {
        if (parser.currentToken() != JsonToken.START_ARRAY) {
            throw refused(where, "expected a YAML list of stages, like \"- drop: {expression: '^\\\\s*$'}\", found " + found(),
                    parser.currentTokenLocation(), null);
        }
        List<StageConfig> out = new ArrayList<>();
        int index = 0;
        while (parser.nextToken() != JsonToken.END_ARRAY) {
            index++;
            String at = (where.isEmpty() ? "" : where + " > ") + "stage " + index;
            out.add(stage(at));
        }
        return out;
    }

    /** One list item: a mapping with exactly one key, the block name, whose value holds the arguments. */
    private StageConfig stage(String at) throws IOException {
        String oneBlock = "each stage is a mapping with exactly one block name (" + StageType.names() + "), found ";
        if (parser.currentToken() != JsonToken.START_OBJECT) {
            throw refused(at, oneBlock + found(), parser.currentTokenLocation(), null);
        }
        JsonLocation itemAt = parser.currentTokenLocation();
        if (parser.nextToken() != JsonToken.FIELD_NAME) {
            throw refused(at, oneBlock + "an empty mapping", itemAt, null);
        }
        String name = parser.currentName();
        JsonPointer pointer = parser.pointer();
        JsonLocation nameAt = parser.currentTokenLocation();
        String label = at + " (" + name + ")";
        StageType type = StageType.named(name);
        if (type == null) {
            throw refused(label, "unknown stage '" + name + "'", nameAt, "supported: " + StageType.names());
        }
        parser.nextToken();
        StageArgs args = arguments(type, label, pointer, nameAt);
        try {
            args.validate();
        } catch (IllegalArgumentException e) {
            throw refused(label, e.getMessage(), nameAt, null);
        }
        if (parser.nextToken() != JsonToken.END_OBJECT) {
            throw refused(at, oneBlock + "a second one, '" + parser.currentName() + "'", parser.currentTokenLocation(), null);
        }
        return new StageConfig(type, args);
    }

    private StageArgs arguments(StageType type, String label, JsonPointer pointer, JsonLocation stageAt) throws IOException {
        JsonToken t = parser.currentToken();
        try {
            if (t == JsonToken.VALUE_NULL) {
                return (StageArgs) ArgsBinder.bindNothing(type.argsType());
            }
            if (t != JsonToken.START_OBJECT) {
                throw refused(label, "the arguments must be a mapping, found " + found(), parser.currentTokenLocation(), null);
            }
            return ArgsBinder.reader(type.argsType()).withAttribute(StagesFile.class, this).withAttribute(LABEL, label)
                    .<StageArgs>readValue(parser);
        } catch (JsonMappingException e) {
            PipelineConfigException nested = ArgsBinder.causeOf(e, PipelineConfigException.class);
            if (nested != null) {
                throw nested; // a nested stage's own refusal, already placed
            }
            JsonPointer key = pointer;
            for (JsonMappingException.Reference r : e.getPath()) {
                key = r.getFieldName() != null ? key.appendProperty(r.getFieldName()) : key.appendIndex(r.getIndex());
            }
            JsonLocation at = keyAt(key, pointer, stageAt);
            if (e instanceof UnrecognizedPropertyException u) {
                List<String> takes = type.argumentNames();
                throw refused(label, "unknown argument '" + u.getPropertyName() + "'", at,
                        type.blockName() + (takes.isEmpty() ? " takes no arguments" : " takes " + String.join(", ", takes)));
            }
            throw refused(label, ArgsBinder.reason(e, found()), at, null);
        }
    }

    /** The deepest key on the path that the file has (a list item has none: its list's key), else the stage. */
    private JsonLocation keyAt(JsonPointer key, JsonPointer stage, JsonLocation stageAt) {
        for (JsonPointer p = key; p != null && !p.toString().equals(stage.toString()); p = p.head()) {
            JsonLocation at = parser.keyAt(p);
            if (at != null) {
                return at;
            }
        }
        return stageAt;
    }

    /** What the parser stands on, for "found ...". */
    private String found() throws IOException {
        JsonToken t = parser.currentToken();
        if (t == null) {
            return "nothing";
        }
        return switch (t) {
            case START_OBJECT -> "a mapping";
            case START_ARRAY -> "a list";
            case VALUE_NULL -> "null";
            default -> "'" + parser.rawText() + "'";
        };
    }

    private PipelineConfigException refused(String label, String reason, JsonLocation at, String hint) {
        String place = at == null || at.getLineNr() < 1 ? "" : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")";
        return new PipelineConfigException(source + ": " + (label.isEmpty() ? "" : label + ": ") + reason + place
                + (hint == null ? "" : "; " + hint));
    }

    /** match's {@code stages}: a nested list read from the same file, so its errors carry their own lines. */
    static final class Nested extends StdDeserializer<List<StageConfig>> {

        Nested() {
            super(List.class);
        }

        @Override
        public List<StageConfig> deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            StagesFile file = (StagesFile) ctxt.getAttribute(StagesFile.class);
            if (file == null || p != file.parser) {
                throw new IllegalStateException("nested stages are read only from a stage file");
            }
            return file.list((String) ctxt.getAttribute(LABEL));
        }
    }
}

package io.caravan.logs.process;

import com.fasterxml.jackson.annotation.JsonSetter;
import com.fasterxml.jackson.annotation.Nulls;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.InvalidNullException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.type.LogicalType;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Binds a stage's arguments to its record, as Alloy decodes a block into its Arguments struct: the names are the
 * record's components in snake_case, a key no component takes is refused, and a value of the wrong shape is
 * refused. A refusal is put in the words an operator needs ("'rate' must be a number, found 'abc'"); the stage
 * file adds where it is.
 */
final class ArgsBinder {

    private static final PropertyNamingStrategies.NamingBase SNAKE_CASE =
            (PropertyNamingStrategies.NamingBase) PropertyNamingStrategies.SNAKE_CASE;

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .propertyNamingStrategy(SNAKE_CASE)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .addModule(new SimpleModule("alloy-durations").addDeserializer(Duration.class, new ArgValues.GoDuration()))
            // a list item left empty is a mistake; a mapping value left empty means "" (labels: {verb: } = the same name)
            .withConfigOverride(List.class, o -> o.setSetterInfo(JsonSetter.Value.forContentNulls(Nulls.FAIL)))
            .withConfigOverride(Map.class, o -> o.setSetterInfo(JsonSetter.Value.forContentNulls(Nulls.AS_EMPTY)))
            // true/false (and YAML's yes/no), never 0/1: Alloy's bool attributes take no numbers
            .withCoercionConfig(LogicalType.Boolean, c -> c.setCoercion(CoercionInputShape.Integer, CoercionAction.Fail))
            .build();

    private ArgsBinder() {
    }

    /** The names a record takes in a stage file, in declaration order. */
    static List<String> argumentNames(Class<? extends Record> type) {
        return Arrays.stream(type.getRecordComponents()).map(c -> SNAKE_CASE.translate(c.getName())).toList();
    }

    /** A reader of one record, carrying attributes for deserializers that need the file (match's nested stages). */
    static ObjectReader reader(Class<? extends Record> type) {
        return MAPPER.readerFor(type);
    }

    /** The record of a stage written without arguments ({@code - cri:}): its defaults, or its complaint. */
    static <A extends Record> A bindNothing(Class<A> type) throws IOException {
        return MAPPER.readerFor(type).readValue("{}");
    }

    /**
     * Why a binding failed. {@code found} describes the value the parser stopped at (a mapping, a list, 'text'),
     * for refusals where Jackson does not keep the value itself.
     */
    static String reason(JsonMappingException e, String found) {
        IllegalArgumentException own = causeOf(e, IllegalArgumentException.class);
        if (own != null) {
            return own.getMessage(); // a record's check, a duration or size that does not read, a placeholder
        }
        List<String> names = new ArrayList<>();
        boolean item = false;
        for (JsonMappingException.Reference r : e.getPath()) {
            item = r.getFieldName() == null;
            if (!item) {
                names.add(r.getFieldName());
            }
        }
        String key = String.join(".", names);
        if (e instanceof InvalidNullException) {
            return "'" + key + "' must hold strings only, found an empty item";
        }
        if (e instanceof MismatchedInputException m && m.getTargetType() != null && !names.isEmpty()) {
            String value = m instanceof InvalidFormatException f ? "'" + f.getValue() + "'" : found;
            String must = item ? "must hold strings only" : "must be " + expected(m.getTargetType(), names);
            return "'" + key + "' " + must + ", found " + value;
        }
        return e.getOriginalMessage();
    }

    private static String expected(Class<?> type, List<String> names) {
        String name = names.get(names.size() - 1);
        if (type == String.class) {
            return names.size() == 1 ? "a single string" : "a string";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (Number.class.isAssignableFrom(type) || type.isPrimitive()) {
            return "a number";
        }
        if (Collection.class.isAssignableFrom(type)) {
            return "a list of strings, like " + name + ": [a, b]";
        }
        if (Map.class.isAssignableFrom(type)) {
            return "a mapping like " + name + ": {a: b}";
        }
        return "a " + type.getSimpleName();
    }

    static <T extends Throwable> T causeOf(Throwable e, Class<T> type) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }
}

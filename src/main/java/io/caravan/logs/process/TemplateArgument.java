package io.caravan.logs.process;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;

import java.io.IOException;

/**
 * A Go template argument (template's {@code template}, replace's {@code replace}) taken as the file writes it:
 * its "{{ }}" are template actions, so the route's placeholders, which share that syntax, are not resolved in it.
 */
final class TemplateArgument extends StdScalarDeserializer<String> {

    TemplateArgument() {
        super(String.class);
    }

    @Override
    public String deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
        JsonToken t = p.currentToken();
        if (!t.isScalarValue()) {
            throw new IllegalArgumentException("'" + p.currentName() + "' must be a single string, found "
                    + (t == JsonToken.START_ARRAY ? "a list" : "a mapping"));
        }
        return p instanceof StagesFileParser file ? file.rawText() : p.getText();
    }
}

package io.caravan.logs.process;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.util.JsonParserDelegate;

import java.io.IOException;
import java.io.Writer;
import java.util.HashMap;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * The YAML parser a stage file is bound through. Two things the plain parser does not do: string values holding
 * "{{" get the route's placeholders resolved as they are read (value by value, because flow mappings end in "}}"
 * too, which a resolver over the whole text takes for a broken placeholder), and every key's position is kept by
 * its JSON pointer, so an error found later by Jackson (which by then may have read past the key) still names
 * the line and column of the key it is about.
 */
final class StagesFileParser extends JsonParserDelegate {

    private final UnaryOperator<String> placeholders;
    private final Map<String, JsonLocation> keys = new HashMap<>();
    private String resolved; // the current string value after placeholders, or null when not yet asked for

    StagesFileParser(JsonParser yaml, UnaryOperator<String> placeholders) {
        super(yaml);
        this.placeholders = placeholders;
    }

    /** Where the key at this pointer (e.g. /0/drop/source) starts; null when the file has no such key. */
    JsonLocation keyAt(JsonPointer pointer) {
        return keys.get(pointer.toString());
    }

    /** The pointer of the current token, e.g. /0/drop for a stage's block name. */
    JsonPointer pointer() {
        return delegate.getParsingContext().pathAsPointer();
    }

    /** The current token as the file has it, placeholders unresolved: for error messages, which must not fail. */
    String rawText() throws IOException {
        return delegate.getText();
    }

    @Override
    public JsonToken nextToken() throws IOException {
        resolved = null;
        JsonToken t = delegate.nextToken();
        if (t == JsonToken.FIELD_NAME) {
            keys.put(pointer().toString(), delegate.currentTokenLocation());
        }
        return t;
    }

    @Override
    public JsonToken nextValue() throws IOException {
        JsonToken t = nextToken();
        return t == JsonToken.FIELD_NAME ? nextToken() : t;
    }

    @Override
    public String getText() throws IOException {
        if (delegate.currentToken() != JsonToken.VALUE_STRING) {
            return delegate.getText();
        }
        if (resolved == null) {
            String text = delegate.getText();
            resolved = text.contains("{{") ? placeholders.apply(text) : text;
        }
        return resolved;
    }

    @Override
    public String getValueAsString() throws IOException {
        return delegate.currentToken() == JsonToken.VALUE_STRING ? getText() : delegate.getValueAsString();
    }

    @Override
    public String getValueAsString(String defaultValue) throws IOException {
        return delegate.currentToken() == JsonToken.VALUE_STRING ? getText() : delegate.getValueAsString(defaultValue);
    }

    // Readers that take characters rather than a String see the resolved text too.
    @Override
    public boolean hasTextCharacters() {
        return delegate.currentToken() != JsonToken.VALUE_STRING && delegate.hasTextCharacters();
    }

    @Override
    public char[] getTextCharacters() throws IOException {
        return delegate.currentToken() == JsonToken.VALUE_STRING ? getText().toCharArray() : delegate.getTextCharacters();
    }

    @Override
    public int getTextLength() throws IOException {
        return delegate.currentToken() == JsonToken.VALUE_STRING ? getText().length() : delegate.getTextLength();
    }

    @Override
    public int getTextOffset() throws IOException {
        return delegate.currentToken() == JsonToken.VALUE_STRING ? 0 : delegate.getTextOffset();
    }

    @Override
    public int getText(Writer writer) throws IOException {
        String text = getText();
        if (text == null) {
            return 0;
        }
        writer.write(text);
        return text.length();
    }
}

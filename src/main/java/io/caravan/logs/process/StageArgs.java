package io.caravan.logs.process;

import com.fasterxml.jackson.databind.JsonNode;
import io.caravan.model.Durations;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The arguments of one stage block, read by Alloy's argument names. Every argument a stage does not read
 * is an error at {@link #done()}, so a misspelt option fails at start-up instead of being ignored.
 * Errors are thrown as IllegalArgumentException with the reason only; the loader adds file and stage.
 */
final class StageArgs {

    private final JsonNode node;
    private final Set<String> read = new HashSet<>();

    StageArgs(JsonNode node) {
        this.node = node;
    }

    boolean has(String name) {
        JsonNode v = node.get(name);
        return v != null && !v.isNull();
    }

    String string(String name) {
        String v = optString(name, null);
        if (v == null || v.isEmpty()) {
            throw new IllegalArgumentException("'" + name + "' is required");
        }
        return v;
    }

    /** A scalar as its text, as Go reads a string attribute; null or absent gives the default. */
    String optString(String name, String dflt) {
        read.add(name);
        JsonNode v = node.get(name);
        if (v == null || v.isNull()) {
            return dflt;
        }
        if (!v.isValueNode()) {
            throw new IllegalArgumentException("'" + name + "' must be a single string, found " + kind(v));
        }
        return v.asText();
    }

    /** A string or a list of strings (drop's source accepts both). */
    List<String> stringOrList(String name) {
        read.add(name);
        JsonNode v = node.get(name);
        List<String> out = new ArrayList<>();
        if (v == null || v.isNull()) {
            return out;
        }
        if (v.isArray()) {
            for (JsonNode item : v) {
                if (!item.isValueNode()) {
                    throw new IllegalArgumentException("'" + name + "' must hold strings only, found " + kind(item));
                }
                out.add(item.asText());
            }
        } else if (v.isValueNode()) {
            out.add(v.asText());
        } else {
            throw new IllegalArgumentException("'" + name + "' must be a string or a list of strings, found " + kind(v));
        }
        return out;
    }

    List<String> list(String name) {
        read.add(name);
        JsonNode v = node.get(name);
        if (v != null && v.isValueNode() && !v.isNull()) {
            throw new IllegalArgumentException("'" + name + "' must be a list, like " + name + ": [a, b]");
        }
        return stringOrList(name);
    }

    /** A mapping of string to string, in file order; a null value reads as "". */
    Map<String, String> map(String name, boolean required) {
        read.add(name);
        JsonNode v = node.get(name);
        if (v == null || v.isNull()) {
            if (required) {
                throw new IllegalArgumentException("'" + name + "' is required (a mapping like " + name + ": {a: b})");
            }
            return null;
        }
        if (!v.isObject()) {
            throw new IllegalArgumentException("'" + name + "' must be a mapping like " + name + ": {a: b}, found " + kind(v));
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = v.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> f = it.next();
            JsonNode val = f.getValue();
            if (!val.isValueNode()) {
                throw new IllegalArgumentException("'" + name + "." + f.getKey() + "' must be a string, found " + kind(val));
            }
            out.put(f.getKey(), val.isNull() ? "" : val.asText());
        }
        return out;
    }

    boolean bool(String name, boolean dflt) {
        String v = optString(name, null);
        if (v == null) {
            return dflt;
        }
        return switch (v) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException("'" + name + "' must be true or false, found '" + v + "'");
        };
    }

    double number(String name, double dflt) {
        String v = optString(name, null);
        if (v == null) {
            return dflt;
        }
        try {
            return Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + name + "' must be a number, found '" + v + "'");
        }
    }

    long durationMillis(String name) {
        String v = optString(name, null);
        return v == null || v.isEmpty() ? 0 : Durations.parseMillis(name, v);
    }

    /** Alloy's byte sizes (units.Base2Bytes): 1024, "1KB" or "1KiB" = 1024, "1MB" = 1 MiB. */
    long bytes(String name) {
        String v = optString(name, null);
        if (v == null || v.isBlank()) {
            return 0;
        }
        return parseBytes(name, v.trim());
    }

    static long parseBytes(String name, String v) {
        int i = 0;
        while (i < v.length() && (Character.isDigit(v.charAt(i)) || v.charAt(i) == '.')) {
            i++;
        }
        if (i == 0) {
            throw new IllegalArgumentException("'" + name + "' must be a size like 256KB, found '" + v + "'");
        }
        double n = Double.parseDouble(v.substring(0, i));
        String unit = v.substring(i).trim().toUpperCase();
        long mult = switch (unit) {
            case "", "B" -> 1L;
            case "K", "KB", "KIB" -> 1L << 10;
            case "M", "MB", "MIB" -> 1L << 20;
            case "G", "GB", "GIB" -> 1L << 30;
            case "T", "TB", "TIB" -> 1L << 40;
            default -> throw new IllegalArgumentException("'" + name + "' has an unknown unit '" + v.substring(i) + "'; use B, KB, MB or GB");
        };
        return (long) (n * mult);
    }

    JsonNode raw(String name) {
        read.add(name);
        return node.get(name);
    }

    /** Fails on any argument the stage did not read. */
    void done(String stage, String known) {
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!read.contains(f)) {
                throw new IllegalArgumentException("unknown argument '" + f + "'; " + stage + " takes " + known);
            }
        }
    }

    static String kind(JsonNode v) {
        if (v.isObject()) {
            return "a mapping";
        }
        if (v.isArray()) {
            return "a list";
        }
        if (v.isNull()) {
            return "null";
        }
        return "'" + v.asText() + "'";
    }
}

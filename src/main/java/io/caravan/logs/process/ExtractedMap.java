package io.caravan.logs.process;

import io.caravan.model.Labels;

import java.util.AbstractMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * An entry's extracted map, seeded with its labels without copying them: reads fall back to the label set
 * the entry came in with until a stage writes the key. Hot path, hand-written: copying ~10 labels into a new
 * HashMap per line was most of what the pod-logs pipeline allocated, and most pipelines read one or two keys.
 * Iteration (rare: a template's whole context) sees the seeded labels and what the stages wrote over them.
 */
final class ExtractedMap extends AbstractMap<String, Object> {

    /** A key a stage removed that the seed still has. */
    private static final Object REMOVED = new Object();

    private final Labels seed;
    private HashMap<String, Object> written;

    ExtractedMap(Labels seed) {
        this.seed = seed;
    }

    @Override
    public Object get(Object key) {
        if (written != null) {
            Object v = written.get(key);
            if (v != null) {
                return v == REMOVED ? null : v;
            }
        }
        return key instanceof String name ? seed.get(name) : null;
    }

    @Override
    public boolean containsKey(Object key) {
        return get(key) != null; // no value is null: Extracted.NULL stands for JSON's null
    }

    @Override
    public Object put(String key, Object value) {
        if (value == null) {
            throw new IllegalArgumentException("extracted values are never null; use Extracted.NULL");
        }
        Object before = get(key);
        if (written == null) {
            written = new HashMap<>(16); // no resize for a json stage's handful of keys
        }
        written.put(key, value);
        return before;
    }

    @Override
    public Object remove(Object key) {
        Object before = get(key);
        if (before != null && key instanceof String name) {
            if (written == null) {
                written = new HashMap<>(16); // no resize for a json stage's handful of keys
            }
            if (seed.has(name)) {
                written.put(name, REMOVED);
            } else {
                written.remove(name);
            }
        }
        return before;
    }

    @Override
    public void clear() {
        for (int i = 0; i < seed.size(); i++) {
            remove(seed.name(i));
        }
        if (written != null) {
            written.values().removeIf(v -> v != REMOVED);
        }
    }

    /** A copy: the seeded labels in order, then what stages wrote over or beside them. */
    @Override
    public Set<Entry<String, Object>> entrySet() {
        Map<String, Object> all = new LinkedHashMap<>();
        for (int i = 0; i < seed.size(); i++) {
            all.put(seed.name(i), seed.value(i));
        }
        if (written != null) {
            written.forEach((k, v) -> {
                if (v == REMOVED) {
                    all.remove(k);
                } else {
                    all.put(k, v);
                }
            });
        }
        return all.entrySet();
    }
}

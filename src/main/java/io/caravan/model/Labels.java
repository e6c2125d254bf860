package io.caravan.model;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * An immutable label set, sorted by name, as Prometheus and Loki see one: no two labels share a name and
 * no label has an empty value (an empty value means "absent", exactly as in Prometheus).
 * Stored as one flat array (name0, value0, name1, value1, ...) so a set costs one object and one array,
 * and its hash is computed once.
 */
public final class Labels implements Comparable<Labels> {

    public static final Labels EMPTY = new Labels(new String[0]);

    private final String[] pairs;
    private int hash; // 0 = not computed yet
    private volatile Memo memo;

    /** One derived form kept with the set, for the key it was made for. */
    private record Memo(Object key, Object value) {
    }

    private Labels(String[] pairs) {
        this.pairs = pairs;
    }

    /** Labels from alternating names and values, in any order; empty values are left out, a repeated name keeps the last value. */
    public static Labels of(String... namesAndValues) {
        if (namesAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("Labels.of needs name/value pairs, got " + namesAndValues.length + " strings");
        }
        Builder b = new Builder();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            b.set(namesAndValues[i], namesAndValues[i + 1]);
        }
        return b.build();
    }

    public static Labels fromMap(Map<String, String> map) {
        Builder b = new Builder();
        map.forEach(b::set);
        return b.build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder(this);
    }

    public int size() {
        return pairs.length >> 1;
    }

    /**
     * A value derived from this set, computed once per key and kept with it (one slot: a second key replaces
     * the first). The scrape cache hands out the same set scrape after scrape, so a sink's encoding of it
     * (remote write: the protobuf labels) is paid once per series instead of once per sample.
     */
    @SuppressWarnings("unchecked")
    public <T> T memo(Object key, java.util.function.Function<Labels, T> derive) {
        Memo m = memo;
        if (m != null && (m.key == key || m.key.equals(key))) {
            return (T) m.value;
        }
        T value = derive.apply(this);
        memo = new Memo(key, value);
        return value;
    }

    public boolean isEmpty() {
        return pairs.length == 0;
    }

    public String name(int i) {
        return pairs[i << 1];
    }

    public String value(int i) {
        return pairs[(i << 1) + 1];
    }

    /** The value of a label, or null when it is absent. */
    public String get(String name) {
        int i = indexOf(name);
        return i < 0 ? null : pairs[(i << 1) + 1];
    }

    /** The value of a label, or "" when it is absent (Prometheus' reading of a missing label). */
    public String getOrEmpty(String name) {
        String v = get(name);
        return v == null ? "" : v;
    }

    public boolean has(String name) {
        return indexOf(name) >= 0;
    }

    private int indexOf(String name) {
        int lo = 0;
        int hi = size() - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            int c = pairs[mid << 1].compareTo(name);
            if (c < 0) {
                lo = mid + 1;
            } else if (c > 0) {
                hi = mid - 1;
            } else {
                return mid;
            }
        }
        return -1;
    }

    public void forEach(BiConsumer<String, String> action) {
        for (int i = 0; i < pairs.length; i += 2) {
            action.accept(pairs[i], pairs[i + 1]);
        }
    }

    public Map<String, String> toMap() {
        Map<String, String> m = new LinkedHashMap<>(size() * 2);
        forEach(m::put);
        return m;
    }

    @Override
    public int hashCode() {
        int h = hash;
        if (h == 0) {
            h = Arrays.hashCode(pairs);
            hash = h == 0 ? 1 : h;
        }
        return hash;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof Labels other)) {
            return false;
        }
        return hashCode() == other.hashCode() && Arrays.equals(pairs, other.pairs);
    }

    @Override
    public int compareTo(Labels o) {
        int n = Math.min(pairs.length, o.pairs.length);
        for (int i = 0; i < n; i++) {
            int c = pairs[i].compareTo(o.pairs[i]);
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(pairs.length, o.pairs.length);
    }

    /** Prometheus' notation: {a="1", b="2"}, values escaped as in the exposition format. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(16 + pairs.length * 8).append('{');
        for (int i = 0; i < pairs.length; i += 2) {
            if (i > 0) {
                sb.append(", ");
            }
            sb.append(pairs[i]).append("=\"");
            appendEscaped(sb, pairs[i + 1]);
            sb.append('"');
        }
        return sb.append('}').toString();
    }

    static void appendEscaped(StringBuilder sb, String v) {
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            switch (c) {
                case '\\' -> sb.append("\\\\");
                case '"' -> sb.append("\\\"");
                case '\n' -> sb.append("\\n");
                default -> sb.append(c);
            }
        }
    }

    /**
     * A mutable scratch set; build() sorts once. Reusable: reset() keeps the arrays. Made from a set, it copies
     * nothing until the first change (reads go to the set): a log pipeline makes one per line and most lines keep
     * their labels.
     */
    public static final class Builder {
        private String[] names;  // null while reads go to unchanged
        private String[] values;
        private int n;
        private Labels unchanged; // the set this builder was made from, while no change was made: build() returns it

        public Builder() {
            names = new String[16];
            values = new String[16];
        }

        Builder(Labels base) {
            n = base.size();
            unchanged = base;
        }

        /** Before the first change: the arrays, copied from the set. */
        private void materialize() {
            if (names != null) {
                return;
            }
            names = new String[Math.max(16, n + 4)];
            values = new String[names.length];
            for (int i = 0; i < n; i++) {
                names[i] = unchanged.pairs[i << 1];
                values[i] = unchanged.pairs[(i << 1) + 1];
            }
        }

        public Builder reset() {
            materialize();
            unchanged = null;
            Arrays.fill(names, 0, n, null);
            Arrays.fill(values, 0, n, null);
            n = 0;
            return this;
        }

        public Builder reset(Labels base) {
            reset();
            for (int i = 0; i < base.size(); i++) {
                add(base.name(i), base.value(i));
            }
            unchanged = base;
            return this;
        }

        /** Sets a label; an empty or null value deletes it. */
        public Builder set(String name, String value) {
            if (names == null) {
                String now = unchanged.get(name);
                if (now == null ? value == null || value.isEmpty() : now.equals(value)) {
                    return this; // no change
                }
                materialize();
            }
            int i = find(name);
            if (value == null || value.isEmpty()) {
                if (i >= 0) {
                    removeAt(i);
                }
                return this;
            }
            if (i >= 0) {
                if (!values[i].equals(value)) {
                    values[i] = value;
                    unchanged = null;
                }
            } else {
                add(name, value);
            }
            return this;
        }

        public Builder del(String name) {
            if (names == null) {
                if (!unchanged.has(name)) {
                    return this;
                }
                materialize();
            }
            int i = find(name);
            if (i >= 0) {
                removeAt(i);
            }
            return this;
        }

        public String get(String name) {
            if (names == null) {
                return unchanged.get(name);
            }
            int i = find(name);
            return i < 0 ? null : values[i];
        }

        public String getOrEmpty(String name) {
            String v = get(name);
            return v == null ? "" : v;
        }

        public int size() {
            return n;
        }

        public String name(int i) {
            return names == null ? unchanged.name(i) : names[i];
        }

        public String value(int i) {
            return names == null ? unchanged.value(i) : values[i];
        }

        private void add(String name, String value) {
            unchanged = null;
            if (n == names.length) {
                names = Arrays.copyOf(names, n * 2);
                values = Arrays.copyOf(values, n * 2);
            }
            names[n] = name;
            values[n] = value;
            n++;
        }

        private int find(String name) {
            for (int i = 0; i < n; i++) {
                if (names[i].equals(name)) {
                    return i;
                }
            }
            return -1;
        }

        private void removeAt(int i) {
            unchanged = null;
            n--;
            names[i] = names[n];
            values[i] = values[n];
            names[n] = null;
            values[n] = null;
        }

        public Labels build() {
            if (unchanged != null) {
                return unchanged; // immutable: no need for a copy of what nothing changed
            }
            if (n == 0) {
                return EMPTY;
            }
            // insertion sort: label sets are small and often nearly sorted
            String[] pairs = new String[n << 1];
            int m = 0;
            for (int i = 0; i < n; i++) {
                String name = names[i];
                int j = m - 1;
                while (j >= 0 && pairs[j << 1].compareTo(name) > 0) {
                    pairs[(j + 1) << 1] = pairs[j << 1];
                    pairs[((j + 1) << 1) + 1] = pairs[(j << 1) + 1];
                    j--;
                }
                pairs[(j + 1) << 1] = name;
                pairs[((j + 1) << 1) + 1] = values[i];
                m++;
            }
            return new Labels(pairs);
        }
    }
}

package io.caravan.node;

import java.util.Arrays;

/**
 * One metric family of one scrape: name, help, type, its label names (kept in the order the exposition
 * writes them, sorted by name, as client_golang sorts a const metric's label pairs) and its samples,
 * stored flat (label values with stride = label count, values in a double array) so a family is reused
 * from scrape to scrape without allocating per sample.
 */
public final class MetricFamily {

    private final String name;
    private final String help;
    private final MetricType type;
    private final String[] labelNames;   // sorted by name
    private final int[] argToSlot;       // position of add()'s i-th value among the sorted labels
    private String[] labelValues = new String[0];
    private double[] values = new double[4];
    private int size;

    MetricFamily(String name, String help, MetricType type, String... labelNames) {
        this.name = name;
        this.help = help;
        this.type = type;
        int n = labelNames.length;
        String[] sorted = labelNames.clone();
        Arrays.sort(sorted);
        this.labelNames = sorted;
        this.argToSlot = new int[n];
        for (int i = 0; i < n; i++) {
            argToSlot[i] = Arrays.binarySearch(sorted, labelNames[i]);
        }
        this.labelValues = new String[4 * n];
    }

    public String name() {
        return name;
    }

    public String help() {
        return help;
    }

    public MetricType type() {
        return type;
    }

    /** Label names sorted by name (the order they are written in). */
    public String[] labelNames() {
        return labelNames.clone();
    }

    public int labelCount() {
        return labelNames.length;
    }

    public String labelName(int i) {
        return labelNames[i];
    }

    public int size() {
        return size;
    }

    public double value(int sample) {
        return values[sample];
    }

    /** The value of the label with sorted index {@code label} for a sample. */
    public String labelValue(int sample, int label) {
        return labelValues[sample * labelNames.length + label];
    }

    /** The value of a label by name, or null if the family has no such label. */
    public String labelValue(int sample, String labelName) {
        int i = Arrays.binarySearch(labelNames, labelName);
        return i < 0 ? null : labelValues[sample * labelNames.length + i];
    }

    void reset() {
        Arrays.fill(labelValues, 0, size * labelNames.length, null);
        size = 0;
    }

    private void grow() {
        if (size == values.length) {
            values = Arrays.copyOf(values, size * 2);
        }
        int need = (size + 1) * labelNames.length;
        if (need > labelValues.length) {
            labelValues = Arrays.copyOf(labelValues, Math.max(need, labelValues.length * 2));
        }
    }

    /** Adds a sample; label values in the order the label names were given when the family was made. */
    public void add(double value, String... labelValuesInDeclaredOrder) {
        if (labelValuesInDeclaredOrder.length != argToSlot.length) {
            throw new IllegalArgumentException(name + " has " + argToSlot.length + " labels, got " + labelValuesInDeclaredOrder.length);
        }
        grow();
        int base = size * labelNames.length;
        for (int i = 0; i < argToSlot.length; i++) {
            String v = labelValuesInDeclaredOrder[i];
            labelValues[base + argToSlot[i]] = v == null ? "" : v;
        }
        values[size++] = value;
    }

    /** Adds an unlabelled sample. */
    public void add(double value) {
        if (labelNames.length != 0) {
            throw new IllegalArgumentException(name + " needs " + labelNames.length + " labels");
        }
        grow();
        values[size++] = value;
    }

    /** Adds a sample with exactly one label (no varargs array). */
    public void add1(double value, String v0) {
        if (labelNames.length != 1) {
            throw new IllegalArgumentException(name + " has " + labelNames.length + " labels, not 1");
        }
        grow();
        labelValues[size] = v0 == null ? "" : v0;
        values[size++] = value;
    }

    /** Adds a sample with exactly two labels given in declared order (no varargs array). */
    public void add2(double value, String v0, String v1) {
        if (labelNames.length != 2) {
            throw new IllegalArgumentException(name + " has " + labelNames.length + " labels, not 2");
        }
        grow();
        int base = size * 2;
        labelValues[base + argToSlot[0]] = v0 == null ? "" : v0;
        labelValues[base + argToSlot[1]] = v1 == null ? "" : v1;
        values[size++] = value;
    }

    /** Sample order as the registry writes it: by label values, label by label in name order. */
    int[] sortedOrder(int[] scratch) {
        int[] idx = scratch != null && scratch.length >= size ? scratch : new int[Math.max(size, 16)];
        for (int i = 0; i < size; i++) {
            idx[i] = i;
        }
        int n = labelNames.length;
        if (n == 0 || size < 2) {
            return idx;
        }
        // insertion sort: families are small and usually nearly sorted
        for (int i = 1; i < size; i++) {
            int cur = idx[i];
            int j = i - 1;
            while (j >= 0 && compareSamples(idx[j], cur) > 0) {
                idx[j + 1] = idx[j];
                j--;
            }
            idx[j + 1] = cur;
        }
        return idx;
    }

    private int compareSamples(int a, int b) {
        int n = labelNames.length;
        int ba = a * n;
        int bb = b * n;
        for (int i = 0; i < n; i++) {
            int c = labelValues[ba + i].compareTo(labelValues[bb + i]);
            if (c != 0) {
                return c;
            }
        }
        return 0;
    }
}

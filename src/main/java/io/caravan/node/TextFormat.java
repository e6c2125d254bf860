package io.caravan.node;

import java.util.List;

/** Writes families in the Prometheus text format 0.0.4, as client_golang's expfmt does. */
final class TextFormat {

    private final byte[] digits = new byte[32];
    private int[] order = new int[64];

    /** Writes families already sorted by name. */
    void write(List<MetricFamily> families, ByteOut out) {
        for (int f = 0; f < families.size(); f++) {
            MetricFamily fam = families.get(f);
            String name = fam.name();
            out.ascii("# HELP ");
            out.ascii(name);
            out.write(' ');
            escape(out, fam.help(), false);
            out.ascii("\n# TYPE ");
            out.ascii(name);
            out.write(' ');
            out.ascii(fam.type().text);
            out.write('\n');
            int size = fam.size();
            if (order.length < size) {
                order = new int[Math.max(size, order.length * 2)];
            }
            int[] idx = fam.sortedOrder(order);
            int labels = fam.labelCount();
            for (int k = 0; k < size; k++) {
                int s = idx[k];
                out.ascii(name);
                if (labels > 0) {
                    out.write('{');
                    for (int l = 0; l < labels; l++) {
                        if (l > 0) {
                            out.write(',');
                        }
                        out.ascii(fam.labelName(l));
                        out.write('=');
                        out.write('"');
                        escape(out, fam.labelValue(s, l), true);
                        out.write('"');
                    }
                    out.write('}');
                }
                out.write(' ');
                double v = fam.value(s);
                // expfmt's own fast paths
                if (v == 0 && Double.doubleToRawLongBits(v) == 0) {
                    out.write('0');
                } else if (v == 1) {
                    out.write('1');
                } else if (v == -1) {
                    out.ascii("-1");
                } else {
                    GoFloat.append(out, v, digits);
                }
                out.write('\n');
            }
        }
    }

    /** Label values escape backslash, double quote and newline; help text backslash and newline. */
    static void escape(ByteOut out, String s, boolean quote) {
        int n = s.length();
        int start = 0;
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c == '\\' || c == '\n' || (quote && c == '"')) {
                if (i > start) {
                    out.ascii(s.substring(start, i));
                }
                out.write('\\');
                out.write(c == '\n' ? 'n' : c);
                start = i + 1;
            }
        }
        if (start == 0) {
            out.ascii(s);
        } else if (start < n) {
            out.ascii(s.substring(start));
        }
    }
}

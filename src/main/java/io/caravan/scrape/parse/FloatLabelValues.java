package io.caravan.scrape.parse;

import java.nio.charset.StandardCharsets;

/**
 * The {@code le} and {@code quantile} values the protobuf format gives as doubles, rendered as Prometheus renders
 * them ({@link OpenMetricsFloatFormat}), as a String for the labels and as bytes for the series key. Bucket bounds
 * and quantiles repeat across every histogram and summary of a scrape, so a small direct-mapped cache keeps each
 * rendering once.
 */
final class FloatLabelValues {

    private static final int SLOTS = 256;

    private final long[] bits = new long[SLOTS];
    private final String[] strings = new String[SLOTS];
    private final byte[][] bytes = new byte[SLOTS][];

    String string(double v) {
        return strings[slot(v)];
    }

    byte[] bytes(double v) {
        return bytes[slot(v)];
    }

    private int slot(double v) {
        long b = Double.doubleToRawLongBits(v);
        long h = b * 0x9E3779B97F4A7C15L;
        int slot = (int) (h >>> 56);
        if (strings[slot] == null || bits[slot] != b) {
            String s = OpenMetricsFloatFormat.format(v);
            bits[slot] = b;
            strings[slot] = s;
            bytes[slot] = s.getBytes(StandardCharsets.US_ASCII);
        }
        return slot;
    }
}

package io.caravan.node;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Turns byte ranges into Strings without allocating when the same bytes were seen at the same position
 * in the previous scrape: /proc files keep their field order, so a collector that asks for "the i-th name"
 * each scrape gets the cached String back after one byte comparison.
 */
final class NameCache {

    private byte[][] bytes = new byte[32][];
    private String[] strings = new String[32];

    String get(int slot, byte[] buf, int start, int end) {
        if (slot >= strings.length) {
            bytes = Arrays.copyOf(bytes, Math.max(slot + 1, strings.length * 2));
            strings = Arrays.copyOf(strings, bytes.length);
        }
        byte[] b = bytes[slot];
        int n = end - start;
        if (b != null && b.length == n && Arrays.equals(b, 0, n, buf, start, end)) {
            return strings[slot];
        }
        b = Arrays.copyOfRange(buf, start, end);
        String s = new String(b, StandardCharsets.UTF_8);
        bytes[slot] = b;
        strings[slot] = s;
        return s;
    }
}

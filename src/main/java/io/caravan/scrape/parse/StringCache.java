package io.caravan.scrape.parse;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A small direct-mapped cache from byte ranges to Strings. Label names and most label values repeat on
 * every line of a scrape, so labels() can hand out the same String instead of decoding it again.
 */
final class StringCache {

    private static final int MAX_KEY = 96;

    private final byte[][] keys;
    private final String[] strings;
    private final int mask;

    StringCache(int sizePowerOfTwo) {
        keys = new byte[sizePowerOfTwo][];
        strings = new String[sizePowerOfTwo];
        mask = sizePowerOfTwo - 1;
    }

    String get(byte[] b, int from, int to) {
        int len = to - from;
        if (len > MAX_KEY) {
            return new String(b, from, len, StandardCharsets.UTF_8);
        }
        int h = len;
        for (int i = from; i < to; i++) {
            h = 31 * h + b[i];
        }
        int slot = (h ^ (h >>> 16)) & mask;
        byte[] key = keys[slot];
        if (key != null && Arrays.equals(key, 0, key.length, b, from, to)) {
            return strings[slot];
        }
        String s = new String(b, from, len, StandardCharsets.UTF_8);
        keys[slot] = Arrays.copyOfRange(b, from, to);
        strings[slot] = s;
        return s;
    }
}

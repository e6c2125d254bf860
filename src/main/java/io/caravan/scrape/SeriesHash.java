package io.caravan.scrape;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * A 64-bit hash of a byte range, eight bytes per step, with xxHash64's constants and final mix: good
 * avalanche, so the scrape cache can tell series apart by hash alone.
 */
final class SeriesHash {

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long P1 = 0x9E3779B185EBCA87L;
    private static final long P2 = 0xC2B2AE3D27D4EB4FL;
    private static final long P3 = 0x165667B19E3779F9L;
    private static final long P4 = 0x85EBCA77C2B2AE63L;
    private static final long P5 = 0x27D4EB2F165667C5L;

    private SeriesHash() {
    }

    static long of(byte[] b, int off, int len) {
        long h = P5 + len;
        int i = off;
        int end = off + len;
        for (; i + 8 <= end; i += 8) {
            long k = (long) LONGS.get(b, i);
            k = Long.rotateLeft(k * P2, 31) * P1;
            h = Long.rotateLeft(h ^ k, 27) * P1 + P4;
        }
        for (; i < end; i++) {
            h = Long.rotateLeft(h ^ ((b[i] & 0xFFL) * P5), 11) * P1;
        }
        h ^= h >>> 33;
        h *= P2;
        h ^= h >>> 29;
        h *= P3;
        h ^= h >>> 32;
        return h;
    }
}

package io.caravan.relabel;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Prometheus' hashmod bucket: MD5 of the UTF-8 bytes, bytes 8..15 of the digest read as a big-endian unsigned
 * 64-bit number, modulo the modulus. Same bucket as every Prometheus and Alloy, so shards agree across a fleet.
 */
final class HashMod {

    /** MessageDigest is not thread-safe and costly to look up; one per thread. */
    private static final ThreadLocal<MessageDigest> MD5 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM has no MD5", e);
        }
    });

    private HashMod() {
    }

    /** The bucket of {@code value}; {@code modulus} is unsigned and non-zero. */
    static long bucket(String value, long modulus) {
        MessageDigest md = MD5.get();
        byte[] digest = md.digest(value.getBytes(StandardCharsets.UTF_8));
        long h = 0;
        for (int i = 8; i < 16; i++) {
            h = (h << 8) | (digest[i] & 0xFF);
        }
        return Long.remainderUnsigned(h, modulus);
    }
}

package io.caravan.logs;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32C;
import java.util.zip.GZIPOutputStream;

import static org.assertj.core.api.Assertions.assertThat;

class FingerprintTest {

    @TempDir
    Path dir;

    static byte[] text(int n) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; sb.length() < n; i++) {
            sb.append("{\"kind\":\"Event\",\"apiVersion\":\"audit.k8s.io/v1\",\"auditID\":\"").append(i).append("\"}\n");
        }
        return sb.substring(0, n).getBytes(StandardCharsets.UTF_8);
    }

    static long crc(byte[] a, int n) {
        CRC32C c = new CRC32C();
        c.update(a, 0, n);
        return c.getValue();
    }

    @Test
    void growsWithTheBytesReadUpTo1KiBAndIgnoresBytesReadAgain() {
        byte[] a = text(3000);
        Fingerprint.Builder b = new Fingerprint.Builder();
        b.add(a, 0, 100, 0);
        assertThat(b.value()).isEqualTo(new Fingerprint(100, crc(a, 100)));
        b.add(a, 40, 200, 40);  // read again after a rollback, and further
        b.add(a, 300, 10, 300); // a gap (never happens): ignored, not taken for the prefix
        assertThat(b.value()).isEqualTo(new Fingerprint(240, crc(a, 240)));
        b.add(a, 240, 2000, 240);
        assertThat(b.value()).isEqualTo(new Fingerprint(Fingerprint.MAX_BYTES, crc(a, Fingerprint.MAX_BYTES)));
        b.add(a, 2240, 500, 2240);
        assertThat(b.length()).isEqualTo(Fingerprint.MAX_BYTES);
    }

    @Test
    void aFileOpenedAtAnOffsetIsFingerprintedUpToIt() throws IOException {
        byte[] a = text(5000);
        Path f = dir.resolve("a.log");
        Files.write(f, a);
        try (LogFile file = LogFile.open(f)) {
            Fingerprint.Builder small = new Fingerprint.Builder();
            small.readFrom(file, 300);
            assertThat(small.value()).isEqualTo(new Fingerprint(300, crc(a, 300)));
            Fingerprint.Builder big = new Fingerprint.Builder();
            big.readFrom(file, 4000);
            assertThat(big.value()).isEqualTo(new Fingerprint(Fingerprint.MAX_BYTES, crc(a, Fingerprint.MAX_BYTES)));
        }
    }

    @Test
    void matchesACopyAndItsGzipButNotOtherOrShorterContent() throws IOException {
        byte[] a = text(4000);
        Fingerprint print = new Fingerprint(Fingerprint.MAX_BYTES, crc(a, Fingerprint.MAX_BYTES));
        Path copy = dir.resolve("a.log.1");
        Files.write(copy, a);
        Path gz = dir.resolve("a.log.1.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gz))) {
            out.write(a);
        }
        byte[] other = a.clone();
        other[1000] = 'X'; // same first 1000 bytes (the audit events' common start and more), then different
        Path differs = dir.resolve("b.log");
        Files.write(differs, other);
        Path shorter = dir.resolve("c.log");
        Files.write(shorter, java.util.Arrays.copyOf(a, 1000));
        Path notGzip = dir.resolve("d.log.gz");
        Files.write(notGzip, a);

        assertThat(print.matches(copy)).isTrue();
        assertThat(print.matches(gz)).isTrue();
        assertThat(print.matches(differs)).isFalse();
        assertThat(print.matches(shorter)).isFalse();
        assertThat(print.matches(notGzip)).as("named .gz but not gzip: unreadable, no match").isFalse();
        assertThat(print.matches(dir.resolve("missing.log"))).isFalse();
        assertThat(new Fingerprint(1000, crc(a, 1000)).matches(shorter)).isTrue();
    }

    @Test
    void aCompressedFileIsReadAtAnyOffsetOfItsContentAndADamagedOneEndsWhereTheDamageIs() throws IOException {
        byte[] a = text(200_000);
        Path gz = dir.resolve("x.log.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gz))) {
            out.write(a);
        }
        try (LogFile f = LogFile.open(gz)) {
            ByteBuffer buf = ByteBuffer.allocate(100);
            assertThat(f.read(buf, 150_000)).isEqualTo(100);
            assertThat(new String(buf.array(), 0, 100, StandardCharsets.UTF_8)).isEqualTo(new String(a, 150_000, 100, StandardCharsets.UTF_8));
            buf.clear();
            assertThat(f.read(buf, 10)).as("back: decompressed again from the start").isEqualTo(100);
            assertThat(new String(buf.array(), 0, 100, StandardCharsets.UTF_8)).isEqualTo(new String(a, 10, 100, StandardCharsets.UTF_8));
            assertThat(f.damage()).isNull();
        }
        byte[] whole = Files.readAllBytes(gz);
        Path cut = dir.resolve("cut.log.gz");
        Files.write(cut, java.util.Arrays.copyOf(whole, whole.length / 2));
        try (LogFile f = LogFile.open(cut)) {
            ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
            long pos = 0;
            int n;
            while ((n = f.read(buf, pos)) > 0) {
                pos += n;
                buf.clear();
            }
            assertThat(pos).isPositive().isLessThan(a.length);
            assertThat(f.damage()).isNotNull();
        }
    }

    @Test
    void storedFormRoundTripsAndDamagedFormsAreNone() {
        Fingerprint p = new Fingerprint(1024, 0xfedcba98L);
        assertThat(Fingerprint.decode(p.encode())).isEqualTo(p);
        assertThat(Fingerprint.decode(null)).isNull();
        assertThat(Fingerprint.decode("nonsense")).isNull();
        assertThat(Fingerprint.decode("2000:ab")).isNull();
        assertThat(Fingerprint.decode("-1:ab")).isNull();
    }
}

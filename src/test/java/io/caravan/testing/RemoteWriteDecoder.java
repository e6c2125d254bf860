package io.caravan.testing;

import io.caravan.model.Labels;
import io.caravan.model.Sample;
import org.xerial.snappy.Snappy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Decodes a snappy-compressed remote_write 1.0 WriteRequest the way a receiver does, independently of
 * the encoder under test. Also checks what the spec requires of a sender: labels sorted by name, no
 * duplicate or empty label, a __name__ on every series.
 */
public final class RemoteWriteDecoder {

    private RemoteWriteDecoder() {
    }

    public static List<Sample> decode(byte[] snappyBody) throws IOException {
        byte[] raw = Snappy.uncompress(snappyBody);
        List<Sample> out = new ArrayList<>();
        Reader r = new Reader(raw, 0, raw.length);
        while (r.more()) {
            int tag = (int) r.varint();
            if (tag >>> 3 == 1 && (tag & 7) == 2) {
                Reader ts = r.sub();
                List<String> names = new ArrayList<>();
                List<String> values = new ArrayList<>();
                List<double[]> samples = new ArrayList<>();
                List<Long> times = new ArrayList<>();
                while (ts.more()) {
                    int t = (int) ts.varint();
                    Reader m = ts.sub();
                    if (t >>> 3 == 1) {
                        String name = "";
                        String value = "";
                        while (m.more()) {
                            int lt = (int) m.varint();
                            String s = m.string();
                            if (lt >>> 3 == 1) {
                                name = s;
                            } else {
                                value = s;
                            }
                        }
                        names.add(name);
                        values.add(value);
                    } else if (t >>> 3 == 2) {
                        double v = 0;
                        long time = 0;
                        while (m.more()) {
                            int st = (int) m.varint();
                            if (st >>> 3 == 1) {
                                v = Double.longBitsToDouble(m.fixed64());
                            } else {
                                time = m.varint();
                            }
                        }
                        samples.add(new double[]{v});
                        times.add(time);
                    }
                }
                for (int i = 1; i < names.size(); i++) {
                    if (names.get(i - 1).compareTo(names.get(i)) >= 0) {
                        throw new IOException("labels not sorted or repeated: " + names);
                    }
                }
                if (!names.contains("__name__") || values.contains("")) {
                    throw new IOException("series without __name__ or with an empty label value: " + names + values);
                }
                Labels.Builder b = Labels.builder();
                for (int i = 0; i < names.size(); i++) {
                    b.set(names.get(i), values.get(i));
                }
                Labels labels = b.build();
                for (int i = 0; i < samples.size(); i++) {
                    out.add(new Sample(labels, times.get(i), samples.get(i)[0]));
                }
            } else {
                r.skip(tag & 7);
            }
        }
        return out;
    }

    private static final class Reader {
        final byte[] b;
        int pos;
        final int end;

        Reader(byte[] b, int pos, int end) {
            this.b = b;
            this.pos = pos;
            this.end = end;
        }

        boolean more() {
            return pos < end;
        }

        long varint() {
            long v = 0;
            int shift = 0;
            while (true) {
                byte x = b[pos++];
                v |= (long) (x & 0x7F) << shift;
                if ((x & 0x80) == 0) {
                    return v;
                }
                shift += 7;
            }
        }

        long fixed64() {
            long v = 0;
            for (int i = 0; i < 8; i++) {
                v |= (long) (b[pos++] & 0xFF) << (8 * i);
            }
            return v;
        }

        Reader sub() {
            int len = (int) varint();
            Reader r = new Reader(b, pos, pos + len);
            pos += len;
            return r;
        }

        String string() {
            int len = (int) varint();
            String s = new String(b, pos, len, StandardCharsets.UTF_8);
            pos += len;
            return s;
        }

        void skip(int wire) {
            switch (wire) {
                case 0 -> varint();
                case 1 -> pos += 8;
                case 2 -> {
                    int len = (int) varint(); // read first: `pos += varint()` would add to the pos from before the length
                    pos += len;
                }
                case 5 -> pos += 4;
                default -> throw new IllegalStateException("wire type " + wire);
            }
        }
    }
}

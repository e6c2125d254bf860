package io.caravan.scrape.parse;

import io.caravan.wire.ProtoWriter;
import java.io.ByteArrayOutputStream;

/**
 * Test helper: builds {@code io.prometheus.client} messages field by field with {@link ProtoWriter}, and a
 * delimited body of MetricFamily messages. Field numbers as in prompb/io/prometheus/client/metrics.proto.
 */
final class MetricFamilyEncoder {

    static final int COUNTER = 0;
    static final int GAUGE = 1;
    static final int SUMMARY = 2;
    static final int UNTYPED = 3;
    static final int HISTOGRAM = 4;
    static final int GAUGE_HISTOGRAM = 5;

    private MetricFamilyEncoder() {
    }

    /** One message, its fields written in the order given. */
    static final class Msg {
        final ProtoWriter w = new ProtoWriter(64);

        Msg str(int field, String s) {
            w.string(field, s);
            return this;
        }

        Msg bytes(int field, byte[] b) {
            w.tag(field, ProtoWriter.LEN);
            w.varint(b.length);
            w.raw(b, 0, b.length);
            return this;
        }

        Msg varint(int field, long v) {
            w.tag(field, ProtoWriter.VARINT);
            w.varint(v);
            return this;
        }

        Msg sint(int field, long v) {
            return varint(field, (v << 1) ^ (v >> 63));
        }

        Msg dbl(int field, double v) {
            w.tag(field, ProtoWriter.FIXED64);
            w.fixed64(Double.doubleToRawLongBits(v));
            return this;
        }

        Msg msg(int field, Msg sub) {
            return bytes(field, sub.toBytes());
        }

        Msg packedSint(int field, long... vs) {
            Msg inner = new Msg();
            for (long v : vs) {
                inner.w.varint((v << 1) ^ (v >> 63));
            }
            return bytes(field, inner.toBytes());
        }

        Msg packedDouble(int field, double... vs) {
            Msg inner = new Msg();
            for (double v : vs) {
                inner.w.fixed64(Double.doubleToRawLongBits(v));
            }
            return bytes(field, inner.toBytes());
        }

        byte[] toBytes() {
            return w.toByteArray();
        }
    }

    static Msg msg() {
        return new Msg();
    }

    static Msg family(String name, String help, int type) {
        return msg().str(1, name).str(2, help).varint(3, type);
    }

    static Msg label(String name, String value) {
        return msg().str(1, name).str(2, value);
    }

    static Msg timestamp(long seconds, int nanos) {
        return msg().varint(1, seconds).varint(2, nanos);
    }

    static Msg exemplar(String labelName, String labelValue, double value, Msg timestamp) {
        Msg e = msg().msg(1, label(labelName, labelValue)).dbl(2, value);
        return timestamp == null ? e : e.msg(3, timestamp);
    }

    static Msg bucket(long cumulative, double upperBound) {
        return msg().varint(1, cumulative).dbl(2, upperBound);
    }

    static Msg span(int offset, int length) {
        return msg().sint(1, offset).varint(2, length);
    }

    static Msg quantile(double q, double v) {
        return msg().dbl(1, q).dbl(2, v);
    }

    /** MetricFamily messages, each after its varint length. */
    static byte[] body(Msg... families) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ProtoWriter len = new ProtoWriter(16);
        for (Msg f : families) {
            byte[] b = f.toBytes();
            len.reset();
            len.varint(b.length);
            out.write(len.array(), 0, len.size());
            out.write(b, 0, b.length);
        }
        return out.toByteArray();
    }
}

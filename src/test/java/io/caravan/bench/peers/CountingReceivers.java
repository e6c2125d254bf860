package io.caravan.bench.peers;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.caravan.loki.testing.LokiPushDecoder;
import io.caravan.model.Labels;
import io.caravan.model.Sample;
import io.caravan.testing.RemoteWriteDecoder;
import org.xerial.snappy.Snappy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The receivers both sides write to, on 127.0.0.1: a Prometheus remote_write 1.0 endpoint and a Loki push
 * endpoint. Each decodes every request with the test decoders (snappy + protobuf, read independently of
 * Caravan's encoders), counts what it holds and answers 204. Nothing is kept but counts and a 64-bit hash per
 * distinct series or stream.
 */
final class CountingReceivers {

    private CountingReceivers() {
    }

    abstract static class Receiver implements AutoCloseable {
        private final HttpServer server;
        private final ExecutorService pool;
        final AtomicLong requests = new AtomicLong();
        final AtomicLong errors = new AtomicLong();
        final AtomicLong bytes = new AtomicLong();
        volatile long firstRequestNanos;
        volatile String lastError = "";

        Receiver(String path) throws IOException {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 256);
            pool = Executors.newFixedThreadPool(4, r -> {
                Thread t = new Thread(r, "receiver");
                t.setDaemon(true);
                return t;
            });
            server.setExecutor(pool);
            server.createContext(path, this::handle);
            server.start();
        }

        private void handle(HttpExchange ex) throws IOException {
            try (ex) {
                byte[] body = ex.getRequestBody().readAllBytes();
                if (firstRequestNanos == 0) {
                    synchronized (this) {
                        if (firstRequestNanos == 0) {
                            firstRequestNanos = System.nanoTime();
                        }
                    }
                }
                requests.incrementAndGet();
                bytes.addAndGet(body.length);
                try {
                    count(body);
                    ex.sendResponseHeaders(204, -1);
                } catch (Exception e) {
                    long n = errors.incrementAndGet();
                    lastError = String.valueOf(e.getMessage());
                    String keep = System.getProperty("bench.keepBadBodies");
                    if (keep != null && n <= 5) {
                        java.nio.file.Files.write(java.nio.file.Path.of(keep, "bad-" + System.nanoTime() + ".bin"), body);
                    }
                    ex.sendResponseHeaders(400, -1);
                }
            }
        }

        abstract void count(byte[] body) throws IOException;

        String url(String path) {
            return "http://127.0.0.1:" + server.getAddress().getPort() + path;
        }

        @Override
        public void close() {
            server.stop(0);
            pool.shutdownNow();
        }
    }

    /** remote_write: samples and distinct series. */
    static final class RemoteWrite extends Receiver {
        final AtomicLong samples = new AtomicLong();
        final Set<Long> series = ConcurrentHashMap.newKeySet();

        RemoteWrite() throws IOException {
            super("/api/v1/write");
        }

        String url() {
            return url("/api/v1/write");
        }

        final AtomicLong metadataRequests = new AtomicLong();

        @Override
        void count(byte[] body) throws IOException {
            List<Sample> decoded = RemoteWriteDecoder.decode(timeseriesOnly(body));
            Labels last = null;
            for (Sample s : decoded) {
                if (s.labels() != last) {
                    series.add(hash(s.labels()));
                    last = s.labels();
                }
            }
            samples.addAndGet(decoded.size());
        }

        /**
         * The request with only its timeseries (field 1): Prometheus also sends metadata (field 3, in requests of their
         * own), which RemoteWriteDecoder cannot skip (its skip of a length-delimited field, {@code pos += (int) varint()},
         * loses the length's bytes: Java reads pos before varint() moves it). Caravan sends no metadata.
         */
        private byte[] timeseriesOnly(byte[] body) throws IOException {
            byte[] raw = Snappy.uncompress(body);
            int pos = 0;
            boolean other = false;
            java.io.ByteArrayOutputStream kept = new java.io.ByteArrayOutputStream(raw.length);
            while (pos < raw.length) {
                int start = pos;
                long tag = 0;
                for (int shift = 0; ; shift += 7) {
                    byte b = raw[pos++];
                    tag |= (long) (b & 0x7F) << shift;
                    if (b >= 0) {
                        break;
                    }
                }
                if ((tag & 7) != 2) {
                    throw new IOException("unexpected wire type " + (tag & 7) + " at the top of a WriteRequest");
                }
                long len = 0;
                for (int shift = 0; ; shift += 7) {
                    byte b = raw[pos++];
                    len |= (long) (b & 0x7F) << shift;
                    if (b >= 0) {
                        break;
                    }
                }
                pos += (int) len;
                if (tag >>> 3 == 1) {
                    kept.write(raw, start, pos - start);
                } else {
                    other = true;
                }
            }
            if (!other) {
                return body;
            }
            metadataRequests.incrementAndGet();
            return Snappy.compress(kept.toByteArray());
        }

        private static long hash(Labels l) {
            long h = 0xcbf29ce484222325L;
            for (int i = 0; i < l.size(); i++) {
                h = fnv(fnv(h, l.name(i)), l.value(i));
            }
            return h;
        }
    }

    /** Loki push: entries and distinct streams. */
    static final class Loki extends Receiver {
        final AtomicLong entries = new AtomicLong();
        final Set<Long> streams = ConcurrentHashMap.newKeySet();

        Loki() throws IOException {
            super("/loki/api/v1/push");
        }

        String url() {
            return url("/loki/api/v1/push");
        }

        @Override
        void count(byte[] body) throws IOException {
            long n = 0;
            for (LokiPushDecoder.Stream s : LokiPushDecoder.decode(body)) {
                streams.add(fnv(0xcbf29ce484222325L, s.labels()));
                n += s.entries().size();
            }
            entries.addAndGet(n);
        }
    }

    static long fnv(long h, String s) {
        for (int i = 0; i < s.length(); i++) {
            h ^= s.charAt(i);
            h *= 0x100000001b3L;
        }
        h ^= 0xff;
        return h * 0x100000001b3L;
    }
}

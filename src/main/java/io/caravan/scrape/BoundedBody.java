package io.caravan.scrape;

import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * Collects a response body without blocking a thread, up to a byte limit, and can be aborted from outside
 * (the scrape timeout): a target that trickles bytes forever or sends a huge body costs one bounded
 * buffer and never a worker thread.
 */
final class BoundedBody implements HttpResponse.BodyHandler<byte[]> {

    static final class TooLarge extends RuntimeException {
        TooLarge(long limit) {
            super("body larger than the limit of " + limit + " bytes (bodySizeLimit)");
        }
    }

    private final long limit;
    private volatile Collector collector;
    private volatile boolean aborted;

    BoundedBody(long limit) {
        this.limit = limit <= 0 ? Long.MAX_VALUE : limit;
    }

    @Override
    public HttpResponse.BodySubscriber<byte[]> apply(HttpResponse.ResponseInfo info) {
        // With a Content-Length the buffer is allocated once at its final size: no growth, no final copy.
        long announced = info.headers().firstValueAsLong("Content-Length").orElse(-1);
        Collector c = new Collector(announced > 0 && announced <= Math.min(limit, 256L << 20) ? (int) announced : 8192);
        collector = c;
        if (aborted) {
            c.abort(new java.util.concurrent.CancellationException("scrape timed out"));
        }
        return c;
    }

    void abort(Throwable why) {
        aborted = true;
        Collector c = collector;
        if (c != null) {
            c.abort(why);
        }
    }

    private final class Collector implements HttpResponse.BodySubscriber<byte[]> {
        private final CompletableFuture<byte[]> result = new CompletableFuture<>();
        private volatile Flow.Subscription subscription;
        private byte[] buf;
        private int size;

        Collector(int initialCapacity) {
            buf = new byte[initialCapacity];
        }

        @Override
        public CompletionStage<byte[]> getBody() {
            return result;
        }

        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription = s;
            if (result.isDone()) {
                s.cancel();
            } else {
                s.request(Long.MAX_VALUE);
            }
        }

        @Override
        public void onNext(List<ByteBuffer> items) {
            if (result.isDone()) {
                return;
            }
            for (ByteBuffer bb : items) {
                int n = bb.remaining();
                if ((long) size + n > limit) {
                    abort(new TooLarge(limit));
                    return;
                }
                if (size + n > buf.length) {
                    buf = Arrays.copyOf(buf, Math.max(buf.length * 2, size + n));
                }
                bb.get(buf, size, n);
                size += n;
            }
        }

        @Override
        public void onError(Throwable t) {
            result.completeExceptionally(t);
        }

        @Override
        public void onComplete() {
            result.complete(size == buf.length ? buf : Arrays.copyOf(buf, size));
        }

        void abort(Throwable why) {
            if (result.completeExceptionally(why)) {
                Flow.Subscription s = subscription;
                if (s != null) {
                    s.cancel();
                }
            }
        }
    }
}

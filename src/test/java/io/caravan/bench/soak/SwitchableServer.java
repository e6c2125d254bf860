package io.caravan.bench.soak;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A loopback HTTP receiver on a fixed port that can be cut off in two ways: {@link Mode#REFUSE_503} (it answers
 * every request 503, as an overloaded Mimir or Loki does) and {@link Mode#CLOSED} (the listening socket is closed
 * and open connections dropped, as when the receiver's pod is gone: connection refused).
 */
final class SwitchableServer implements AutoCloseable {

    enum Mode { UP, REFUSE_503, CLOSED }

    /** Handles one accepted request body; returns the HTTP status to answer (2xx = accepted). */
    interface Handler {
        int handle(byte[] body) throws Exception;
    }

    private final String path;
    private final Handler handler;
    private final ExecutorService pool;
    private final int port;
    private HttpServer server;
    private volatile Mode mode = Mode.UP;
    final AtomicLong accepted = new AtomicLong();
    final AtomicLong refused = new AtomicLong();
    final AtomicLong failed = new AtomicLong();
    volatile String lastFailure;

    SwitchableServer(String name, String path, int threads, Handler handler) throws IOException {
        this.path = path;
        this.handler = handler;
        this.pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        });
        this.server = bind(0);
        this.port = server.getAddress().getPort();
    }

    String url() {
        return "http://127.0.0.1:" + port + path;
    }

    Mode mode() {
        return mode;
    }

    synchronized void mode(Mode next) throws IOException {
        if (next == mode) {
            return;
        }
        if (mode == Mode.CLOSED) {
            server = bind(port);
        }
        if (next == Mode.CLOSED) {
            server.stop(0);
        }
        mode = next;
    }

    private HttpServer bind(int onPort) throws IOException {
        long deadline = System.currentTimeMillis() + 15_000;
        while (true) {
            try {
                HttpServer s = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), onPort), 64);
                s.setExecutor(pool);
                s.createContext(path, this::exchange);
                s.start();
                return s;
            } catch (BindException e) {
                if (System.currentTimeMillis() > deadline) {
                    throw e;
                }
                try {
                    Thread.sleep(200);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    private void exchange(HttpExchange ex) throws IOException {
        try (ex; InputStream in = ex.getRequestBody()) {
            byte[] body = in.readAllBytes();
            if (mode == Mode.REFUSE_503) {
                refused.incrementAndGet();
                ex.sendResponseHeaders(503, -1);
                return;
            }
            int status;
            try {
                status = handler.handle(body);
            } catch (Exception e) {
                lastFailure = e.toString();
                status = 400;
            }
            if (status / 100 == 2) {
                accepted.incrementAndGet();
            } else {
                failed.incrementAndGet();
            }
            ex.sendResponseHeaders(status, -1);
        }
    }

    @Override
    public synchronized void close() {
        if (mode != Mode.CLOSED) {
            server.stop(0);
        }
        mode = Mode.CLOSED;
        pool.shutdownNow();
    }
}

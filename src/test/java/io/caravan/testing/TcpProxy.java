package io.caravan.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;

/**
 * A TCP proxy on 127.0.0.1 in front of a local server, for the network faults tests need: {@link #cutAll()} closes
 * every connection (a flaky load balancer: clients reconnect at once); {@link #partition()} closes them and then
 * accepts new ones but never answers (packets dropped: requests hang until they time out) until {@link #heal()}.
 * An optional rewrite sees the first bytes of each read from the client (a request head) and may change them.
 */
public final class TcpProxy implements AutoCloseable {

    private final ServerSocket socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    private final List<Socket> open = new CopyOnWriteArrayList<>();
    private final AtomicInteger accepted = new AtomicInteger();
    private final AtomicInteger cuts = new AtomicInteger();
    private final UnaryOperator<byte[]> rewrite;
    private volatile boolean partitioned;

    public TcpProxy(int upstreamPort) throws IOException {
        this(upstreamPort, UnaryOperator.identity());
    }

    public TcpProxy(int upstreamPort, UnaryOperator<byte[]> rewriteRequests) throws IOException {
        this.rewrite = rewriteRequests;
        Thread acceptor = new Thread(() -> {
            while (!socket.isClosed()) {
                try {
                    Socket client = socket.accept();
                    open.add(client);
                    if (partitioned) {
                        pump(client, OutputStream.nullOutputStream(), UnaryOperator.identity()); // the request never arrives
                        continue;
                    }
                    Socket upstream = new Socket(InetAddress.getLoopbackAddress(), upstreamPort);
                    open.add(upstream);
                    accepted.incrementAndGet();
                    pump(client, upstream.getOutputStream(), rewrite);
                    pump(upstream, client.getOutputStream(), UnaryOperator.identity());
                } catch (IOException closed) {
                    if (socket.isClosed()) {
                        return;
                    }
                }
            }
        }, "tcp-proxy");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public int port() {
        return socket.getLocalPort();
    }

    public String url() {
        return "http://127.0.0.1:" + port() + "/";
    }

    /** Connections forwarded so far. */
    public int accepted() {
        return accepted.get();
    }

    /** How many times {@link #cutAll()} was called. */
    public int cuts() {
        return cuts.get();
    }

    /** Closes every connection; new ones are forwarded as before. */
    public void cutAll() {
        cuts.incrementAndGet();
        closeAll();
    }

    /** Closes every connection and drops whatever comes from now on, until {@link #heal()}. */
    public void partition() {
        partitioned = true;
        closeAll();
    }

    public void heal() {
        partitioned = false;
    }

    private void closeAll() {
        for (Socket s : open) {
            closeQuietly(s);
            open.remove(s);
        }
    }

    private static void pump(Socket from, OutputStream to, UnaryOperator<byte[]> change) {
        Thread t = new Thread(() -> {
            byte[] buf = new byte[16 * 1024];
            try (InputStream in = from.getInputStream()) {
                int n;
                while ((n = in.read(buf)) >= 0) {
                    byte[] chunk = Arrays.copyOf(buf, n);
                    to.write(change.apply(chunk));
                    to.flush();
                }
            } catch (IOException cut) {
                // cut by the proxy, or closed by a side
            } finally {
                closeQuietly(from);
                try {
                    to.close();
                } catch (IOException ignored) {
                    // already closed
                }
            }
        }, "tcp-proxy-pump");
        t.setDaemon(true);
        t.start();
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // already closed
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
        closeAll();
    }
}

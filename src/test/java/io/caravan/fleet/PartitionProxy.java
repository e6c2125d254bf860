package io.caravan.fleet;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP proxy on 127.0.0.1 between one agent and the mock API server, which the test can partition: every connection
 * is cut, and new ones are accepted but never answered (packets dropped on the way, the worst case for a client: its
 * requests hang until they time out). {@link #heal()} forwards again.
 */
final class PartitionProxy implements AutoCloseable {

    private final ServerSocket socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    private final List<Socket> open = new CopyOnWriteArrayList<>();
    private volatile boolean partitioned;

    PartitionProxy(int upstreamPort) throws IOException {
        Thread acceptor = new Thread(() -> {
            while (!socket.isClosed()) {
                try {
                    Socket client = socket.accept();
                    open.add(client);
                    if (partitioned) {
                        pump(client, OutputStream.nullOutputStream()); // read and drop: the request never arrives
                        continue;
                    }
                    Socket upstream = new Socket(InetAddress.getLoopbackAddress(), upstreamPort);
                    open.add(upstream);
                    pump(client, upstream.getOutputStream());
                    pump(upstream, client.getOutputStream());
                } catch (IOException closed) {
                    if (socket.isClosed()) {
                        return;
                    }
                }
            }
        }, "partition-proxy");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    String url() {
        return "http://127.0.0.1:" + socket.getLocalPort() + "/";
    }

    /** Cuts every connection and drops whatever comes from now on. */
    void partition() {
        partitioned = true;
        for (Socket s : open) {
            closeQuietly(s);
        }
        open.clear();
    }

    void heal() {
        partitioned = false;
    }

    private void pump(Socket from, OutputStream to) {
        Thread t = new Thread(() -> {
            byte[] buf = new byte[16 * 1024];
            try (InputStream in = from.getInputStream()) {
                int n;
                while ((n = in.read(buf)) >= 0) {
                    to.write(buf, 0, n);
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
        }, "partition-proxy-pump");
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
        open.forEach(PartitionProxy::closeQuietly);
    }
}

package io.caravan.http;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Who may use the agent's operator endpoints (a reload, a live tap): the agent's own host, and a
 * {@code kubectl port-forward}, which arrives from loopback too. The UI's port may be open to the cluster (the chart
 * binds 0.0.0.0 for the kubelet's probes), so anything that changes the agent or shows what flows through it asks
 * this first, unless its setting opens it to every address.
 */
public final class LoopbackOnly {

    private LoopbackOnly() {
    }

    /** Whether a request from this remote address (a literal IP, as the servlet gives it) may pass. */
    public static boolean allows(String remoteAddress, boolean openToAll) {
        if (openToAll) {
            return true;
        }
        try {
            return InetAddress.getByName(remoteAddress).isLoopbackAddress(); // a literal address: no lookup
        } catch (UnknownHostException e) {
            return false;
        }
    }

    /** What to tell a client that may not: who it is, and the setting that would let it. */
    public static String refusal(String what, String remoteAddress, String setting) {
        return what + " is taken from the agent's own host only (loopback, or kubectl port-forward); set " + setting
                + "=true to take it from " + remoteAddress;
    }
}

package io.caravan.discovery;

import io.fabric8.kubernetes.client.KubernetesClientException;

import javax.net.ssl.SSLException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns what fabric8 throws into a sentence an operator can act on. Messages never include request headers
 * or client configuration, so no token can leak through them.
 */
final class ApiServerErrors {

    private ApiServerErrors() {
    }

    /**
     * @param masterUrl the API server the client talks to
     * @param resource  "pods" or "nodes"
     * @param scope     "cluster-wide", "in namespace x", "of node n in all namespaces", ...
     */
    static String describe(Throwable error, String masterUrl, String resource, String scope) {
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof KubernetesClientException k && k.getCode() > 0) {
                return httpError(k, masterUrl, resource, scope);
            }
            String unreachable = unreachableKind(t);
            if (unreachable != null) {
                return "no API server reachable at " + masterUrl + ": " + unreachable + detail(t);
            }
            if (t instanceof SSLException) {
                return "TLS with the API server at " + masterUrl + " failed: " + t.getMessage()
                        + " (check the CA certificate the client trusts)";
            }
        }
        Throwable root = error;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return "watching " + resource + " " + scope + " failed: " + root.getClass().getSimpleName() + detail(root);
    }

    private static String httpError(KubernetesClientException k, String masterUrl, String resource, String scope) {
        String server = k.getStatus() != null && k.getStatus().getMessage() != null
                ? "; API server said: " + k.getStatus().getMessage() : "";
        return switch (k.getCode()) {
            case 401 -> "unauthorized: the API server at " + masterUrl
                    + " did not accept the credentials (service account token missing or expired)" + server;
            case 403 -> forbidden(k, resource, scope) + server;
            case 404 -> "not found: the API server at " + masterUrl + " does not serve " + resource + server;
            default -> "API server at " + masterUrl + " answered " + k.getCode() + " for " + resource + " " + scope + server;
        };
    }

    /** Kubernetes RBAC denials read 'User "x" cannot watch resource "pods" in API group "" ...': the verb is in there. */
    private static final Pattern DENIED = Pattern.compile("cannot ([a-z]+) resource \"([^\"]+)\"");

    /** Which verb the service account lacks, when the API server said so; list and watch otherwise (both are needed). */
    private static String forbidden(KubernetesClientException k, String resource, String scope) {
        Matcher m = DENIED.matcher(k.getStatus() != null && k.getStatus().getMessage() != null ? k.getStatus().getMessage()
                : String.valueOf(k.getMessage()));
        String verb = null;
        String denied = resource;
        if (m.find()) {
            verb = m.group(1);
            denied = m.group(2);
        } else if (String.valueOf(k.getMessage()).contains("watch=true")) {
            verb = "watch"; // a refused WebSocket upgrade carries no Status body, only the URL of the watch
        } else if (String.valueOf(k.getMessage()).contains("GET at:")) {
            verb = "list";
        }
        if (verb != null) {
            return "forbidden: the service account may not " + verb + " " + denied + " " + scope
                    + "; add the verb '" + verb + "' on " + denied + " to its ClusterRole (discovery needs list and watch)";
        }
        return "forbidden: the service account needs list/watch on " + resource + " " + scope
                + " (ClusterRole rules: verbs [list, watch] on " + resource + ")";
    }

    /** The {@code reason} tag of a failure, for caravan_discovery_errors_total. */
    static String reason(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof KubernetesClientException k && k.getCode() > 0) {
                return switch (k.getCode()) {
                    case 401 -> "unauthorized";
                    case 403 -> "forbidden";
                    case 404 -> "not_found";
                    default -> "http_" + k.getCode();
                };
            }
            if (unreachableKind(t) != null) {
                return "unreachable";
            }
            if (t instanceof SSLException) {
                return "tls";
            }
        }
        return "other";
    }

    /** The JDK name of a "cannot reach" failure (netty's subclasses renamed to the type an operator knows). */
    private static String unreachableKind(Throwable t) {
        if (t instanceof UnknownHostException) {
            return "UnknownHostException";
        }
        if (t instanceof NoRouteToHostException) {
            return "NoRouteToHostException";
        }
        if (t instanceof ConnectException) {
            return "ConnectException";
        }
        if (t instanceof SocketTimeoutException || t instanceof TimeoutException) {
            return t.getClass().getSimpleName();
        }
        return null;
    }

    private static String detail(Throwable t) {
        return t.getMessage() == null || t.getMessage().isBlank() ? "" : " (" + t.getMessage() + ")";
    }
}

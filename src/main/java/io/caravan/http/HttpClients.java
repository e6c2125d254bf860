package io.caravan.http;

import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.client5.http.ssl.ClientTlsStrategyBuilder;
import org.apache.hc.client5.http.ssl.NoopHostnameVerifier;
import org.apache.hc.core5.util.Timeout;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.concurrent.Executor;

/**
 * Builds the HTTP clients: the JDK's HttpClient for scrape jobs, Apache HttpClient's blocking client for the sinks'
 * pushes. TLS is verified by default against the JVM's trust store, or against a PEM CA file; verification is
 * skipped only when a config explicitly asks. One TLS decision for both.
 */
public final class HttpClients {

    private static final int MAX_SENDERS = 64; // remote write's largest shard count (RemoteWriteSettings)

    private HttpClients() {
    }

    public static HttpClient create(Duration connectTimeout, String caFile, boolean insecureSkipVerify, Executor executor) {
        HttpClient.Builder b = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NORMAL)
                .connectTimeout(connectTimeout);
        if (executor != null) {
            b.executor(executor);
        }
        SSLContext tls = sslContext(caFile, insecureSkipVerify);
        if (tls != null) {
            b.sslContext(tls);
        }
        return b.build();
    }

    /**
     * The client a sink pushes with: Apache HttpClient's classic (blocking) client, thread-safe, one pooled keep-alive
     * connection per sender thread (remote write's shards share one client). Hot path: in the logs benchmark the JDK's HttpClient cost ~1 ms of CPU per push, most of it
     * its asynchronous machinery and the JIT compiling it; this one ~5x less per request (measured side by side on
     * loopback, BENCHMARKS.md). No retries of its own (the sender retries with backoff and counts), no cookies, no
     * compression negotiated; redirects followed as the JDK client did.
     *
     * @param timeout how long a request may wait to connect, and then for each read of the answer
     */
    public static CloseableHttpClient push(Duration connectTimeout, Duration timeout, String caFile, boolean insecureSkipVerify) {
        ClientTlsStrategyBuilder tls = ClientTlsStrategyBuilder.create();
        SSLContext ctx = sslContext(caFile, insecureSkipVerify);
        if (ctx != null) {
            tls.setSslContext(ctx);
        }
        if (insecureSkipVerify) {
            tls.setHostnameVerifier(NoopHostnameVerifier.INSTANCE);
        }
        return org.apache.hc.client5.http.impl.classic.HttpClients.custom()
                .setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
                        .setTlsSocketStrategy(tls.buildClassic())
                        .setDefaultConnectionConfig(ConnectionConfig.custom()
                                .setConnectTimeout(Timeout.of(connectTimeout))
                                .setSocketTimeout(Timeout.of(timeout))
                                .build())
                        .setMaxConnPerRoute(MAX_SENDERS) // made as senders need them: a limit, not a cost
                        .setMaxConnTotal(MAX_SENDERS)
                        .build())
                .setDefaultRequestConfig(RequestConfig.custom().setResponseTimeout(Timeout.of(timeout)).build())
                .disableAutomaticRetries()
                .disableCookieManagement()
                .disableContentCompression()
                .build();
    }

    /** The TLS context a config asks for; null for the JVM's default (its trust store, host names checked). */
    private static SSLContext sslContext(String caFile, boolean insecureSkipVerify) {
        if (insecureSkipVerify) {
            return sslContext(new TrustManager[]{new TrustEverything()});
        }
        if (caFile != null && !caFile.isBlank()) {
            return sslContext(trustManagersFor(Path.of(caFile)));
        }
        return null;
    }

    /** A URL fit for logs and the UI: without user info or query, which may hold credentials. */
    public static String redact(java.net.URI url) {
        return url.getScheme() + "://" + url.getHost() + (url.getPort() > 0 ? ":" + url.getPort() : "") + url.getPath();
    }

    private static SSLContext sslContext(TrustManager[] trustManagers) {
        try {
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, trustManagers, null);
            return ctx;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot set up TLS: " + e.getMessage(), e);
        }
    }

    private static TrustManager[] trustManagersFor(Path caFile) {
        try (InputStream in = Files.newInputStream(caFile)) {
            KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
            ks.load(null, null);
            int i = 0;
            for (Certificate cert : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                ks.setCertificateEntry("ca-" + i++, cert);
            }
            if (i == 0) {
                throw new IllegalArgumentException("CA file " + caFile + " holds no PEM certificate");
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(ks);
            return tmf.getTrustManagers();
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read CA file " + caFile + ": " + e.getMessage(), e);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("CA file " + caFile + " is not valid PEM: " + e.getMessage(), e);
        }
    }

    /**
     * Accepts any certificate and host name (an extended trust manager that checks nothing also turns off
     * the JDK's host name check). Only reached through an explicit insecureSkipVerify=true.
     */
    private static final class TrustEverything extends X509ExtendedTrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}

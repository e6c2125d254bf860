package io.caravan.testing;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A throw-away certificate for 127.0.0.1, made with the JDK's keytool, and HTTPS servers that use it: the
 * stand-ins for kubelet and the apiserver. The certificate is its own CA, so a scraper that trusts
 * {@link #caFile()} verifies it exactly as it verifies the service account's CA in a cluster.
 */
public final class LocalTls {

    private final Path keystore;
    private final Path caFile;
    private final SSLContext context;

    public LocalTls(Path dir) throws Exception {
        keystore = dir.resolve("tls.p12");
        caFile = dir.resolve("ca.crt");
        String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        run(List.of(keytool, "-genkeypair", "-alias", "local", "-keyalg", "RSA", "-keysize", "2048", "-dname", "CN=127.0.0.1",
                "-ext", "SAN=ip:127.0.0.1", "-validity", "2", "-storetype", "PKCS12", "-keystore", keystore.toString(),
                "-storepass", "changeit", "-keypass", "changeit"));
        run(List.of(keytool, "-exportcert", "-rfc", "-alias", "local", "-keystore", keystore.toString(), "-storepass", "changeit",
                "-file", caFile.toString()));
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            ks.load(in, "changeit".toCharArray());
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, "changeit".toCharArray());
        context = SSLContext.getInstance("TLS");
        context.init(kmf.getKeyManagers(), null, null);
    }

    private static void run(List<String> cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException("keytool failed: " + out);
        }
    }

    public Path caFile() {
        return caFile;
    }

    public HttpsServer server(InetSocketAddress address) throws Exception {
        HttpsServer s = HttpsServer.create(address, 0);
        s.setHttpsConfigurator(new HttpsConfigurator(context));
        return s;
    }
}

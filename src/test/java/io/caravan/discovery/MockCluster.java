package io.caravan.discovery;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;

import java.net.InetAddress;
import java.util.HashMap;

/** fabric8's mock API server in CRUD mode, in this JVM, plus a client for it that ignores ~/.kube and env. */
public final class MockCluster implements AutoCloseable {

    public final KubernetesMockServer server;
    public final KubernetesClient client;

    /** A CRUD mock that honours spec./status. field selectors, on any free port. */
    public MockCluster() {
        this(new FieldSelectingCrudDispatcher(), 0);
    }

    public MockCluster(KubernetesCrudDispatcher dispatcher, int port) {
        server = new KubernetesMockServer(new Context(Serialization.jsonMapper()), new MockWebServer(), new HashMap<>(),
                dispatcher, false);
        if (port == 0) {
            server.init();
        } else {
            server.init(InetAddress.getLoopbackAddress(), port);
        }
        client = clientFor(server.url("/"));
    }

    /** Short reconnect interval so tests see fabric8's retries within seconds (its backoff caps at 32x). */
    public static KubernetesClient clientFor(String masterUrl) {
        Config config = new ConfigBuilder(Config.empty())
                .withMasterUrl(masterUrl)
                .withNamespace("default")
                .withWatchReconnectInterval(100)
                .withRequestRetryBackoffLimit(0)
                .withConnectionTimeout(2000)
                .build();
        return new KubernetesClientBuilder().withConfig(config).build();
    }

    @Override
    public void close() {
        client.close();
        server.destroy();
    }
}

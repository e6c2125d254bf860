package io.caravan.discovery;

import io.caravan.component.CaravanComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

import io.caravan.model.Target;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** A plain Camel context with one route from a k8s-discovery URI into a queue of the emitted lists. */
final class DiscoveryRoute implements AutoCloseable {

    final DefaultCamelContext camel = new DefaultCamelContext();
    final BlockingQueue<List<Target>> emitted = new LinkedBlockingQueue<>();

    /** The client goes into the registry, where the component looks for it (as with the Spring bean). */
    DiscoveryRoute(KubernetesClient client, String uri) throws Exception {
        this(client, uri, Files.createTempDirectory("discovery-data"));
    }

    /** With this CARAVAN_DATA_DIR, where node-local routes keep their last known targets (a fresh one by default). */
    DiscoveryRoute(KubernetesClient client, String uri, Path dataDir) throws Exception {
        Properties properties = new Properties();
        properties.setProperty(CaravanComponent.DATA_DIR_PROPERTY, dataDir.toString());
        camel.getPropertiesComponent().setInitialProperties(properties);
        camel.getRegistry().bind("kubernetesClient", client);
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(uri).routeId("discovery").process(e -> emitted.add(e.getMessage().getMandatoryBody(List.class)));
            }
        });
        try {
            camel.start();
        } catch (RuntimeException e) {
            camel.stop();
            throw e;
        }
    }

    KubernetesDiscoveryComponent component() {
        return camel.getComponent(KubernetesDiscoveryComponent.SCHEME, KubernetesDiscoveryComponent.class);
    }

    DiscoveryStatus status() {
        return component().getStatuses().get(0);
    }

    List<Target> next(Duration timeout) throws InterruptedException {
        List<Target> list = emitted.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (list == null) {
            throw new AssertionError("nothing emitted within " + timeout);
        }
        return list;
    }

    /** Skips emissions until one satisfies the predicate (bursts may be split over two emissions). */
    List<Target> nextMatching(Predicate<List<Target>> p, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            List<Target> list = left <= 0 ? null : emitted.poll(left, TimeUnit.NANOSECONDS);
            if (list == null) {
                throw new AssertionError("no matching emission within " + timeout);
            }
            if (p.test(list)) {
                return list;
            }
        }
    }

    static void awaitTrue(java.util.function.BooleanSupplier condition, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within " + timeout);
            }
            Thread.sleep(50);
        }
    }

    @Override
    public void close() {
        camel.stop();
    }
}

package io.caravan.fleet;

import io.caravan.cluster.LeaseClusterService;
import io.caravan.cluster.LeaseClusterView;
import io.caravan.cluster.LeaseTiming;
import io.caravan.component.CaravanComponent;
import io.caravan.discovery.FieldSelectingCrudDispatcher;
import io.caravan.model.LogEntry;
import io.caravan.testing.TcpProxy;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.master.MasterComponent;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The events route once per cluster: two agents elect a leader through a Lease (as production wires it, with a short
 * lease), the leader streams the events the test writes, and the test stops or kills it mid-stream. The one elected
 * next resumes from the cursor the first left in the cursor Lease. Every event is received; a graceful hand-over
 * repeats none; a kill repeats at most what the dead leader sent after its last cursor write, as the same entries
 * (same labels, time and line: Loki stores one of each).
 */
class EventsFailoverTest {

    static final String NAMESPACE = "observability";
    static final LeaseTiming TIMING = LeaseTiming.ofMillis(2_000, 1_200, 400);
    static final String ROUTE = "master:events:k8s-events:events?cursorLease=" + NAMESPACE + "/caravan-events-cursor"
            + "&batchWait=20ms&cursorLeaseInterval=200ms";
    static final int EVENTS = 300;

    @TempDir
    Path dataDirs;
    KubernetesMockServer api;
    KubernetesClient admin;
    final Map<String, Agent> agents = new HashMap<>();
    final List<Received> received = new CopyOnWriteArrayList<>();

    record Received(String agent, LogEntry entry) {
    }

    final class Agent {
        final String name;
        final TcpProxy proxy;
        final KubernetesClient client;
        final DefaultCamelContext camel = new DefaultCamelContext();
        final LeaseClusterService service;

        Agent(String name) throws Exception {
            this.name = name;
            proxy = new TcpProxy(api.getPort());
            client = new KubernetesClientBuilder().withConfig(new ConfigBuilder(Config.empty()).withMasterUrl(proxy.url())
                    .withNamespace(NAMESPACE).withRequestRetryBackoffLimit(0).withConnectionTimeout(1000)
                    .withRequestTimeout(2000).withWatchReconnectInterval(100).build()).build();
            camel.getCamelContextExtension().setName(name);
            camel.getPropertiesComponent().addInitialProperty(CaravanComponent.DATA_DIR_PROPERTY, dataDirs.resolve(name).toString());
            camel.getPropertiesComponent().addInitialProperty("POD_NAME", name);
            camel.getRegistry().bind("kubernetesClient", client);
            service = new LeaseClusterService(client, NAMESPACE, name, TIMING);
            camel.addService(service);
            camel.getComponent("master", MasterComponent.class).setBackOffMaxAttempts(1);
            camel.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from(ROUTE).routeId("kubernetes-events").process(e -> {
                        for (Object o : e.getMessage().getMandatoryBody(List.class)) {
                            received.add(new Received(name, (LogEntry) o));
                        }
                    });
                }
            });
            camel.start();
        }

        boolean leading() {
            return camel.isStarted() && service.existingView("events").map(LeaseClusterView::isLeading).orElse(false);
        }

        /** kill -9 as far as the others can tell: cut off, then gone without a last word to the API server. */
        void kill() {
            proxy.partition();
            camel.stop();
            client.close();
        }

        void stop() {
            camel.stop();
            client.close();
        }
    }

    @BeforeEach
    void cluster() throws Exception {
        api = new KubernetesMockServer(new Context(Serialization.jsonMapper()), new MockWebServer(), new HashMap<>(),
                new FieldSelectingCrudDispatcher(), false);
        api.init(InetAddress.getLoopbackAddress(), 0);
        admin = new KubernetesClientBuilder().withConfig(new ConfigBuilder(Config.empty()).withMasterUrl(api.url("/"))
                .withNamespace(NAMESPACE).build()).build();
    }

    @AfterEach
    void stopAll() throws Exception {
        for (Agent a : agents.values()) {
            if (!a.camel.isStopped()) {
                a.stop();
            }
            a.proxy.close();
        }
        admin.close();
        api.destroy();
    }

    @Test
    void aLeaderKilledMidStreamIsFollowedByOneThatSkipsNothingAndRepeatsOnlyWhatCameAfterTheLastCursorWrite() throws Exception {
        Agent first = startLeaderAndFollower();
        Thread writer = writeEvents();
        awaitTrue(() -> received.size() >= EVENTS / 2, 10_000, "the leader to stream");
        long killedAt = System.currentTimeMillis();
        first.kill();
        Long handedOver = leaseCursor(); // what the killed leader's last write to the Lease said
        Agent next = agents.get(first.name.equals("caravan-a") ? "caravan-b" : "caravan-a");
        awaitTrue(next::leading, 10_000, "the other agent to take over");
        long tookOver = System.currentTimeMillis() - killedAt;
        writer.join();
        awaitTrue(() -> distinctEvents() == EVENTS, 15_000, "every event");
        Thread.sleep(300);

        Map<String, Long> copies = received.stream().collect(Collectors.groupingBy(r -> key(r.entry()), Collectors.counting()));
        assertThat(copies).hasSize(EVENTS); // none skipped, one distinct entry per event
        assertThat(copies.values()).allMatch(n -> n <= 2);
        List<Long> sentAgain = received.stream().filter(r -> r.agent().equals(next.name) && copies.get(key(r.entry())) > 1)
                .map(r -> eventRv(r.entry())).sorted().toList();
        // what the next leader sent again is a tail of the killed leader's stream: everything it sent from some event on
        // (the cursor the next leader found in the Lease; under load, which write landed last may differ from what the
        // test read there at the kill, so the test does not pin the exact event)
        long from = sentAgain.isEmpty() ? Long.MAX_VALUE : sentAgain.get(0);
        List<Long> killedLeadersTail = received.stream().filter(r -> r.agent().equals(first.name))
                .map(r -> eventRv(r.entry())).filter(rv -> rv >= from).sorted().toList();
        assertThat(sentAgain).as("sent again: the killed leader's events from the resumed cursor on, each once")
                .isEqualTo(killedLeadersTail);
        assertThat(received.stream().filter(r -> r.agent().equals(first.name)).count())
                .as("the killed leader's last cursor write covered part of what it sent").isGreaterThan(sentAgain.size());
        assertThat(received.stream().filter(r -> r.agent().equals(next.name)).map(r -> key(r.entry()))).doesNotHaveDuplicates();
        long fromFirst = received.stream().filter(r -> r.agent().equals(first.name)).count();
        System.out.printf("events failover (kill -9): %d events; the killed leader sent %d, its last cursor write said %s;"
                + " the next leader took over %d ms after the kill and sent %d again (the same entries), skipped 0%n",
                EVENTS, fromFirst, handedOver, tookOver, sentAgain.size());
    }

    @Test
    void aLeaderThatStepsDownHandsOverTheExactCursorAndNothingIsRepeated() throws Exception {
        Agent first = startLeaderAndFollower();
        Thread writer = writeEvents();
        awaitTrue(() -> received.size() >= 60, 10_000, "the leader to stream");
        first.stop(); // releases the Lease after its routes stopped: the cursor was written before
        Agent next = agents.get(first.name.equals("caravan-a") ? "caravan-b" : "caravan-a");
        awaitTrue(next::leading, 10_000, "the other agent to take over");
        writer.join();
        awaitTrue(() -> distinctEvents() == EVENTS, 15_000, "every event");
        Thread.sleep(500);
        assertThat(received).hasSize(EVENTS);
        assertThat(received.stream().map(r -> key(r.entry()))).doesNotHaveDuplicates();
        assertThat(received).extracting(Received::agent).contains(first.name, next.name);
        Lease cursor = admin.leases().inNamespace(NAMESPACE).withName("caravan-events-cursor").get();
        assertThat(cursor.getMetadata().getAnnotations()).containsKey("caravan.io/events-rv.all")
                .containsEntry("caravan.io/events-written-by", next.name);
    }

    private Agent startLeaderAndFollower() throws Exception {
        agents.put("caravan-a", new Agent("caravan-a"));
        awaitTrue(() -> agents.get("caravan-a").leading(), 10_000, "a first leader");
        agents.put("caravan-b", new Agent("caravan-b"));
        return agents.get("caravan-a");
    }

    /** EVENTS events over ~3 s, each its own object with its own time and message. */
    private Thread writeEvents() {
        Thread t = new Thread(() -> {
            Instant base = Instant.parse("2024-03-01T10:00:00Z");
            for (int i = 0; i < EVENTS; i++) {
                admin.resource(new EventBuilder().withNewMetadata().withNamespace("shop").withName("web-1.e" + i).endMetadata()
                        .withNewInvolvedObject().withKind("Pod").withNamespace("shop").withName("web-1").endInvolvedObject()
                        .withReason("Tick").withType("Normal").withLastTimestamp(base.plusMillis(i).toString())
                        .withMessage("event " + i).build()).create();
                try {
                    Thread.sleep(10);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "event-writer");
        t.start();
        return t;
    }

    private Long leaseCursor() {
        Lease lease = admin.leases().inNamespace(NAMESPACE).withName("caravan-events-cursor").get();
        String rv = lease == null ? null : lease.getMetadata().getAnnotations().get("caravan.io/events-rv.all");
        return rv == null ? null : Long.parseLong(rv);
    }

    private static long eventRv(LogEntry e) {
        return Long.parseLong(e.line().replaceAll(".*eventRV=(\\d+).*", "$1"));
    }

    private long distinctEvents() {
        return received.stream().map(r -> r.entry().line().replaceAll(".*msg=\"event (\\d+)\".*", "$1")).distinct().count();
    }

    private static String key(LogEntry e) {
        return e.labels() + " " + e.timestampNanos() + " " + e.line();
    }

    private static void awaitTrue(BooleanSupplier ok, long ms, String what) throws InterruptedException {
        long deadline = System.currentTimeMillis() + ms;
        while (!ok.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("waited " + ms + " ms for " + what);
            }
            Thread.sleep(20);
        }
    }
}

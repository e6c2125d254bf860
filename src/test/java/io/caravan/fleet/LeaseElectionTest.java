package io.caravan.fleet;

import io.caravan.testing.TcpProxy;
import io.caravan.cluster.LeaseClusterService;
import io.caravan.cluster.LeaseClusterView;
import io.caravan.cluster.LeaseTiming;
import io.caravan.discovery.FieldSelectingCrudDispatcher;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.cluster.CamelClusterEventListener;
import org.apache.camel.component.master.MasterComponent;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Three agents compete for one master: group against fabric8's mock API server in CRUD mode: each a Camel context with
 * the {@link LeaseClusterService} as production wires it (a short lease: 2 s, renew deadline 1.2 s, retry 0.4 s) and a
 * master: route whose source, a 50 ms timer, notes each tick. Each agent reaches the API server through its own
 * {@link TcpProxy}, so a test can cut one off as a network would. Every agent's pod is Running and Ready and
 * stays so: nothing here depends on readiness, only on the Lease.
 * <p>
 * After every test: no two agents ever led at the same time (each view's leadership changes, timed as they happen),
 * every tick came from the agent leading then, and the agents asked the API server for leases only, never pods.
 */
class LeaseElectionTest {

    static final String NAMESPACE = "observability";
    static final String GROUP = "lead";
    static final long LEASE_MS = 2_000;
    static final long RENEW_MS = 1_200;
    static final long RETRY_MS = 400;
    static final String TEST_HEADER = "X-Caravan-Test";
    static final LeaseTiming TIMING = LeaseTiming.ofMillis(LEASE_MS, RENEW_MS, RETRY_MS);

    KubernetesMockServer api;
    KubernetesClient admin;
    final List<Agent> agents = new CopyOnWriteArrayList<>();
    /** Every leadership change of every agent, in the order they happened. */
    final List<Change> changes = new CopyOnWriteArrayList<>();
    /** Every tick of every agent's master: source. */
    final List<Tick> ticks = new CopyOnWriteArrayList<>();

    record Change(String agent, boolean leading, long at) {
    }

    record Tick(String agent, long at) {
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
                    .withNamespace(NAMESPACE).withRequestRetryBackoffLimit(0).withConnectionTimeout(1000).build()).build();
            camel.getCamelContextExtension().setName(name);
            service = new LeaseClusterService(client, NAMESPACE, name, TIMING);
            camel.addService(service);
            camel.getComponent("master", MasterComponent.class).setBackOffMaxAttempts(1); // as CamelServices sets it
            camel.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("master:" + GROUP + ":timer:" + name + "?period=50").routeId("lead")
                            .process(e -> ticks.add(new Tick(name, System.currentTimeMillis())));
                }
            });
            camel.start();
            LeaseClusterView view = service.existingView(GROUP).orElseThrow();
            boolean[] last = {false};
            view.addEventListener((CamelClusterEventListener.Leadership) (v, leader) -> {
                synchronized (last) {
                    boolean now = v.getLocalMember().isLeader();
                    if (now != last[0]) { // the view repeats "standby": only changes count
                        last[0] = now;
                        changes.add(new Change(name, now, System.currentTimeMillis()));
                    }
                }
            });
        }

        boolean leading() {
            return camel.isStarted() && service.existingView(GROUP).map(LeaseClusterView::isLeading).orElse(false);
        }

        /** kill -9 as far as the others can tell: cut off, then gone without handing the Lease on (its release fails). */
        void kill() {
            proxy.partition();
            stop();
        }

        void stop() {
            camel.stop();
            client.close();
        }

        void close() throws Exception {
            if (!camel.isStopped()) {
                stop();
            }
            proxy.close();
        }
    }

    @BeforeEach
    void cluster() throws Exception {
        api = new KubernetesMockServer(new Context(Serialization.jsonMapper()), new MockWebServer(), new HashMap<>(),
                new FieldSelectingCrudDispatcher(), false);
        api.init(InetAddress.getLoopbackAddress(), 0);
        // the test's own requests say so, to tell them from the agents'
        admin = new KubernetesClientBuilder().withConfig(new ConfigBuilder(Config.empty()).withMasterUrl(api.url("/"))
                .withNamespace(NAMESPACE).withCustomHeaders(Map.of(TEST_HEADER, "admin")).build()).build();
        for (String name : List.of("caravan-a", "caravan-b", "caravan-c")) {
            admin.resource(new PodBuilder().withNewMetadata().withNamespace(NAMESPACE).withName(name).endMetadata()
                    .withNewSpec().addNewContainer().withName("caravan").withImage("caravan:dev").endContainer().endSpec()
                    .withNewStatus().withPhase("Running").addNewCondition().withType("Ready").withStatus("True").endCondition()
                    .endStatus().build()).create();
            agents.add(new Agent(name));
        }
    }

    @AfterEach
    void checkAndStop() throws Exception {
        try {
            assertNeverTwoLeaders();
            assertOnlyLeasesWereAsked();
        } finally {
            for (Agent a : agents) {
                a.close();
            }
            admin.close();
            api.destroy();
        }
    }

    @Test
    void aKilledLeaderWhosePodStaysReadyIsReplacedWithinTwoLeaseDurations() throws Exception {
        Agent leader = awaitOneLeader(10_000);
        Thread.sleep(1_500); // it has renewed a few times
        long killedAt = System.currentTimeMillis();
        leader.kill();
        Agent next = awaitOneLeader(4 * LEASE_MS);
        long takeover = gainOf(next, killedAt) - killedAt;
        System.out.printf("lease: %s killed; %s leads %d ms later (lease %d ms)%n", leader.name, next.name, takeover, LEASE_MS);
        assertThat(next).isNotSameAs(leader);
        assertThat(takeover).as("ms from the kill to the next leader").isLessThanOrEqualTo(2 * LEASE_MS);
        assertThat(lease().getSpec().getHolderIdentity()).isEqualTo(next.name);
        assertThat(admin.pods().inNamespace(NAMESPACE).withName(leader.name).get().getStatus().getConditions().get(0).getStatus())
                .as("the dead leader's pod is still Ready").isEqualTo("True");
        awaitTrue(() -> ticks.stream().anyMatch(t -> t.agent().equals(next.name)), 3_000, "the next leader's source running");
    }

    @Test
    void aPartitionedLeaderStepsDownWithinTheRenewDeadlineAndAnotherTakesOver() throws Exception {
        Agent leader = awaitOneLeader(10_000);
        Thread.sleep(1_500);
        long cutAt = System.currentTimeMillis();
        leader.proxy.partition();
        long stepDown = lossOf(leader, cutAt) - cutAt;
        Agent next = awaitOneLeader(4 * LEASE_MS);
        long takeover = gainOf(next, cutAt) - cutAt;
        System.out.printf("lease: %s cut off; it stopped leading after %d ms (renew deadline %d), %s leads after %d ms (lease %d)%n",
                leader.name, stepDown, RENEW_MS, next.name, takeover, LEASE_MS);
        assertThat(next).isNotSameAs(leader);
        // its last renewal was before the cut; it stops a renew deadline after that, at the next 100 ms tick (+200 ms for
        // a busy machine). What must hold whatever the load: it stopped before the next leader began (below).
        assertThat(stepDown).as("ms from the cut to its step-down").isLessThanOrEqualTo(RENEW_MS + 300);
        assertThat(takeover).as("ms from the cut to the next leader").isLessThanOrEqualTo(2 * LEASE_MS);
        assertThat(stepDown).as("it stopped before the other began").isLessThan(takeover);
        assertThat(leader.camel.getRouteController().getRouteStatus("lead").isStarted()).as("its route still runs").isTrue();

        leader.proxy.heal(); // it reaches the API server again: it stays a standby, the new leader keeps the lead
        long healedAt = System.currentTimeMillis();
        while (System.currentTimeMillis() - healedAt < 3 * LEASE_MS) {
            assertThat(agents.stream().filter(Agent::leading).map(a -> a.name).toList()).as("leaders after the heal").containsExactly(next.name);
            Thread.sleep(50);
        }
    }

    /** kill -9 of every container at once (the Lease still names the old leader), and every agent back under its name. */
    @Test
    void aKillAndRestartOfEveryAgentAtOnceEndsWithExactlyOneLeader() throws Exception {
        Agent leader = awaitOneLeader(10_000);
        Thread.sleep(1_000);
        List<String> names = agents.stream().map(a -> a.name).toList();
        everyAtOnce(agents, Agent::kill);
        agents.clear();
        restartAtOnce(names);
        Agent after = awaitOneLeader(4 * LEASE_MS);
        System.out.printf("lease: all killed while %s led; after the restart %s leads%n", leader.name, after.name);
        assertExactlyOneLeaderFor(3 * LEASE_MS);
    }

    /** A rollout: every agent stops (the leader hands the Lease on) and new pods, with new names, start together. */
    @Test
    void aStopOfEveryAgentAtOnceAndNewAgentsEndWithExactlyOneLeader() throws Exception {
        awaitOneLeader(10_000);
        everyAtOnce(agents, Agent::stop);
        assertThat(lease().getSpec().getHolderIdentity()).as("the holder after a graceful stop: released").isEmpty();
        agents.clear();
        long startedAt = System.currentTimeMillis();
        restartAtOnce(List.of("caravan-d", "caravan-e", "caravan-f"));
        Agent after = awaitOneLeader(4 * LEASE_MS);
        System.out.printf("lease: released; %s of three new agents leads %d ms after they began to start%n", after.name,
                gainOf(after, startedAt) - startedAt);
        assertExactlyOneLeaderFor(3 * LEASE_MS);
    }

    /** Timings under which a leader could still act after the others may take over are refused, naming the setting. */
    // ---- helpers

    interface AgentAction {
        void run(Agent a) throws Exception;
    }

    /** Runs the action on each agent, all at once; fails with the first action that failed. */
    void everyAtOnce(List<Agent> which, AgentAction action) throws Exception {
        List<Callable<Void>> calls = new ArrayList<>();
        for (Agent a : List.copyOf(which)) {
            calls.add(() -> {
                action.run(a);
                return null;
            });
        }
        allAtOnce(calls);
    }

    void restartAtOnce(List<String> names) throws Exception {
        List<Callable<Void>> calls = new ArrayList<>();
        for (String name : names) {
            calls.add(() -> {
                agents.add(new Agent(name));
                return null;
            });
        }
        allAtOnce(calls);
        assertThat(agents).hasSize(names.size());
    }

    static void allAtOnce(List<Callable<Void>> calls) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(calls.size());
        try {
            for (Future<Void> f : pool.invokeAll(calls, 20, TimeUnit.SECONDS)) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    Agent awaitOneLeader(long ms) throws InterruptedException {
        awaitTrue(() -> agents.stream().filter(Agent::leading).count() == 1, ms, "one leader");
        return agents.stream().filter(Agent::leading).findFirst().orElseThrow();
    }

    void assertExactlyOneLeaderFor(long ms) throws InterruptedException {
        long from = System.currentTimeMillis();
        while (System.currentTimeMillis() - from < ms) {
            assertThat(agents.stream().filter(Agent::leading).count()).as("agents leading").isEqualTo(1);
            Thread.sleep(50);
        }
    }

    Lease lease() {
        return admin.leases().inNamespace(NAMESPACE).withName("leaders-" + GROUP).get();
    }

    /** When the agent began to lead, after the given time (its listener notes it just after the view's flag turns). */
    long gainOf(Agent a, long after) throws InterruptedException {
        return changeOf(a, true, after);
    }

    long lossOf(Agent a, long after) throws InterruptedException {
        return changeOf(a, false, after);
    }

    long changeOf(Agent a, boolean leading, long after) throws InterruptedException {
        awaitTrue(() -> changes.stream().anyMatch(c -> c.agent().equals(a.name) && c.leading() == leading && c.at() >= after),
                2_000, a.name + (leading ? " leading" : " standing by") + " noted");
        return changes.stream().filter(c -> c.agent().equals(a.name) && c.leading() == leading && c.at() >= after)
                .mapToLong(Change::at).findFirst().orElseThrow();
    }

    /** Each agent's spans of leadership never overlap another's; each tick lies in its agent's span (plus 100 ms to stop). */
    void assertNeverTwoLeaders() {
        record Span(String agent, long from, long to) {
        }
        List<Span> spans = new ArrayList<>();
        Map<String, Long> open = new HashMap<>();
        for (Change c : changes) {
            if (c.leading()) {
                open.put(c.agent(), c.at());
            } else if (open.containsKey(c.agent())) {
                spans.add(new Span(c.agent(), open.remove(c.agent()), c.at()));
            }
        }
        long now = System.currentTimeMillis();
        open.forEach((agent, from) -> spans.add(new Span(agent, from, now)));
        assertThat(spans).as("leadership spans").isNotEmpty();
        for (Span a : spans) {
            for (Span b : spans) {
                if (a != b && !a.agent().equals(b.agent())) {
                    assertThat(a.to() <= b.from() || b.to() <= a.from()).as("%s and %s never lead at once", a, b).isTrue();
                }
            }
        }
        for (Tick t : ticks) {
            assertThat(spans).as("a span of %s holding its tick at %d", t.agent(), t.at())
                    .anyMatch(s -> s.agent().equals(t.agent()) && s.from() <= t.at() && t.at() <= s.to() + 100);
        }
    }

    /** What the RBAC Role grants (leases: get, create, patch) is all the election used: no pod list, no update, no watch. */
    void assertOnlyLeasesWereAsked() throws InterruptedException {
        Set<String> asked = new HashSet<>();
        RecordedRequest r;
        while ((r = api.takeRequest(10, TimeUnit.MILLISECONDS)) != null) {
            if (r.getHeader(TEST_HEADER) == null) {
                asked.add(r.getMethod() + " " + r.getPath().replaceAll("\\?.*", ""));
            }
        }
        assertThat(asked).as("requests to the API server").isNotEmpty().allMatch(a -> a.matches(
                "(GET|PATCH) /apis/coordination.k8s.io/v1/namespaces/observability/leases/leaders-lead"
                        + "|POST /apis/coordination.k8s.io/v1/namespaces/observability/leases"));
    }

    void awaitTrue(BooleanSupplier ok, long ms, String what) throws InterruptedException {
        long deadline = System.currentTimeMillis() + ms;
        while (!ok.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError(what + ": not within " + ms + " ms; leading: " + agents.stream()
                        .map(a -> a.name + "=" + a.leading()).collect(Collectors.joining(", ")) + "; lease holder "
                        + (lease() == null ? null : lease().getSpec().getHolderIdentity()) + "; changes " + changes);
            }
            Thread.sleep(20);
        }
    }
}

package io.caravan.fleet;

import io.caravan.model.Target;
import io.caravan.scrape.ScrapeComponent;
import io.caravan.scrape.ScrapeJob;
import io.caravan.testing.FakeTarget;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.service.ServiceHelper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A static-targets source that stops withdraws its targets. The case that matters is a master: endpoint losing
 * the lead: it stops only the source consumer, the route and its scrape producer keep running, so the scrape
 * loops would go on scraping beside the new leader unless the source says "no targets" on its way out.
 */
class StaticTargetsWithdrawTest {

    private final DefaultCamelContext camel = new DefaultCamelContext();
    private final List<List<?>> emitted = new CopyOnWriteArrayList<>();
    private FakeTarget target;

    @AfterEach
    void stop() {
        camel.stop();
        if (target != null) {
            target.close();
        }
    }

    @Test
    void stoppingOnlyTheSourceStopsTheScrapeLoopsBehindIt() throws Exception {
        target = new FakeTarget("/metrics", n -> "probe_success 1\n");
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("static-targets:withdraw?addresses=" + target.address()).routeId("withdraw")
                        .process(e -> emitted.add(e.getMessage().getBody(List.class)))
                        .to("scrape:withdraw?interval=200ms&timeout=100ms");
                from("scrape:withdraw").routeId("withdraw-samples").to("log:samples?level=OFF"); // a job scrapes only while read
            }
        });
        camel.start();
        ScrapeJob job = camel.getComponent("scrape", ScrapeComponent.class).jobs().get(0);
        awaitTrue(() -> target.scrapes() >= 2, "the target is scraped");
        assertThat(job.targets()).hasSize(1);

        // what the master consumer does on losing the lead: stop the delegate consumer, leave the route up
        ServiceHelper.stopService(camel.getRoute("withdraw").getConsumer());

        assertThat(emitted.get(emitted.size() - 1)).as("the last list the source sent").isEmpty();
        assertThat(job.targets()).as("loops left in the job").isEmpty();
        assertThat(camel.getRouteController().getRouteStatus("withdraw").isStarted()).as("route still up").isTrue();
        int scrapesAtStop = target.scrapes();
        Thread.sleep(1_000); // five intervals
        assertThat(target.scrapes()).as("scrapes after the source stopped").isLessThanOrEqualTo(scrapesAtStop + 1);
    }

    @Test
    void stoppingTheRouteSendsTheEmptyListFirst() throws Exception {
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("static-targets:plain?addresses=10.0.0.1:9100,10.0.0.2:9100").routeId("plain")
                        .process(e -> emitted.add(e.getMessage().getBody(List.class)));
            }
        });
        camel.start();
        awaitTrue(() -> !emitted.isEmpty(), "the initial list");
        assertThat(emitted.get(0)).hasSize(2).allSatisfy(t -> assertThat(t).isInstanceOf(Target.class));
        camel.getRouteController().stopRoute("plain");
        assertThat(emitted).hasSize(2);
        assertThat(emitted.get(1)).isEmpty();
    }

    static void awaitTrue(java.util.function.BooleanSupplier ok, String what) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 10_000;
        while (!ok.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError(what + ": not within 10s");
            }
            Thread.sleep(20);
        }
    }
}

package io.caravan.tap;

import org.apache.camel.model.ProcessorDefinition;
import org.apache.camel.model.RouteDefinition;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The steps a tap can name, and how a name the operator types finds one. */
class RouteStepsTest {

    /** A route with every kind of step: endpoints, a repeated one, nested ones, one with an id, one with no endpoint. */
    private static RouteDefinition route() {
        RouteDefinition r = new RouteDefinition();
        r.from("static-targets:demo?addresses=10.0.0.1:9100&password=hunter2");
        r.routeId("demo");
        r.to("relabel:demo?rules=classpath:rules/demo.yaml");
        r.to("scrape://demo?interval=1s");
        r.multicast().to("direct:{{sink}}").to("direct:{{sink}}").end();
        r.choice().when(exchange -> true).to("direct:hot").otherwise().to("log:cold").end();
        r.log("done");
        r.to("remote-write:mimir?url=RAW(https://u:pw@mimir/push)").id("write");
        return r;
    }

    private static RouteSteps steps() {
        return RouteSteps.of(route(), uri -> uri.replace("{{sink}}", "mimir"));
    }

    @Test
    void eachProcessorInOrderWithAnIdOfItsEndpointNumberedFromOne() {
        RouteSteps steps = steps();
        assertThat(steps.route()).isEqualTo("demo");
        assertThat(steps.from()).isEqualTo("static-targets:demo?addresses=10.0.0.1:9100&password=***");
        assertThat(steps.steps()).extracting(RouteSteps.Step::id).containsExactly(
                "relabel:demo", "scrape:demo", "multicast", "direct:mimir", "direct:mimir#2", "choice", "direct:hot", "log:cold",
                "log", "write");
        assertThat(steps.steps()).extracting(RouteSteps.Step::position).containsExactly(1, 2, 3, 4, 5, 6, 7, 8, 9, 10);
        RouteSteps.Step relabel = steps.steps().get(0);
        assertThat(relabel.kind()).isEqualTo("to");
        assertThat(relabel.uri()).as("as the route writes it").isEqualTo("relabel:demo?rules=classpath:rules/demo.yaml");
        assertThat(steps.steps().get(9).uri()).as("redacted").isEqualTo("remote-write:mimir?url=RAW(https://u:***@mimir/push)");
        assertThat(steps.steps().get(3).uri()).as("placeholders as written").isEqualTo("direct:{{sink}}");
        assertThat(steps.steps().get(8).kind()).isEqualTo("log");
        assertThat(steps.ids()).startsWith("from, relabel:demo (1), scrape:demo (2), multicast (3)");
    }

    @Test
    void aStepIsFoundByItsProcessorInTheModel() {
        RouteDefinition route = route();
        RouteSteps steps = RouteSteps.of(route, uri -> uri);
        ProcessorDefinition<?> scrape = route.getOutputs().get(1);
        assertThat(steps.of(scrape).id()).isEqualTo("scrape:demo");
        ProcessorDefinition<?> nested = route.getOutputs().get(2).getOutputs().get(1);
        assertThat(steps.of(nested).id()).isEqualTo("direct:{{sink}}#2");
        assertThat(steps.of(new RouteDefinition())).isNull();
    }

    @Test
    void aNameResolvesByIdPositionOrAnUnambiguousScheme() throws Exception {
        RouteSteps steps = steps();
        assertThat(steps.resolve(null)).isEqualTo(RouteSteps.FROM);
        assertThat(steps.resolve("")).isEqualTo(RouteSteps.FROM);
        assertThat(steps.resolve("from")).isEqualTo(RouteSteps.FROM);
        assertThat(steps.resolve("scrape:demo")).isEqualTo("scrape:demo");
        assertThat(steps.resolve("direct:mimir#2")).isEqualTo("direct:mimir#2");
        assertThat(steps.resolve("2")).isEqualTo("scrape:demo");
        assertThat(steps.resolve("relabel")).isEqualTo("relabel:demo");
        assertThat(steps.resolve("write")).isEqualTo("write");
        assertThat(steps.resolve("remote-write")).as("a scheme only one step has").isEqualTo("write");
        assertThat(steps.resolve("multicast")).isEqualTo("multicast");
    }

    @Test
    void anUnknownOrAmbiguousNameSaysWhichStepsThereAre() {
        RouteSteps steps = steps();
        assertThatThrownBy(() -> steps.resolve("loki-process")).isInstanceOf(RouteSteps.UnknownStep.class)
                .hasMessage("route 'demo' has no step 'loki-process'; its steps: from, relabel:demo (1), scrape:demo (2), "
                        + "multicast (3), direct:mimir (4), direct:mimir#2 (5), choice (6), direct:hot (7), log:cold (8), log (9), write (10)");
        assertThatThrownBy(() -> steps.resolve("direct")).isInstanceOf(RouteSteps.UnknownStep.class)
                .hasMessage("'direct' names 3 steps of route 'demo': direct:mimir, direct:mimir#2, direct:hot; give one of their ids");
        assertThatThrownBy(() -> steps.resolve("11")).hasMessageStartingWith("route 'demo' has no step '11'");
        assertThatThrownBy(() -> steps.resolve("0")).hasMessageStartingWith("route 'demo' has no step '0'");
    }

    @Test
    void anEndpointsIdIsItsSchemeAndPath() {
        assertThat(RouteSteps.endpoint("relabel:kubelet?rules=x.yaml")).isEqualTo("relabel:kubelet");
        assertThat(RouteSteps.endpoint("scrape://kubelet?interval=1s")).isEqualTo("scrape:kubelet");
        assertThat(RouteSteps.endpoint("direct:mimir")).isEqualTo("direct:mimir");
        assertThat(RouteSteps.endpoint("loki-process:pods")).isEqualTo("loki-process:pods");
    }
}

package io.caravan.logs.events;

import io.caravan.model.Labels;
import io.caravan.model.LogEntry;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.MicroTime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Instant;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Lines as Alloy's loki.source.kubernetes_events writes them (event_controller.go's field order, Go's %q and
 * encoding/json; its own test's cases first: {@code name=alloy msg="configuration reloaded" } and
 * {@code {"msg":"configuration reloaded","name":"alloy"}}).
 */
class EventLinesTest {

    record Case(String name, Event event, String logfmt, String json) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Event alloysEvent() {
        return new EventBuilder().withNewMetadata().withNamespace("default").withName("alloy-reloaded").endMetadata()
                .withEventTime(new MicroTime("2024-03-01T10:00:00.123456Z"))
                .withNewInvolvedObject().withName("alloy").withNamespace("default").endInvolvedObject()
                .withMessage("configuration reloaded").build();
    }

    static Event backOff() {
        return new EventBuilder()
                .withNewMetadata().withNamespace("shop").withName("web-1.17c").withResourceVersion("4711").endMetadata()
                .withNewInvolvedObject().withKind("Pod").withNamespace("shop").withName("web-1").withApiVersion("v1")
                .withResourceVersion("901").withFieldPath("spec.containers{web}").endInvolvedObject()
                .withReason("BackOff").withType("Warning").withCount(7).withAction("")
                .withNewSource().withComponent("kubelet").withHost("node-a").endSource()
                .withReportingComponent("kubelet").withReportingInstance("node-a")
                .withFirstTimestamp("2024-03-01T09:00:00Z").withLastTimestamp("2024-03-01T10:05:00Z")
                .withMessage("Back-off restarting failed container web in pod web-1_shop(abc)").build();
    }

    static Event awkwardMessage() {
        return new EventBuilder().withNewMetadata().withNamespace("shop").withName("x").withResourceVersion("5").endMetadata()
                .withNewInvolvedObject().withKind("Deployment").withNamespace("shop").withName("api").endInvolvedObject()
                .withReason("ScalingReplicaSet").withType("Normal").withAction("Scale")
                .withLastTimestamp("2024-03-01T10:06:00Z")
                .withMessage("Scaled up \"api-7d\" <from 1 to 3> & waited\n\ttab \u00e9").build();
    }

    static Stream<Case> cases() {
        return Stream.of(
                new Case("Alloy's own test event", alloysEvent(),
                        "name=alloy msg=\"configuration reloaded\" ",
                        "{\"msg\":\"configuration reloaded\",\"name\":\"alloy\"}"),
                new Case("every field, in Alloy's order", backOff(),
                        "name=web-1 kind=Pod objectAPIversion=v1 objectRV=901 eventRV=4711 reportinginstance=node-a"
                                + " reportingcontroller=kubelet sourcecomponent=kubelet sourcehost=node-a reason=BackOff type=Warning"
                                + " count=7 msg=\"Back-off restarting failed container web in pod web-1_shop(abc)\" ",
                        "{\"count\":7,\"eventRV\":\"4711\",\"kind\":\"Pod\",\"msg\":\"Back-off restarting failed container web"
                                + " in pod web-1_shop(abc)\",\"name\":\"web-1\",\"objectAPIversion\":\"v1\",\"objectRV\":\"901\","
                                + "\"reason\":\"BackOff\",\"reportingcontroller\":\"kubelet\",\"reportinginstance\":\"node-a\","
                                + "\"sourcecomponent\":\"kubelet\",\"sourcehost\":\"node-a\",\"type\":\"Warning\"}"),
                new Case("a message Go must escape", awkwardMessage(),
                        "name=api kind=Deployment action=Scale eventRV=5 reason=ScalingReplicaSet type=Normal"
                                + " msg=\"Scaled up \\\"api-7d\\\" <from 1 to 3> & waited\\n\\ttab \u00e9\" ",
                        "{\"action\":\"Scale\",\"eventRV\":\"5\",\"kind\":\"Deployment\",\"msg\":\"Scaled up \\\"api-7d\\\""
                                + " \\u003cfrom 1 to 3\\u003e \\u0026 waited\\n\\ttab \u00e9\",\"name\":\"api\","
                                + "\"reason\":\"ScalingReplicaSet\",\"type\":\"Normal\"}"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void linesAsAlloyWritesThem(Case c) {
        LogEntry logfmt = new EventLines(EventLines.Format.LOGFMT, "loki.source.kubernetes_events", "i").entry(c.event());
        LogEntry json = new EventLines(EventLines.Format.JSON, "loki.source.kubernetes_events", "i").entry(c.event());
        assertThat(logfmt.line()).isEqualTo(c.logfmt());
        assertThat(json.line()).isEqualTo(c.json());
    }

    @Test
    void labelsAreTheInvolvedObjectsNamespaceTheJobAndTheInstance() {
        LogEntry e = new EventLines(EventLines.Format.LOGFMT, "loki.source.kubernetes_events",
                "loki.source.kubernetes_events.events").entry(backOff());
        assertThat(e.labels()).isEqualTo(Labels.of("namespace", "shop", "job", "loki.source.kubernetes_events",
                "instance", "loki.source.kubernetes_events.events"));
        Event clusterScoped = new EventBuilder(backOff()).editInvolvedObject().withKind("Node").withNamespace(null)
                .withName("node-a").endInvolvedObject().build();
        assertThat(new EventLines(EventLines.Format.LOGFMT, "j", "i").entry(clusterScoped).labels().has("namespace")).isFalse();
    }

    @Test
    void theTimeIsLastTimestampElseEventTimeNeverTheTimeOfReading() {
        assertThat(Instant.ofEpochSecond(0, EventLines.timestampNanos(backOff()))).isEqualTo("2024-03-01T10:05:00Z");
        assertThat(Instant.ofEpochSecond(0, EventLines.timestampNanos(alloysEvent()))).isEqualTo("2024-03-01T10:00:00.123456Z");
        Event onlyFirst = new EventBuilder(backOff()).withLastTimestamp(null).build();
        assertThat(Instant.ofEpochSecond(0, EventLines.timestampNanos(onlyFirst))).isEqualTo("2024-03-01T09:00:00Z");
        assertThat(EventLines.timestampNanos(backOff())).isEqualTo(EventLines.timestampNanos(backOff()));
    }

    @Test
    void anEventWithoutAnInvolvedObjectIsNoEntry() {
        Event none = new EventBuilder(backOff()).withInvolvedObject(null).build();
        assertThat(new EventLines(EventLines.Format.JSON, "j", "i").entry(none)).isNull();
    }
}

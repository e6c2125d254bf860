package io.caravan.logs.process;

import io.caravan.model.Labels;
import io.caravan.model.LogEntry;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * stage.structured_metadata, one table: the stage file, the entry's labels and metadata before, its line, and its
 * metadata and labels after. Cases are the examples of Alloy's (and Loki's) structured_metadata documentation and
 * Alloy's stage tests, in our words, and the edge cases they state.
 */
class StructuredMetadataStageTest {

    static final String CRI_LINE = "2019-01-01T01:00:00.000000001Z stderr P i'm a log message!";
    static final String POD = "loki-querier-664f97db8d-qhnwg";

    static Stream<Arguments> cases() {
        return Stream.of(
                // the documented examples
                arguments("values by the same name and by another name, and a regex, from extracted", """
                        - logfmt: {mapping: {env: '', username: '', pod_name: '', pod_ip: '', other: ''}}
                        - structured_metadata: {values: {env: '', user: username}, regex: 'pod_.*'}""", Labels.EMPTY, Labels.EMPTY,
                        "env=prod username=ann pod_name=web-1 pod_ip=10.0.0.1 other=x",
                        Labels.of("env", "prod", "user", "ann", "pod_name", "web-1", "pod_ip", "10.0.0.1"), Labels.EMPTY),
                arguments("json extracts, labels takes one, structured_metadata the other", """
                        - json: {expressions: {stream: stream, traceID: traceID}}
                        - labels: {values: {stream: ''}}
                        - structured_metadata: {values: {traceID: ''}}""", Labels.EMPTY, Labels.EMPTY,
                        "{\"log\":\"log message\\n\",\"stream\":\"stderr\",\"traceID\":\"0242ac120002\",\"time\":\"2019-04-30T02:12:41.8443515Z\"}",
                        Labels.of("traceID", "0242ac120002"), Labels.of("stream", "stderr")),
                // Alloy's stage tests
                arguments("from logfmt", """
                        - logfmt: {mapping: {app: ''}}
                        - structured_metadata: {values: {app: ''}}""", Labels.EMPTY, Labels.EMPTY, "app=loki component=ingester",
                        Labels.of("app", "loki"), Labels.EMPTY),
                arguments("from json", """
                        - json: {expressions: {app: ''}}
                        - structured_metadata: {values: {app: ''}}""", Labels.EMPTY, Labels.EMPTY, "{\"app\":\"loki\" ,\"component\":\"ingester\"}",
                        Labels.of("app", "loki"), Labels.EMPTY),
                arguments("from a regex's group", """
                        - regex: {expression: '^(?s)(?P<time>\\S+?) (?P<stream>stdout|stderr) (?P<flags>\\S+?) (?P<content>.*)$'}
                        - structured_metadata: {values: {stream: ''}}""", Labels.EMPTY, Labels.EMPTY, CRI_LINE,
                        Labels.of("stream", "stderr"), Labels.EMPTY),
                arguments("values and regex naming one key give it once", """
                        - regex: {expression: '^(?s)(?P<time>\\S+?) (?P<stream>stdout|stderr) (?P<flags>\\S+?) (?P<content>.*)$'}
                        - structured_metadata: {values: {stream: ''}, regex: stream}""", Labels.EMPTY, Labels.EMPTY, CRI_LINE,
                        Labels.of("stream", "stderr"), Labels.EMPTY),
                arguments("in extracted and in the labels (cri sets both): once, and the label moves", """
                        - cri: {}
                        - structured_metadata: {values: {stream: ''}}""", Labels.EMPTY, Labels.EMPTY, CRI_LINE.replace(" P ", " F "),
                        Labels.of("stream", "stderr"), Labels.EMPTY),
                arguments("after a template", """
                        - json: {expressions: {app: ''}}
                        - template: {source: app, template: '{{ ToUpper .Value }}'}
                        - structured_metadata: {values: {app: ''}}""", Labels.EMPTY, Labels.EMPTY, "{\"app\":\"loki\" ,\"component\":\"ingester\"}",
                        Labels.of("app", "LOKI"), Labels.EMPTY),
                arguments("beside a labels stage", """
                        - json: {expressions: {app: '', component: ''}}
                        - structured_metadata: {values: {app: ''}}
                        - labels: {values: {component: ''}}""", Labels.EMPTY, Labels.EMPTY, "{\"app\":\"loki\" ,\"component\":\"ingester\"}",
                        Labels.of("app", "loki"), Labels.of("component", "ingester")),
                arguments("a static label moves to metadata", """
                        - static_labels: {values: {component: querier, pod: %s}}
                        - structured_metadata: {values: {pod: ''}}""".formatted(POD), Labels.EMPTY, Labels.EMPTY, "sample log line",
                        Labels.of("pod", POD), Labels.of("component", "querier")),
                arguments("a static label moves under another name", """
                        - static_labels: {values: {component: querier, pod: %s}}
                        - structured_metadata: {values: {pod_name: pod}}""".formatted(POD), Labels.EMPTY, Labels.EMPTY, "sample log line",
                        Labels.of("pod_name", POD), Labels.of("component", "querier")),
                arguments("labels matching the regex move", """
                        - static_labels: {values: {component: querier, label_app_kubernetes_io_name: loki, label_app_kubernetes_io_component: querier}}
                        - structured_metadata: {regex: 'label_.*'}""", Labels.EMPTY, Labels.EMPTY, "sample log line",
                        Labels.of("label_app_kubernetes_io_component", "querier", "label_app_kubernetes_io_name", "loki"),
                        Labels.of("component", "querier")),
                arguments("labels by values and by regex", """
                        - static_labels: {values: {component: querier, pod: %s, label_app_kubernetes_io_name: loki, label_app_kubernetes_io_component: querier}}
                        - structured_metadata: {values: {pod_name: pod}, regex: 'label_.*'}""".formatted(POD), Labels.EMPTY, Labels.EMPTY,
                        "sample log line",
                        Labels.of("label_app_kubernetes_io_component", "querier", "label_app_kubernetes_io_name", "loki", "pod_name", POD),
                        Labels.of("component", "querier")),
                arguments("extracted values by values and by regex", """
                        - logfmt: {mapping: {pod: '', metadata_name: '', metadata_component: ''}}
                        - structured_metadata: {values: {pod_name: pod}, regex: 'metadata_.*'}""", Labels.EMPTY, Labels.EMPTY,
                        "pod=" + POD + " metadata_name=loki metadata_component=querier msg=\"sample log line\"",
                        Labels.of("metadata_component", "querier", "metadata_name", "loki", "pod_name", POD), Labels.EMPTY),
                arguments("a nested JSON value goes as its JSON text", """
                        - json: {expressions: {app: '', component_nested: '', component_non_nested: ''}}
                        - structured_metadata: {regex: 'component_.*'}""", Labels.EMPTY, Labels.EMPTY,
                        "{\"app\":\"loki\", \"component_nested\": {\"name\":\"ingester\", \"props\":{\"n1\": \"v1\", \"n2\": \"v2\"}}, \"component_non_nested\": \"non_nested_val\"}",
                        Labels.of("component_nested", "{\"name\":\"ingester\",\"props\":{\"n1\":\"v1\",\"n2\":\"v2\"}}",
                                "component_non_nested", "non_nested_val"), Labels.EMPTY),
                arguments("a later stage replaces an earlier one's value", """
                        - logfmt: {mapping: {app: '', next_app: ''}}
                        - structured_metadata: {values: {app: app}}
                        - structured_metadata: {values: {app: next_app}}""", Labels.EMPTY, Labels.EMPTY, "app=first next_app=second",
                        Labels.of("app", "second"), Labels.EMPTY),
                arguments("within a stage, the label comes last and wins over extracted and the metadata it had", """
                        - structured_metadata: {values: {app: ''}}""", Labels.of("app", "from-labels"), Labels.of("app", "original"), "x",
                        Labels.of("app", "from-labels"), Labels.EMPTY),
                // edge cases
                arguments("a missing key leaves the metadata and the labels", "- structured_metadata: {values: {trace: ''}}",
                        Labels.of("app", "api"), Labels.of("kept", "yes"), "x", Labels.of("kept", "yes"), Labels.of("app", "api")),
                arguments("a JSON null is not a string: skipped", """
                        - json: {expressions: {trace: ''}}
                        - structured_metadata: {values: {trace: ''}}""", Labels.EMPTY, Labels.EMPTY, "{\"trace\": null}",
                        Labels.EMPTY, Labels.EMPTY),
                arguments("a number is written as Go writes it", """
                        - json: {expressions: {took: ''}}
                        - structured_metadata: {values: {took: ''}}""", Labels.EMPTY, Labels.EMPTY, "{\"took\": 1.50}",
                        Labels.of("took", "1.5"), Labels.EMPTY),
                arguments("the regex is not anchored", "- structured_metadata: {regex: 'id'}", Labels.of("pod_uid", "u1", "app", "api"),
                        Labels.EMPTY, "x", Labels.of("pod_uid", "u1"), Labels.of("app", "api")),
                arguments("neither values nor regex changes nothing", "- structured_metadata: {}", Labels.of("app", "api"),
                        Labels.of("kept", "yes"), "x", Labels.of("kept", "yes"), Labels.of("app", "api"))
        );
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void structured_metadata(String name, String yaml, Labels labels, Labels metadata, String line, Labels wantMetadata, Labels wantLabels) {
        StageRunner runner = new StageRunner(yaml);
        List<LogEntry> out = runner.run(new LogEntry(labels, 1_000L, line, metadata));
        assertThat(out).hasSize(1);
        assertThat(out.get(0).metadata()).isEqualTo(wantMetadata);
        assertThat(out.get(0).labels()).isEqualTo(wantLabels);
    }
}

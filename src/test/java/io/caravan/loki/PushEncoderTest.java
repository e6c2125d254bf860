package io.caravan.loki;

import io.caravan.loki.testing.LokiPushDecoder;
import io.caravan.model.Labels;
import io.caravan.model.LogEntry;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The hand-written PushRequest encoder against the test decoder. */
class PushEncoderTest {

    @Test
    void streams_labels_times_lines_and_metadata_round_trip() throws Exception {
        PushEncoder enc = new PushEncoder(Labels.of("cluster", "c1", "dc", "east"));
        Labels a = Labels.of("app", "api", "dc", "west");
        Labels b = Labels.of("app", "we\"b\\x\n");
        List<LogEntry> batch = List.of(
                new LogEntry(a, 3_000_000_005L, "third"),
                new LogEntry(b, 1, "b-one ünïcødé 🚀"),
                new LogEntry(a, 1_000_000_000L, "first", Labels.of("trace_id", "abc")),
                new LogEntry(a, 2_000_000_000L, "second"),
                new LogEntry(b, -1_500_000_000L, "before 1970"));
        enc.encode(batch);
        List<LokiPushDecoder.Stream> streams = LokiPushDecoder.decode(enc.compressedCopy());
        assertThat(streams).hasSize(2);
        LokiPushDecoder.Stream s0 = streams.get(0);
        assertThat(s0.labels()).isEqualTo("{app=\"api\", cluster=\"c1\", dc=\"west\"}"); // the entry's own label wins
        assertThat(s0.entries()).extracting(LokiPushDecoder.Entry::line).containsExactly("first", "second", "third");
        assertThat(s0.entries()).extracting(LokiPushDecoder.Entry::timestampNanos).containsExactly(1_000_000_000L, 2_000_000_000L, 3_000_000_005L);
        assertThat(s0.entries().get(0).metadata()).isEqualTo(Map.of("trace_id", "abc"));
        LokiPushDecoder.Stream s1 = streams.get(1);
        assertThat(s1.labels()).isEqualTo("{app=\"we\\\"b\\\\x\\n\", cluster=\"c1\", dc=\"east\"}");
        assertThat(s1.entries()).extracting(LokiPushDecoder.Entry::line).containsExactly("before 1970", "b-one ünïcødé 🚀");
        assertThat(s1.entries().get(0).timestampNanos()).isEqualTo(-1_500_000_000L);
    }

    @Test
    void labels_parse_back_as_loki_reads_them() {
        String text = LokiLabels.format(Labels.of("a", "tab\there", "b", "quote\"back\\slash", "c", "bell\u0007"));
        assertThat(io.caravan.loki.testing.LokiReceiverAccess.parse(text))
                .containsEntry("a", "tab\there").containsEntry("b", "quote\"back\\slash").containsEntry("c", "bell\u0007");
    }
}

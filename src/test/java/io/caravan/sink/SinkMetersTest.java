package io.caravan.sink;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/** One set of meters, each sink's family of names: the names dashboards and alerts use stay as they were. */
class SinkMetersTest {

    private static TreeSet<String> names(SimpleMeterRegistry r) {
        TreeSet<String> out = new TreeSet<>();
        for (Meter m : r.getMeters()) {
            out.add(m.getId().getName() + (m.getId().getTag("reason") == null ? "" : "{" + m.getId().getTag("reason") + "}"));
        }
        return out;
    }

    @Test
    void remote_write_keeps_its_names() {
        SimpleMeterRegistry r = new SimpleMeterRegistry();
        SinkMeters m = new SinkMeters(r, "caravan_remote_write", "samples", "wal", "mimir");
        m.overLimit(3);
        m.dropped("too_old", 1);
        m.corrupt(10);
        assertThat(names(r)).containsExactly("caravan_remote_write_request_duration", "caravan_remote_write_samples_dropped{too_old}",
                "caravan_remote_write_samples_dropped{wal_full}", "caravan_remote_write_samples_in", "caravan_remote_write_samples_retried",
                "caravan_remote_write_samples_sent", "caravan_remote_write_sent_bytes", "caravan_remote_write_wal_corrupt_bytes");
        assertThat(r.find("caravan_remote_write_samples_dropped").tags("sink", "mimir", "reason", "wal_full").counter().count()).isEqualTo(3);
    }

    @Test
    void loki_keeps_its_names() {
        SimpleMeterRegistry r = new SimpleMeterRegistry();
        SinkMeters m = new SinkMeters(r, "caravan_loki", "entries", "spill", "loki-local");
        m.overLimit(2);
        m.sent(5);
        m.request(1_000, new PushClient.Outcome(PushClient.Outcome.Kind.SENT, 204, 0, "", ""), 123);
        assertThat(names(r)).containsExactly("caravan_loki_entries_dropped{spill_full}", "caravan_loki_entries_in",
                "caravan_loki_entries_retried", "caravan_loki_entries_sent", "caravan_loki_request_duration", "caravan_loki_sent_bytes",
                "caravan_loki_spill_corrupt_bytes");
        assertThat(m.sentTotal()).isEqualTo(5);
        assertThat(r.find("caravan_loki_sent_bytes").counter().count()).isEqualTo(123);
    }
}

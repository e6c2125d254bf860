package io.caravan.logs;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

class PositionStoreTest {

    @TempDir
    Path dir;
    final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    final LogSourceMetrics metrics = new LogSourceMetrics(meters, "tail", "t");

    @Test
    void serializesAsTheRecordBindingDoes() throws Exception {
        var binding = new com.fasterxml.jackson.databind.ObjectMapper();
        for (Position p : List.of(
                Position.ofFile("pod/ns/a\"b", "/var/log/pods/x\\y.log", "1:2", "ab==", 1234,
                        java.util.Map.of("namespace", "prod", "pod", "é \n")),
                Position.ofFile("k", "/f", null, null, 0, null),
                Position.ofStream("s", 1_700_000_000_123_456_789L, "12:2,34:1"))) {
            byte[] ours = PositionStore.serialize(p);
            assertThat(new String(ours, java.nio.charset.StandardCharsets.UTF_8)).isEqualTo(binding.writeValueAsString(p));
            assertThat(binding.readValue(ours, Position.class)).isEqualTo(p);
        }
    }

    @Test
    void commitsAreOnDiskWhenTheyReturnAndReadBack() throws Exception {
        Path f = dir.resolve("p/tail-t.jsonl");
        PositionStore s = PositionStore.open(f, metrics);
        s.commit(Position.ofFile("/a.log", "/a.log", "(dev=1,ino=2)", "42:1f", 42, null));
        s.commit(Position.ofStream("ns_pod_uid/c", 1_700_000_000_123_456_789L, "ab:2"));
        s.commit(Position.ofFile("/a.log", "/a.log.1", "(dev=1,ino=2)", "43:2e", 43, null));
        assertThat(Files.readAllLines(f)).hasSize(2);
        assertThat(Files.list(f.getParent()).map(p -> p.getFileName().toString())).containsExactly("tail-t.jsonl"); // no temp left
        PositionStore again = PositionStore.open(f, metrics);
        assertThat(again.get("/a.log")).isEqualTo(Position.ofFile("/a.log", "/a.log.1", "(dev=1,ino=2)", "43:2e", 43, null));
        assertThat(again.get("ns_pod_uid/c").timestampNanos()).isEqualTo(1_700_000_000_123_456_789L);
        assertThat(again.get("ns_pod_uid/c").seen()).isEqualTo("ab:2");
        again.remove("/a.log");
        assertThat(PositionStore.open(f, metrics).all()).containsOnlyKeys("ns_pod_uid/c");
    }

    @Test
    void concurrentCommitsShareWritesAndLoseNothing() throws Exception {
        Path f = dir.resolve("tail-t.jsonl");
        PositionStore s = PositionStore.open(f, metrics);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            int id = t;
            done.add(pool.submit(() -> {
                for (int i = 0; i <= 50; i++) {
                    s.commit(Position.ofFile("/f" + id, "/f" + id, null, null, i, null));
                }
            }));
        }
        for (Future<?> d : done) {
            d.get();
        }
        pool.shutdown();
        PositionStore back = PositionStore.open(f, metrics);
        for (int t = 0; t < 8; t++) {
            assertThat(back.get("/f" + t).offset()).isEqualTo(50);
        }
    }

    @Test
    void damagedLinesCostOnlyThemselves() throws Exception {
        Path f = dir.resolve("tail-t.jsonl");
        Files.writeString(f, "{\"key\":\"/a\",\"file\":\"/a\",\"offset\":7}\n\0\0\0\0\n{\"key\":\"/b\",\"offset\":-1,\"file\":\"/b\"}\n"
                + "not json\n{\"key\":\"/c\",\"file\":\"/c\",\"offset\":9}\n{\"key\":\"/d\",\"fi");
        PositionStore s = PositionStore.open(f, metrics);
        assertThat(s.all()).containsOnlyKeys("/a", "/c");
        assertThat(meters.get("caravan_logs_errors").tag("reason", "positions_corrupt").counter().count()).isEqualTo(1);
    }

    @Test
    void anUnwritableDirectoryIsCountedNotThrown() throws Exception {
        Path blocker = dir.resolve("file");
        Files.writeString(blocker, "x");
        PositionStore s = PositionStore.open(blocker.resolve("sub/p.jsonl"), metrics);
        assertThat(s.commit(Position.ofFile("/a", "/a", null, null, 1, null))).isFalse();
        assertThat(s.lastWriteError()).isNotNull();
        assertThat(s.get("/a").offset()).isEqualTo(1);
        assertThat(meters.get("caravan_logs_errors").tag("reason", "positions_write").counter().count()).isEqualTo(1);
    }
}

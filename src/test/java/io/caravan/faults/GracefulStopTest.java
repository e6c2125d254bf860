package io.caravan.faults;

import io.caravan.CaravanApplication;
import io.caravan.loki.testing.LokiReceiver;
import io.caravan.model.Sample;
import io.caravan.testing.FakeTarget;
import io.caravan.testing.PrometheusServer;
import io.caravan.testing.RecordingReceiver;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import java.io.BufferedWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A graceful stop (SIGTERM: Spring closes the context) in the middle of scraping and tailing, then a start on the
 * same data directory: every line written is delivered exactly once, the scrapes go on as the same series (no
 * staleness markers at the stop), and the stop itself says nothing is dropped.
 */
@Tag("fault")
class GracefulStopTest {

    @TempDir
    Path dir;

    @Test
    void aStopAndStartInTheMiddleOfTheFlowLosesAndRepeatsNothing() throws Exception {
        Set<Thread> before = Thread.getAllStackTraces().keySet();
        Path log = dir.resolve("app.log");
        Files.createFile(log);
        // each scrape takes 300 ms to answer, so the stop likely finds one under way
        try (FakeTarget target = new FakeTarget("/metrics", n -> "stop_test_counter " + n + "\n").delay(300);
             RecordingReceiver mimir = new RecordingReceiver(n -> RecordingReceiver.Answer.OK);
             LokiReceiver loki = new LokiReceiver()) {
            Path routes = Files.createDirectories(dir.resolve("routes")).resolve("stop.yaml");
            Files.writeString(routes, """
                    - route:
                        id: stop-targets
                        from:
                          uri: "static-targets:stop?addresses=%s"
                          steps:
                            - to: "scrape:stop?interval=1s&timeout=1s"
                    - route:
                        id: stop-samples
                        from:
                          uri: scrape:stop
                          steps:
                            - to: direct:mimir
                    - route:
                        id: stop-tail
                        from:
                          uri: "tail:stop?path=%s&labels=job=stop&dataDir=%s"
                          steps:
                            - to: direct:loki-local
                    """.formatted(target.address(), log, dir.resolve("data")));
            String include = "file:" + routes + ",classpath:routes/sinks.yaml";

            AtomicBoolean writing = new AtomicBoolean(true);
            AtomicInteger written = new AtomicInteger();
            Thread writer = new Thread(() -> {
                try (BufferedWriter w = Files.newBufferedWriter(log, StandardCharsets.UTF_8, StandardOpenOption.APPEND)) {
                    while (writing.get()) {
                        w.write("line " + written.incrementAndGet() + "\n");
                        w.flush();
                        Thread.sleep(2);
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }, "stop-test-writer");
            writer.start();

            // Spring Boot sets logging up afresh at each start: the capture is attached after it
            LogCapture firstLog;
            try (ConfigurableApplicationContext first = agent(include, mimir, loki)) {
                firstLog = new LogCapture("io.caravan");
                await().atMost(Duration.ofSeconds(30)).until(() -> loki.lines().size() > 200 && target.scrapes() > 4);
            } // the stop under way: the writer goes on, the scrapes stop
            firstLog.close();
            int servedAtStop = target.scrapes();
            List<Sample> atStop = mimir.accepted();
            assertThat(firstLog.warnings()).as("a graceful stop warns about nothing").isEmpty();

            LogCapture secondLog;
            try (ConfigurableApplicationContext second = agent(include, mimir, loki)) {
                secondLog = new LogCapture("io.caravan");
                await().atMost(Duration.ofSeconds(30)).until(() -> target.scrapes() > servedAtStop + 4);
                writing.set(false);
                writer.join();
                await().atMost(Duration.ofSeconds(30)).until(() -> loki.lines().size() >= written.get());
            }

            Map<String, Integer> times = new HashMap<>();
            for (String line : loki.lines()) {
                times.merge(line, 1, Integer::sum);
            }
            assertThat(times).as("each of %d lines once", written.get()).hasSize(written.get());
            assertThat(times.values()).allMatch(n -> n == 1);

            assertThat(atStop).as("no staleness markers when the agent stops: the series go on after the start")
                    .noneMatch(s -> Sample.isStaleMarker(s.value()));
            Set<Integer> counted = new TreeSet<>();
            for (Sample s : atStop) {
                if (s.labels().get("__name__").equals("stop_test_counter")) {
                    counted.add((int) s.value());
                }
            }
            // every scrape the target served before the stop arrived, also one still under way when the stop came
            assertThat(counted).containsAll(IntStream.rangeClosed(1, servedAtStop).boxed().toList());
            secondLog.close();
            assertThat(secondLog.warnings()).as("a start that resumes and a second stop warn about nothing").isEmpty();
        }
        Thread.sleep(1000); // the test's own receivers' threads end a moment after they close
        assertThat(lingering(before)).as("threads the agents started and did not stop; they keep a JVM from exiting").isEmpty();
    }

    private static List<String> lingering(Set<Thread> before) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && !t.isDaemon() && !before.contains(t))
                .map(Thread::getName).sorted().toList();
    }

    private ConfigurableApplicationContext agent(String include, RecordingReceiver mimir, LokiReceiver loki) throws Exception {
        return new SpringApplicationBuilder(CaravanApplication.class).run(
                "--camel.main.routes-include-pattern=" + include,
                "--CARAVAN_HTTP_PORT=" + PrometheusServer.freePort(),
                "--CARAVAN_DATA_DIR=" + dir.resolve("data"),
                "--MIMIR_WRITE_URL=" + mimir.url(),
                "--LOKI_WRITE_URL_LOCAL=" + loki.url(),
                "--NODE_NAME=stop-node");
    }
}

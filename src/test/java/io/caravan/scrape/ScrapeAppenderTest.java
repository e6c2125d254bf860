package io.caravan.scrape;

import io.caravan.model.Labels;
import io.caravan.model.Sample;
import io.caravan.model.Target;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** The appender on bodies handed to it directly: no HTTP, no schedule, one target's series across scrapes. */
class ScrapeAppenderTest {

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final ScrapeSettings settings = new ScrapeSettings("test", 1000, 800, "http", "/metrics", false, true, 3,
            1 << 20, 7_200_000, true, Labels.EMPTY, null);
    private final ScrapeTarget target = target();
    private final ScrapeAppender appender = new ScrapeAppender(target, new ScrapeMetrics(meters));

    private ScrapeTarget target() {
        try {
            return ScrapeTarget.of(Target.of("__address__", "h:1", "team", "core"), settings);
        } catch (ScrapeTarget.Invalid e) {
            throw new AssertionError(e);
        }
    }

    private ScrapeAppender.Outcome append(String body) {
        return appender.append(settings, System.currentTimeMillis(), System.nanoTime(),
                new Fetched(body.getBytes(StandardCharsets.UTF_8), "text/plain; version=0.0.4"), null);
    }

    private static Optional<Sample> find(List<Sample> samples, String name) {
        return samples.stream().filter(s -> s.metricName().equals(name)).findFirst();
    }

    private static double value(List<Sample> samples, String name) {
        return find(samples, name).orElseThrow(() -> new AssertionError(name + " not in " + samples)).value();
    }

    private double counted(String meter, String reason) {
        var c = meters.find(meter).tags("job", "test", "reason", reason).counter();
        return c == null ? 0 : c.count();
    }

    @Test
    void aBodyBecomesSamplesWithTargetLabelsAndReportSeriesAndAVanishedSeriesGoesStale() {
        ScrapeAppender.Outcome first = append("a 1\nb{job=\"exposed\"} 2\n");
        assertThat(first.failure()).isNull();
        assertThat(find(first.samples(), "b").orElseThrow().labels())
                .isEqualTo(Labels.of("__name__", "b", "job", "test", "exported_job", "exposed", "instance", "h:1", "team", "core"));
        assertThat(value(first.samples(), "up")).isEqualTo(1);
        assertThat(value(first.samples(), "scrape_samples_scraped")).isEqualTo(2);
        assertThat(value(first.samples(), "scrape_samples_post_metric_relabeling")).isEqualTo(2);
        assertThat(value(first.samples(), "scrape_series_added")).isEqualTo(2);
        assertThat(first.kept()).isEqualTo(2);

        ScrapeAppender.Outcome second = append("a 1\n");
        assertThat(Sample.isStaleMarker(value(second.samples(), "b"))).isTrue();
        assertThat(value(second.samples(), "scrape_series_added")).isZero();

        List<Sample> gone = appender.endOfLife(System.currentTimeMillis(), true);
        assertThat(gone).extracting(Sample::metricName).containsExactly("a", "up", "scrape_duration_seconds", "scrape_samples_scraped",
                "scrape_samples_post_metric_relabeling", "scrape_series_added");
        assertThat(gone).allSatisfy(s -> assertThat(Sample.isStaleMarker(s.value())).isTrue());
    }

    @Test
    void aFailedFetchIsUpZeroClassifiedCountedAndMarksTheLastScrapeStale() {
        append("a 1\n");
        ScrapeAppender.Outcome failed = appender.append(settings, System.currentTimeMillis(), System.nanoTime(), null,
                new HttpTimeoutException("scrape timed out"));
        assertThat(failed.failure().reason()).isEqualTo(ScrapeMetrics.TIMEOUT);
        assertThat(failed.failure().message()).contains("timed out after 800ms");
        assertThat(value(failed.samples(), "up")).isZero();
        assertThat(Sample.isStaleMarker(value(failed.samples(), "a"))).isTrue();
        assertThat(value(failed.samples(), "scrape_samples_scraped")).isZero();
        assertThat(counted("caravan_scrape_failures", ScrapeMetrics.TIMEOUT)).isEqualTo(1);
    }

    @Test
    void duplicatesAreDroppedAndTooManySamplesFailTheWholeScrape() {
        ScrapeAppender.Outcome dup = append("a 1\na 2\n");
        assertThat(dup.samples().stream().filter(s -> s.metricName().equals("a"))).extracting(Sample::value).containsExactly(1.0);
        assertThat(counted("caravan_scrape_samples_dropped", ScrapeMetrics.DUPLICATE)).isEqualTo(1);

        ScrapeAppender.Outcome tooMany = append("a 1\nb 2\nc 3\nd 4\n");
        assertThat(tooMany.failure().reason()).isEqualTo(ScrapeMetrics.SAMPLE_LIMIT);
        assertThat(tooMany.failure().message()).contains("4 samples after relabeling, limit 3");
        assertThat(find(tooMany.samples(), "b")).isEmpty();
        assertThat(counted("caravan_scrape_samples_dropped", ScrapeMetrics.SAMPLE_LIMIT)).isEqualTo(4);
    }
}

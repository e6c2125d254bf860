package io.caravan.scrape;

import io.caravan.model.Labels;
import io.caravan.scrape.parse.ExpositionParseException;
import io.caravan.scrape.parse.ExpositionParser;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;

import static org.assertj.core.api.Assertions.assertThat;

/** Every way a scrape fails maps to one reason tag and words that say what to fix. */
class ScrapeFailureTest {

    private final ScrapeTarget target = new ScrapeTarget(Labels.of("job", "j", "instance", "h:9100"),
            URI.create("http://h:9100/metrics"), 1000, 500);

    private ScrapeFailure of(Throwable t) {
        return ScrapeFailure.of(t, target);
    }

    @Test
    void eachFailureHasItsReasonAndItsAdvice() throws Exception {
        assertThat(of(new CancellationException())).isEqualTo(new ScrapeFailure(ScrapeMetrics.TIMEOUT,
                "scrape timed out after 500ms (scrape timeout); the target is too slow or stalled: fix it, or raise timeout"));
        assertThat(of(new CompletionException(new IOException("wrapped", new BoundedBody.TooLarge(10)))))
                .as("the HTTP client's wrapping is looked through").extracting(ScrapeFailure::reason).isEqualTo(ScrapeMetrics.BODY_SIZE_LIMIT);
        assertThat(of(new BoundedBody.TooLarge(10)).message()).contains("10 bytes (bodySizeLimit)").contains("raise bodySizeLimit");
        assertThat(of(new ScrapeFailure.BadStatus(404))).extracting(ScrapeFailure::reason).isEqualTo(ScrapeMetrics.HTTP_STATUS);
        assertThat(of(new ScrapeFailure.BadStatus(404)).message()).contains("HTTP status 404").contains("check metricsPath");
        assertThat(of(new ScrapeFailure.BadStatus(403)).message()).contains("check bearerTokenFile");
        assertThat(of(new ScrapeFailure.NotMetrics("text/html")).reason()).isEqualTo(ScrapeMetrics.NOT_METRICS);
        assertThat(of(new ScrapeFailure.SampleLimitExceeded(5, 3)).reason()).isEqualTo(ScrapeMetrics.SAMPLE_LIMIT);
        assertThat(of(new CompletionException(new ConnectException()))).isEqualTo(new ScrapeFailure(ScrapeMetrics.CONNECTION,
                "cannot connect to h:9100 (connection refused or unreachable); check that the target runs and its address and port"));
        assertThat(of(new IllegalStateException())).as("no message: the exception's name")
                .isEqualTo(new ScrapeFailure(ScrapeMetrics.CONNECTION, "IllegalStateException"));

        ExpositionParseException parse = parseError("ok 1\nbad{le=\"x 2\n");
        assertThat(of(parse).reason()).isEqualTo(ScrapeMetrics.PARSE_ERROR);
        assertThat(of(parse).message()).startsWith("cannot parse the response: ").contains("line 2").endsWith("fix the exporter");
    }

    private static ExpositionParseException parseError(String body) {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        ExpositionParser p = ExpositionParser.forContentType("text/plain; version=0.0.4");
        p.reset(b, 0, b.length);
        try {
            while (p.next() != ExpositionParser.Entry.EOF) {
                // read to the error
            }
        } catch (ExpositionParseException e) {
            return e;
        }
        throw new AssertionError("no parse error in " + body);
    }
}

package io.caravan.tap;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The tap command's usage errors and its word when no agent answers (against a running agent: TapEndToEndTest). */
class TapCommandTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(Map<String, String> env, String... args) {
        return TapCommand.run(args, env, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void withoutARouteItSaysWhatToGive() {
        assertThat(run(Map.of())).isEqualTo(2);
        assertThat(err()).startsWith("tap: which route? give ROUTE or ROUTE:STEP\nusage: tap ROUTE[:STEP]");
    }

    @Test
    void badOptionsAreUsageErrors() {
        assertThat(run(Map.of(), "r", "--limit", "ten")).isEqualTo(2);
        assertThat(err()).startsWith("tap: --limit takes a whole number, not 'ten'");
        err.reset();
        assertThat(run(Map.of(), "r", "--direction=up")).isEqualTo(2);
        assertThat(err()).startsWith("tap: direction must be in, out or both, not 'up'");
        err.reset();
        assertThat(run(Map.of(), "r", "--colour", "red")).isEqualTo(2);
        assertThat(err()).startsWith("tap: unknown option '--colour'");
        err.reset();
        assertThat(run(Map.of(), "a", "b")).isEqualTo(2);
        assertThat(err()).startsWith("tap: one ROUTE[:STEP], not 'a' and 'b'");
        err.reset();
        assertThat(run(Map.of(), "r", "--seconds")).isEqualTo(2);
        assertThat(err()).startsWith("tap: --seconds needs a value");
    }

    @Test
    void noAgentAtTheUrlSaysWhichUrlAndHowToGiveAnother() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort(); // free once closed: nothing listens there
        }
        assertThat(run(Map.of("CARAVAN_HTTP_PORT", String.valueOf(port)), "kubelet:relabel")).isEqualTo(1);
        assertThat(err()).startsWith("tap: no agent answers at http://127.0.0.1:" + port + " (connection refused): give its UI address with --url URL");
        assertThat(out.toString(StandardCharsets.UTF_8)).isEmpty();
    }

    @Test
    void helpPrintsTheUsage() {
        assertThat(run(Map.of(), "--help")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("--direction D").contains("--url URL");
    }
}

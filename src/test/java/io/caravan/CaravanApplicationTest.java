package io.caravan;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class CaravanApplicationTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return CaravanApplication.dispatch(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    void unknownCommandPrintsUsageAndExits2() {
        assertThat(run("frobnicate")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("unknown command 'frobnicate'").contains("usage:");
    }

    @Test
    void helpPrintsUsageAndExits0() {
        assertThat(run("help")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("relabel --rules");
    }

    @Test
    void processIsDispatchedAndWithoutStagesIsABadFlag() {
        assertThat(run("process", "--raw")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).startsWith("process: --stages is required\nusage: process --stages STAGES.yaml [--raw]\n");
    }

    @Test
    void helpNamesProcess() {
        assertThat(run("help")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("process --stages STAGES.yaml [--raw]");
    }

    @Test
    void helpNamesTapAndTapIsDispatched() {
        assertThat(run("help")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("tap ROUTE[:STEP] [--url URL] [--limit N] [--seconds S]");
        assertThat(run("tap")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).startsWith("tap: which route? give ROUTE or ROUTE:STEP\n");
    }

    @Test
    void relabelWithoutRulesIsABadFlag() {
        assertThat(run("relabel")).isEqualTo(2);
    }
}

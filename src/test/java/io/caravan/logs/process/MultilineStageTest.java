package io.caravan.logs.process;

import io.caravan.model.Durations;
import io.caravan.model.Labels;
import io.caravan.model.LogEntry;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * multiline: Alloy's documented Flask example and the rules its docs and stage tests state, as steps (a line in, time
 * passing, the end of the input) and the entries that come out, in order. Time is a clock stepped by hand; after it
 * moves an empty batch comes, as the route's release sends one. The blocks that leave on time in a running route
 * are {@link HeldEntriesReleaseTest}'s; its arguments are in {@link StageArgsTest}.
 */
class MultilineStageTest {

    static final Labels A = Labels.of("app", "a");
    static final Labels B = Labels.of("app", "b");
    static final String FLASK = "firstline: '^\\[\\d{4}-\\d{2}-\\d{2} \\d{1,2}:\\d{2}:\\d{2}\\]', max_wait_time: 10s";

    /** One step of a case. */
    sealed interface Step permits In, Wait, End {
    }

    /** A line of a stream, at a time (nanoseconds), alone in its batch. */
    record In(Labels stream, long ts, String line) implements Step {
    }

    /** The clock moves on, then an empty batch comes. */
    record Wait(Duration d) implements Step {
    }

    /** The input ends: the stage is flushed. */
    record End() implements Step {
    }

    static In in(Labels stream, long ts, String line) {
        return new In(stream, ts, line);
    }

    static Wait waitFor(String d) {
        return new Wait(Duration.ofMillis(Durations.parseMillis("wait", d)));
    }

    static final End END = new End();

    static LogEntry out(Labels stream, long ts, String line) {
        return new LogEntry(stream, ts, line);
    }

    static Stream<Arguments> cases() {
        return Stream.of(
                arguments("docs: the Flask traceback becomes one entry, each request line its own", FLASK, List.of(
                                in(A, 1, "[2023-01-18 17:41:21] \"GET /hello HTTP/1.1\" 200 -"),
                                in(A, 2, "[2023-01-18 17:41:25] ERROR in app: Exception on /error [GET]"),
                                in(A, 3, "Traceback (most recent call last):"),
                                in(A, 4, "  File \"/app/flask/app.py\", line 2447, in wsgi_app"),
                                in(A, 5, "    response = self.full_dispatch_request()"),
                                in(A, 6, "Exception: Sorry, this route always breaks"),
                                in(A, 7, "[2023-01-18 17:42:24] \"GET /error HTTP/1.1\" 500 -"),
                                in(A, 8, "[2023-01-18 17:42:29] \"GET /hello HTTP/1.1\" 200 -"),
                                END),
                        List.of(out(A, 1, "[2023-01-18 17:41:21] \"GET /hello HTTP/1.1\" 200 -"),
                                out(A, 2, """
                                        [2023-01-18 17:41:25] ERROR in app: Exception on /error [GET]
                                        Traceback (most recent call last):
                                          File "/app/flask/app.py", line 2447, in wsgi_app
                                            response = self.full_dispatch_request()
                                        Exception: Sorry, this route always breaks"""),
                                out(A, 7, "[2023-01-18 17:42:24] \"GET /error HTTP/1.1\" 500 -"),
                                out(A, 8, "[2023-01-18 17:42:29] \"GET /hello HTTP/1.1\" 200 -"))),
                arguments("lines before a stream's first firstline pass at once, as they are", "firstline: '^START'", List.of(
                                in(A, 1, "  orphan 1"), in(A, 2, "  orphan 2"), in(A, 3, "START x"), in(A, 4, "  more"), END),
                        List.of(out(A, 1, "  orphan 1"), out(A, 2, "  orphan 2"), out(A, 3, "START x\n  more"))),
                arguments("firstline is unanchored RE2", "firstline: 'BEGIN'", List.of(
                                in(A, 1, "x BEGIN 1"), in(A, 2, "y"), in(A, 3, "z BEGIN 2"), END),
                        List.of(out(A, 1, "x BEGIN 1\ny"), out(A, 3, "z BEGIN 2"))),
                arguments("each stream (label set) has its own block", "firstline: '^START'", List.of(
                                in(A, 1, "START a"), in(B, 2, "START b"), in(A, 3, "a1"), in(B, 4, "b1"), in(B, 5, "START b2"),
                                in(A, 6, "a2"), END),
                        List.of(out(B, 2, "START b\nb1"), out(A, 1, "START a\na1\na2"), out(B, 5, "START b2"))),
                arguments("a block takes the time and labels of its first line", "firstline: '^START'", List.of(
                                in(A, 100, "START"), in(A, 200, "later"), in(A, 300, "latest"), END),
                        List.of(out(A, 100, "START\nlater\nlatest"))),
                arguments("max_lines: a full block leaves at once, and the next lines open one with the firstline's time",
                        "firstline: '^START', max_lines: 2", List.of(
                                in(A, 1, "START"), in(A, 2, "l1"), in(A, 3, "l2"), in(A, 4, "l3"), in(A, 5, "l4"), END),
                        List.of(out(A, 1, "START\nl1"), out(A, 1, "l2\nl3"), out(A, 1, "l4"))),
                arguments("max_lines 1: every line its own entry", "firstline: '^START', max_lines: 1", List.of(
                                in(A, 1, "START"), in(A, 2, "l1")),
                        List.of(out(A, 1, "START"), out(A, 1, "l1"))),
                arguments("max_wait_time (3s by default): a quiet stream's block leaves without new input",
                        "firstline: '^START'", List.of(
                                in(A, 1, "START"), in(A, 2, "l1"), waitFor("2999ms"), waitFor("1ms"), in(A, 3, "l2"), END),
                        List.of(out(A, 1, "START\nl1"), out(A, 1, "l2"))),
                arguments("every line starts the wait again", "firstline: '^START', max_wait_time: 1s", List.of(
                                in(A, 1, "START"), waitFor("900ms"), in(A, 2, "l1"), waitFor("900ms"), in(A, 3, "l2"),
                                waitFor("1s"), in(A, 4, "START 2"), END),
                        List.of(out(A, 1, "START\nl1\nl2"), out(A, 4, "START 2"))),
                arguments("a quiet stream leaves while a busy one keeps its block", "firstline: '^START', max_wait_time: 1s",
                        List.of(in(A, 1, "START a"), waitFor("600ms"), in(B, 2, "START b"), waitFor("600ms"), in(B, 3, "b1"), END),
                        List.of(out(A, 1, "START a"), out(B, 2, "START b\nb1"))),
                arguments("nothing held: the end of the input lets nothing out", "firstline: '^START'",
                        List.of(in(A, 1, "no start"), END), List.of(out(A, 1, "no start"))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void joins_lines_into_blocks(String name, String args, List<Step> steps, List<LogEntry> expected) {
        AtomicLong clock = new AtomicLong();
        MultilineStage stage = new MultilineStage(argsOf(args), clock::get);
        List<LogEntry> got = new ArrayList<>();
        for (Step step : steps) {
            List<ProcessEntry> batch = new ArrayList<>();
            if (step instanceof End) {
                batch.addAll(stage.flush());
            } else {
                if (step instanceof In in) {
                    batch.add(new ProcessEntry(new LogEntry(in.stream(), in.ts(), in.line())));
                } else if (step instanceof Wait w) {
                    clock.addAndGet(w.d().toNanos());
                }
                stage.process(batch);
            }
            batch.forEach(e -> got.add(e.toLogEntry()));
        }
        assertThat(got).containsExactlyElementsOf(expected);
        assertThat(stage.flush()).as("nothing held after the end").isEmpty();
    }

    private static MultilineStage.Args argsOf(String args) {
        return (MultilineStage.Args) StagesFile.read("- multiline: {" + args + "}", "t.yaml", s -> s).get(0).args();
    }
}

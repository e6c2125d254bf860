package io.caravan.logs.process;

import io.caravan.model.Labels;
import io.caravan.model.LogEntry;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Instant;
import java.time.Year;
import java.time.ZoneOffset;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * timestamp: Alloy's documented examples and its stage tests, in our words. Each row feeds entries one after the
 * other through {@code json} (ts from the line) and the timestamp stage; an entry is a JSON value for ts (null: no
 * ts at all) and a file label, and comes in at 1s after the epoch ("in" in the times that come out).
 */
class TimestampStageTest {

    static final Labels ONE = Labels.of("filename", "/1.log");
    static final Labels TWO = Labels.of("filename", "/2.log");

    record In(Labels labels, String ts) {
    }

    static List<In> values(String... ts) {
        return Stream.of(ts).map(t -> new In(ONE, t)).toList();
    }

    static Arguments row(String name, String args, List<In> in, String... want) {
        return arguments(name, args, in, List.of(want));
    }

    static Stream<Arguments> cases() {
        String year = Integer.toString(Year.now(ZoneOffset.UTC).getValue());
        return Stream.of(
                row("docs: RFC3339", "{format: RFC3339}", values("\"2012-11-01T22:08:41-04:00\""), "2012-11-02T02:08:41Z"),
                row("docs: a custom layout with a comma before the milliseconds", "{format: '2006-01-02T15:04:05,000-07:00'}",
                        values("\"2024-12-20T09:14:58,381+02:00\""), "2024-12-20T07:14:58.381Z"),
                row("RFC3339Nano", "{format: RFC3339Nano}", values("\"2019-10-01T01:02:03.4Z\""), "2019-10-01T01:02:03.400Z"),
                row("ANSIC", "{format: ANSIC}", values("\"Mon Jul  1 08:30:00 2019\""), "2019-07-01T08:30:00Z"),
                row("UnixDate", "{format: UnixDate}", values("\"Mon Jul  1 08:30:00 UTC 2019\""), "2019-07-01T08:30:00Z"),
                row("named formats ignore location, as Alloy reads them with time.Parse", "{format: ANSIC, location: America/New_York}",
                        values("\"Mon Jul  1 08:30:00 2019\""), "2019-07-01T08:30:00Z"),
                row("a layout is read in location", "{format: '2006-01-02 15:04:05', location: America/New_York}",
                        values("\"2019-07-22 20:29:32\""), "2019-07-23T00:29:32Z"),
                row("a zone name the location uses gives its offset", "{format: '2006-01-02 15:04:05 MST', location: America/New_York}",
                        values("\"2019-07-22 20:29:32 EDT\""), "2019-07-23T00:29:32Z"),
                row("the location's other name, even out of season", "{format: '2006-01-02 15:04:05 MST', location: America/New_York}",
                        values("\"2019-07-22 20:29:32 EST\""), "2019-07-23T01:29:32Z"),
                row("a zone name the location does not use is offset zero", "{format: '2006-01-02 15:04:05 MST', location: America/New_York}",
                        values("\"2019-07-22 20:29:32 PST\""), "2019-07-22T20:29:32Z"),
                row("a layout with a year", "{format: '2006-01-02'}", values("\"2009-01-01\""), "2009-01-01T00:00:00Z"),
                row("a layout without a year takes this year", "{format: 'Jan 02 15:04:05'}", values("\"Jul 15 01:02:03\""),
                        year + "-07-15T01:02:03Z"),
                row("Unix", "{format: Unix}", values("\"1562708916\""), "2019-07-09T21:48:36Z"),
                row("Unix with microseconds", "{format: Unix}", values("\"1562708916.414123\""), "2019-07-09T21:48:36.414123Z"),
                row("Unix with nanoseconds", "{format: Unix}", values("\"1562708916.000000123\""), "2019-07-09T21:48:36.000000123Z"),
                row("UnixMs", "{format: UnixMs}", values("\"1562708916414\""), "2019-07-09T21:48:36.414Z"),
                row("UnixUs", "{format: UnixUs}", values("\"1562708916414123\""), "2019-07-09T21:48:36.414123Z"),
                row("UnixNs", "{format: UnixNs}", values("\"1562708916000000123\""), "2019-07-09T21:48:36.000000123Z"),
                row("a source holding a number (UnixMs)", "{format: UnixMs}", values("1562708916414"), "2019-07-09T21:48:36.414Z"),
                row("a source holding a fraction (Unix)", "{format: Unix}", values("1562708916.414"), "2019-07-09T21:48:36.414Z"),
                row("fallback formats are tried in order", "{format: UnixMs, fallback_formats: ['2006-01-02 03:04:05.000000000 +0000 UTC', RFC3339]}",
                        values("\"2012-11-01T22:08:41-04:00\""), "2012-11-02T02:08:41Z"),
                row("fudge: a failure is 1ns after the last time", "{format: RFC3339Nano}",
                        values("\"2019-10-01T01:02:03.4Z\"", null, "\"not a time\""),
                        "2019-10-01T01:02:03.400Z", "2019-10-01T01:02:03.400000001Z", "2019-10-01T01:02:03.400000002Z"),
                row("fudge: a value that is not a string fails too", "{format: RFC3339Nano}", values("\"2019-10-01T01:02:03.4Z\"", "null", "{}"),
                        "2019-10-01T01:02:03.400Z", "2019-10-01T01:02:03.400000001Z", "2019-10-01T01:02:03.400000002Z"),
                row("fudge: per label set", "{format: RFC3339Nano}",
                        List.of(new In(ONE, "\"2019-10-01T01:02:03.4Z\""), new In(TWO, "\"2019-10-01T01:02:03.8Z\""), new In(ONE, null),
                                new In(TWO, null), new In(ONE, null)),
                        "2019-10-01T01:02:03.400Z", "2019-10-01T01:02:03.800Z", "2019-10-01T01:02:03.400000001Z",
                        "2019-10-01T01:02:03.800000001Z", "2019-10-01T01:02:03.400000002Z"),
                row("fudge: without a known time the entry keeps its own", "{format: RFC3339Nano}",
                        List.of(new In(ONE, "\"2019-10-01T01:02:03.4Z\""), new In(TWO, null)), "2019-10-01T01:02:03.400Z", "in"),
                row("skip keeps the entry's time", "{format: RFC3339Nano, action_on_failure: skip}",
                        values("\"2019-10-01T01:02:03.4Z\"", null), "2019-10-01T01:02:03.400Z", "in"),
                row("duplicates are fudged by default", "{format: RFC3339Nano}",
                        values("\"2019-10-01T01:02:03.4Z\"", "\"2019-10-01T01:02:03.4Z\"", "\"2019-10-01T01:02:03.4Z\"", "\"2019-10-01T01:02:03.5Z\""),
                        "2019-10-01T01:02:03.400Z", "2019-10-01T01:02:03.400000001Z", "2019-10-01T01:02:03.400000002Z", "2019-10-01T01:02:03.500Z"),
                row("a duplicate after a failure follows the fudged time", "{format: RFC3339Nano}",
                        values("\"2019-10-01T01:02:03.4Z\"", null, "\"2019-10-01T01:02:03.4Z\""),
                        "2019-10-01T01:02:03.400Z", "2019-10-01T01:02:03.400000001Z", "2019-10-01T01:02:03.400000002Z"),
                row("action_on_duplicate_timestamp keep", "{format: RFC3339Nano, action_on_duplicate_timestamp: keep}",
                        values("\"2019-10-01T01:02:03.4Z\"", "\"2019-10-01T01:02:03.4Z\""), "2019-10-01T01:02:03.400Z", "2019-10-01T01:02:03.400Z"),
                row("skip still fudges duplicates", "{format: RFC3339Nano, action_on_failure: skip}",
                        values("\"2019-10-01T01:02:03.4Z\"", null, "\"2019-10-01T01:02:03.4Z\""),
                        "2019-10-01T01:02:03.400Z", "in", "2019-10-01T01:02:03.400000001Z"),
                row("skip and keep change nothing but the parsed times", "{format: RFC3339Nano, action_on_failure: skip, action_on_duplicate_timestamp: keep}",
                        values("\"2019-10-01T01:02:03.4Z\"", null, "\"2019-10-01T01:02:03.4Z\""), "2019-10-01T01:02:03.400Z", "in", "2019-10-01T01:02:03.400Z")
        );
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void timestamp(String name, String args, List<In> in, List<String> want) {
        StageRunner r = new StageRunner("- json: {expressions: {ts: ts}}\n- timestamp: {source: ts, " + args.substring(1));
        for (int i = 0; i < in.size(); i++) {
            String line = in.get(i).ts() == null ? "{}" : "{\"ts\": " + in.get(i).ts() + "}";
            LogEntry out = r.run(new LogEntry(in.get(i).labels(), 1_000_000_000L, line)).get(0);
            assertThat(out.timestampNanos()).as("entry %d", i).isEqualTo(nanos(want.get(i)));
        }
    }

    private static long nanos(String want) {
        if (want.equals("in")) {
            return 1_000_000_000L;
        }
        Instant t = Instant.parse(want);
        return t.getEpochSecond() * 1_000_000_000L + t.getNano();
    }
}

package io.caravan.logs.process;

import io.caravan.model.Labels;
import io.caravan.model.LogEntry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.PrimitiveIterator;
import java.util.function.UnaryOperator;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * sampling: which entries stay for given random numbers (Alloy's sampler keeps a number in [1, 2^63-1] when it is
 * at most rate × (2^63-1)), with Alloy's documented example; then rates 0, 1 and one half with the real random source.
 */
class SamplingStageTest {

    static final long MAX = Long.MAX_VALUE;

    /** The random number at a fraction of the range. */
    static long at(double fraction) {
        return (long) (MAX * fraction);
    }

    static Stream<Arguments> cases() {
        return Stream.of(
                arguments("docs: a quarter kept, the rest counted under the reason", "- sampling: {rate: 0.25, drop_counter_reason: logs_sampling}",
                        new long[] {at(0.1), at(0.25), at(0.2500001), at(0.9), MAX}, List.of(0, 1), "logs_sampling", 3),
                arguments("the default reason", "- sampling: {rate: 0.5}", new long[] {1, at(0.6)}, List.of(0), "sampling_stage", 1),
                arguments("rate 0 keeps not even the smallest number", "- sampling: {rate: 0}", new long[] {1, 2}, List.of(), "sampling_stage", 2),
                arguments("rate 1 keeps even the largest", "- sampling: {rate: 1}", new long[] {MAX, 1}, List.of(0, 1), "sampling_stage", 0)
        );
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void sampling(String name, String yaml, long[] randomIds, List<Integer> kept, String reason, int dropped) {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        PrimitiveIterator.OfLong ids = Arrays.stream(randomIds).iterator();
        SamplingStage stage = new SamplingStage(args(yaml), new StageMetrics(registry, "t"), ids::nextLong);
        List<ProcessEntry> entries = entries(randomIds.length);
        stage.process(entries);
        assertThat(entries).extracting(e -> Integer.parseInt(e.line)).containsExactlyElementsOf(kept);
        assertThat(registry.find(StageMetrics.DROPPED).tag("reason", reason).counter().count()).isEqualTo(dropped);
    }

    @Test
    void with_the_real_random_source_rate_0_keeps_none_1_keeps_all_and_a_half_about_half() {
        assertThat(keptOf("- sampling: {rate: 0}", 1000)).isZero();
        assertThat(keptOf("- sampling: {rate: 1}", 1000)).isEqualTo(1000);
        assertThat(keptOf("- sampling: {rate: 0.5}", 10_000)).isBetween(4500, 5500); // outside: odds below 1e-20
    }

    private static int keptOf(String yaml, int n) {
        List<ProcessEntry> entries = entries(n);
        new SamplingStage(args(yaml), new StageMetrics(new SimpleMeterRegistry(), "t")).process(entries);
        return entries.size();
    }

    private static SamplingStage.Args args(String yaml) {
        return (SamplingStage.Args) StagesFile.read(yaml, "t.yaml", UnaryOperator.identity()).get(0).args();
    }

    private static List<ProcessEntry> entries(int n) {
        return new ArrayList<>(IntStream.range(0, n).mapToObj(i -> new ProcessEntry(new LogEntry(Labels.EMPTY, i, Integer.toString(i)))).toList());
    }
}

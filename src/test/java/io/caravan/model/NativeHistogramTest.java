package io.caravan.model;

import io.caravan.model.NativeHistogram.ResetHint;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Lowering a native histogram's schema, one table; the first row is Prometheus' own (model/histogram/generic_test.go). */
class NativeHistogramTest {

    record Case(String name, int schema, int[] spans, double[] counts, int target, int[] expectedSpans, double[] expectedCounts) {
        @Override
        public String toString() {
            return name;
        }
    }

    static List<Case> cases() {
        return List.of(
                new Case("Prometheus' TestReduceResolution: an empty span, a gap that closes", 0,
                        new int[]{0, 4, 0, 0, 3, 2}, new double[]{1, 3, 1, 2, 1, 1}, -1,
                        new int[]{0, 3, 1, 1}, new double[]{1, 4, 2, 2}),
                new Case("negative indexes merge by floor", 2, new int[]{-3, 2}, new double[]{5, 7}, 1,
                        new int[]{-1, 1}, new double[]{12}),
                new Case("two steps at once: four buckets become one", 3, new int[]{1, 4}, new double[]{1, 1, 1, 1}, 1,
                        new int[]{1, 1}, new double[]{4}),
                new Case("a gap that stays", 0, new int[]{0, 1, 6, 1}, new double[]{2, 3}, -1,
                        new int[]{0, 1, 3, 1}, new double[]{2, 3}));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void reducesBothSidesAsPrometheusDoes(Case c) {
        NativeHistogram h = new NativeHistogram(false, ResetHint.UNKNOWN, c.schema(), 0.001, 1, 100, 50, c.spans(), c.counts(),
                c.spans(), c.counts(), null);
        NativeHistogram r = h.reduceResolution(c.target());
        assertThat(r.schema()).isEqualTo(c.target());
        assertThat(r.positiveSpans()).containsExactly(c.expectedSpans());
        assertThat(r.positiveCounts()).containsExactly(c.expectedCounts());
        assertThat(r.negativeSpans()).containsExactly(c.expectedSpans());
        assertThat(r.negativeCounts()).containsExactly(c.expectedCounts());
        assertThat(List.of(r.count(), r.sum(), r.zeroCount(), r.zeroThreshold())).containsExactly(100.0, 50.0, 1.0, 0.001);
    }

    @org.junit.jupiter.api.Test
    void customBucketsAndSchemasBelowMinus4CannotBeReduced() {
        NativeHistogram custom = new NativeHistogram(false, ResetHint.UNKNOWN, NativeHistogram.CUSTOM_BUCKETS_SCHEMA, 0, 0, 1, 1,
                null, null, new int[]{0, 1}, new double[]{1}, new double[]{1});
        assertThatThrownBy(() -> custom.reduceResolution(-54)).isInstanceOf(IllegalArgumentException.class);
        NativeHistogram lowest = new NativeHistogram(false, ResetHint.UNKNOWN, -4, 0, 0, 1, 1, null, null, new int[]{0, 1}, new double[]{1}, null);
        assertThatThrownBy(() -> lowest.reduceResolution(-5)).isInstanceOf(IllegalArgumentException.class);
    }
}

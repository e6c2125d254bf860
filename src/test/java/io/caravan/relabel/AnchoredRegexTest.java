package io.caravan.relabel;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The fast shapes must answer exactly as re2j does on the anchored pattern. */
class AnchoredRegexTest {

    private static final List<String> INPUTS = List.of("", "true", "True", "true ", "a", "kube-system", "kube-system\n",
            "Pending", "Pendin", "PendingX", "Succeeded", "Unknown", "x\ny", "\n", "ünï", "coredns", "|", "a|b");

    @ParameterizedTest
    @ValueSource(strings = {".*", "(.*)", ".+", "(.+)", "true", "kube-system", "coredns", "",
            "Pending|Succeeded|Failed|Unknown", "a|", "|", "a|b|c|d|e|f|g|h|i|j|true", "ünï"})
    void fastShapeAgreesWithRe2(String source) {
        AnchoredRegex fast = AnchoredRegex.compile(source);
        AnchoredRegex slow = new AnchoredRegex.Re2(source);
        assertThat(fast).isNotInstanceOf(AnchoredRegex.Re2.class);
        assertThat(fast.groupCount()).isEqualTo(slow.groupCount());
        for (String in : INPUTS) {
            assertThat(fast.matches(in)).as("matches(%s)", in).isEqualTo(slow.matches(in));
            int[] fastSpans = new int[(fast.groupCount() + 1) * 2];
            int[] slowSpans = new int[fastSpans.length];
            assertThat(fast.match(in, fastSpans)).as("match(%s)", in).isEqualTo(slow.match(in, slowSpans));
            if (slow.matches(in)) {
                assertThat(fastSpans).as("spans of %s", in).isEqualTo(slowSpans);
                for (int g = 0; g <= fast.groupCount(); g++) {
                    if (fast.groupIsWhole(g)) {
                        assertThat(Arrays.copyOfRange(slowSpans, 2 * g, 2 * g + 2)).containsExactly(0, in.length());
                    }
                }
            }
        }
    }

    @Test
    void rememberedAnswersAreTheSameAnswers() {
        AnchoredRegex regex = AnchoredRegex.compile("(\\d+);(\\d+\\.\\d+)");
        com.google.re2j.Pattern reference = com.google.re2j.Pattern.compile("^(?s:(\\d+);(\\d+\\.\\d+))$");
        for (int round = 0; round < 3; round++) {
            for (int i = 0; i < 2000; i++) {
                String in = (i % 3 == 0) ? "x" + i : i + ";" + (i % 7) + "." + i;
                int[] spans = new int[6];
                boolean expected = reference.matches(in);
                if (round == 1) {
                    assertThat(regex.matches(in)).as(in).isEqualTo(expected);
                }
                assertThat(regex.match(in, spans)).as(in).isEqualTo(expected);
                if (expected) {
                    com.google.re2j.Matcher m = reference.matcher(in);
                    assertThat(m.matches()).isTrue();
                    assertThat(spans).containsExactly(m.start(0), m.end(0), m.start(1), m.end(1), m.start(2), m.end(2));
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"tru.", "a+", "(a)", "a|(b)", "[ab]", "a{2}", "^a$", "a\\.b", "a?", "(?i)a", "x*"})
    void anythingElseGoesToRe2(String source) {
        assertThat(AnchoredRegex.compile(source)).isInstanceOf(AnchoredRegex.Re2.class);
    }
}

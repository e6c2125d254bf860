package io.caravan.logs;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The one CRI parser's two grammars, side by side on the lines where they part. */
class CriGrammarTest {

    private final CriParser runtime = new CriParser(CriParser.Grammar.RUNTIME);
    private final CriParser alloy = new CriParser(CriParser.Grammar.ALLOY);

    @Test
    void bothReadWhatRuntimesWrite() {
        for (CriParser p : new CriParser[]{runtime, alloy}) {
            assertThat(p.parse("2024-01-01T00:00:00.5Z stderr P piece")).isTrue();
            assertThat(p.time()).isEqualTo("2024-01-01T00:00:00.5Z");
            assertThat(p.timeEnd()).isEqualTo(22);
            assertThat(p.stream()).isEqualTo("stderr");
            assertThat(p.partial()).isTrue();
            assertThat(p.content()).isEqualTo("piece");
        }
    }

    @Test
    void alloyTakesRunsOfSpacesAndNoFlag() {
        String line = "2019-04-30T02:12:41Z  stderr   oops";
        assertThat(runtime.parse(line)).isFalse();
        assertThat(alloy.parse(line)).isTrue();
        assertThat(alloy.partial()).isFalse();
        assertThat(alloy.content()).isEqualTo("oops");
    }

    @Test
    void runtimesKeepTheContentsSpacesAndSkipTags() {
        String line = "2024-01-01T00:00:00Z stdout F:x:y  two";
        assertThat(runtime.parse(line)).isTrue();
        assertThat(runtime.content()).isEqualTo(" two");
        assertThat(alloy.parse(line)).isTrue();
        assertThat(alloy.content()).isEqualTo(":x:y  two"); // Alloy knows no tags
        assertThat(runtime.parse("2024-01-01T00:00:00Z stdout P   indented")).isTrue();
        assertThat(runtime.content()).isEqualTo("  indented");
    }

    @Test
    void alloyReadsALineOfOneTokenAsUntimed() {
        assertThat(alloy.parse("stdout")).isTrue();
        assertThat(alloy.time()).isEmpty();
        assertThat(alloy.content()).isEmpty();
        assertThat(runtime.parse("stdout")).isFalse();
    }

    @Test
    void neitherReadsOtherStreamsOrPlainText() {
        for (CriParser p : new CriParser[]{runtime, alloy}) {
            assertThat(p.parse("2024-01-01T00:00:00Z stdin F x")).isFalse();
            assertThat(p.parse("plain line")).isFalse();
            assertThat(p.parse("")).isFalse();
        }
    }
}

package io.caravan.logs.process;

import io.caravan.model.Labels;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * decolorize: Alloy's documented example and its stage tests, then what its expression does and does not take.
 * In the rows, {@code ESC} stands for the escape character (0x1b), {@code CSI} for 0x9b and {@code BEL} for 0x07.
 */
class DecolorizeStageTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "plain text is left alone|sample text|sample text",
            "colours removed|ESC[0;32mgreenESC[0m ESC[0;31mredESC[0m|green red",
            "docs: the example line, with the colour's final m|[2022-11-04 22:17:57.811] ESC[0;32mhttpESC[0m: GET /_health (0 ms) 204"
                    + "|[2022-11-04 22:17:57.811] http: GET /_health (0 ms) 204",
            "docs: the line as printed lacks the m, so the h ends the sequence|[2022-11-04 22:17:57.811] ESC[0;32httpESC[0m: GET"
                    + "|[2022-11-04 22:17:57.811] ttp: GET",
            "bold, 256 colours and true colour|ESC[1mESC[38;5;208mESC[38;2;255;0;0mhotESC[0m|hot",
            "cursor moves and erasing|ESC[2KESC[1Gprogress 50%|progress 50%",
            "an OSC title ended by BEL|ESC]0;titleBELafter|after",
            "a title with a space: the expression takes ESC]0;m only, as in Alloy|ESC]0;my titleBELafter|y titleBELafter",
            "the one-byte CSI|CSI31mredCSI0m|red",
            "an escape with nothing it knows after it stays|ESC alone|ESC alone",
    })
    void decolorize(String name, String line, String want) {
        String out = new StageRunner("- decolorize: {}").one(Labels.EMPTY, controls(line)).line();
        assertThat(out).isEqualTo(controls(want));
    }

    private static String controls(String s) {
        return s.replace("ESC", "\u001b").replace("CSI", "\u009b").replace("BEL", "\u0007");
    }
}

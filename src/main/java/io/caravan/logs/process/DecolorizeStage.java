package io.caravan.logs.process;

import com.google.re2j.Pattern;

/**
 * stage.decolorize: removes ANSI escape sequences (colours, cursor moves, OSC titles ended by BEL) from the line,
 * with the expression Alloy uses (from the stripansi package), so a line loses exactly what it loses in Alloy.
 */
final class DecolorizeStage extends Stage.PerEntry {

    private static final Pattern ANSI = Pattern.compile("[\u001B\u009B][\\[\\]()#;?]*(?:(?:(?:[a-zA-Z\\d]*(?:;[a-zA-Z\\d]*)*)?\u0007)"
            + "|(?:(?:\\d{1,4}(?:;\\d{0,4})*)?[\\dA-PRZcf-ntqry=><~]))");

    /** Alloy's DecolorizeConfig has no arguments. */
    record Args() implements StageArgs {
        @Override
        public void validate() {
        }
    }

    @Override
    boolean apply(ProcessEntry e) {
        if (e.line.indexOf('\u001B') >= 0 || e.line.indexOf('\u009B') >= 0) {
            e.line = ANSI.matcher(e.line).replaceAll("");
        }
        return true;
    }
}

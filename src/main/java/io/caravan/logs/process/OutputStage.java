package io.caravan.logs.process;

/** stage.output: the line becomes an extracted value; missing or non-string values leave it as it is. */
final class OutputStage extends Stage.PerEntry {

    private final String source;

    OutputStage(StageArgs args) {
        source = args.string("source");
        args.done("output", "source");
    }

    @Override
    boolean apply(ProcessEntry e) {
        String s = Extracted.asString(e.extracted.get(source));
        if (s != null) {
            e.line = s;
        }
        return true;
    }
}

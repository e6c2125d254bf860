package io.caravan.logs.process;

/** stage.output: the line becomes an extracted value; missing or non-string values leave it as it is. */
final class OutputStage extends Stage.PerEntry {

    private final String source;

    /** Alloy's OutputConfig: the extracted key whose value becomes the line. */
    record Args(String source) implements StageArgs {
        @Override
        public void validate() {
            ArgChecks.required("source", source);
        }
    }

    OutputStage(Args args) {
        source = args.source();
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

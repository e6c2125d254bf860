package io.caravan.scrape.parse;

/** A scrape body that breaks the exposition format; the message names the line and shows the bytes around the fault. */
public final class ExpositionParseException extends Exception {

    private final int lineNumber;
    private final String reason;

    public ExpositionParseException(int lineNumber, String reason, String excerpt) {
        super("line " + lineNumber + ": " + reason + " (near: '" + excerpt + "')");
        this.lineNumber = lineNumber;
        this.reason = reason;
    }

    public int lineNumber() {
        return lineNumber;
    }

    /** The message without line number and excerpt. */
    public String reason() {
        return reason;
    }
}

package io.caravan.relabel;

/**
 * A relabel rule that Prometheus would refuse. The message names where the rule is (source, rule number
 * counted from 1, YAML line when known), what is wrong, and what to do about it.
 */
public class RelabelConfigException extends RuntimeException {

    private final String source;
    private final int ruleNumber;
    private final int line;
    private final String reason;

    /** A problem with one rule found before its place in a file is known. */
    public RelabelConfigException(String reason) {
        this(null, 0, 0, reason, null);
    }

    public RelabelConfigException(String source, int ruleNumber, int line, String reason, Throwable cause) {
        super(format(source, ruleNumber, line, reason), cause);
        this.source = source;
        this.ruleNumber = ruleNumber;
        this.line = line;
        this.reason = reason;
    }

    /** The same problem, now placed in a file at a rule (1-based) and line (1-based; 0 when unknown). */
    public RelabelConfigException at(String source, int ruleNumber, int line) {
        // Not chained to this unplaced copy: tools that show a chain's innermost message (validate) would lose the place.
        RelabelConfigException placed = new RelabelConfigException(source, ruleNumber, line, reason, getCause());
        placed.setStackTrace(getStackTrace());
        return placed;
    }

    /** File or other name the rules came from; null when the rule was built in code. */
    public String source() {
        return source;
    }

    /** Rule number counted from 1, as a reader counts list items; 0 when the problem is not in one rule. */
    public int ruleNumber() {
        return ruleNumber;
    }

    /** YAML line counted from 1; 0 when unknown. */
    public int line() {
        return line;
    }

    /** The problem and the fix, without the location. */
    public String reason() {
        return reason;
    }

    private static String format(String source, int ruleNumber, int line, String reason) {
        StringBuilder sb = new StringBuilder();
        if (source != null) {
            sb.append(source);
        }
        if (ruleNumber > 0) {
            sb.append(sb.length() > 0 ? ": " : "").append("rule ").append(ruleNumber);
        }
        if (line > 0) {
            sb.append(sb.length() > 0 ? " " : "").append("(line ").append(line).append(')');
        }
        if (sb.length() > 0) {
            sb.append(": ");
        }
        return sb.append(reason).toString();
    }
}
